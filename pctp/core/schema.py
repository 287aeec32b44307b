"""The OpenAPI schema documents the error answers every operation can give, in the API's one
error shape ({"error": {"code", "message", "details"}}, pctp.core.api.exception_handler):
a client (and schemathesis in the tests) can rely on them as on the successes."""

from __future__ import annotations

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string"},
                "details": {
                    "description": "per field, the reasons (a validation error); empty otherwise",
                    "anyOf": [{"type": "object", "additionalProperties": True},
                              {"type": "array", "items": {}}],
                },
            },
            "required": ["code", "message", "details"],
        },
    },
    "required": ["error"],
}

REASONS = {
    "400": "The request is invalid (the details name the fields).",
    "401": "No valid token or session.",
    "403": "The caller may not do this (a named permission, the second factor for a browser "
           "session, or wrong credentials of a citizen's report).",
    "404": "Not found, or outside the caller's scope (the same answer: nothing leaks).",
    "409": "The record's state does not allow this step, or an idempotency key was reused "
           "with a different request.",
    "429": "Too many requests: try again later.",
}


def document_errors(result, generator, request, public):
    """POSTPROCESSING_HOOK: add the error answers to every operation that lacks them: 400,
    403 (a public operation refuses wrong credentials too) and 404 everywhere, 401 where the
    view authenticates, 409 for writes, 429 where the view throttles."""
    views = {}
    for path, _regex, method, callback in generator.endpoints or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            view = views.get((path, method))
            codes = ["400", "403", "404"]
            if view is None or getattr(view, "authentication_classes", None):
                codes.append("401")
            if method != "get":
                codes.append("409")
            if view is not None and getattr(view, "throttle_classes", None):
                codes.append("429")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": REASONS[code], "content": ref})
    return result
