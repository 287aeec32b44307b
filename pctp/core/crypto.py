"""Field encryption for reporters' identities: AES-256-GCM with a key ring.

Keys come from PCTP_FIELD_KEYS: "kid:base64key,kid2:base64key"; the first is used to
encrypt, all are tried by id to decrypt, so keys can be rotated (`pctp rotate-field-keys`).
A blob is b"v1:" + kid + b":" + 12-byte nonce + ciphertext-with-tag; the record's own id
is bound in as associated data so a blob copied onto another record does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


class FieldKeyError(RuntimeError):
    pass


def _keyring() -> list[tuple[str, bytes]]:
    spec = settings.PCTP_FIELD_KEYS
    ring = []
    for item in spec:
        kid, _, encoded = item.partition(":")
        key = base64.b64decode(encoded)
        if not kid or len(key) != 32:
            raise FieldKeyError("each PCTP_FIELD_KEYS entry must be kid:base64(32 bytes)")
        ring.append((kid, key))
    if not ring:
        raise FieldKeyError("PCTP_FIELD_KEYS is empty")
    return ring


def encrypt_json(value: dict[str, Any], *, context: str) -> bytes:
    kid, key = _keyring()[0]
    nonce = os.urandom(12)
    data = json.dumps(value, ensure_ascii=False).encode("utf-8")
    sealed = AESGCM(key).encrypt(nonce, data, context.encode("utf-8"))
    return b"v1:" + kid.encode("ascii") + b":" + nonce + sealed


def key_id(blob: bytes) -> str:
    _version, kid, _rest = bytes(blob).split(b":", 2)
    return kid.decode("ascii")


def decrypt_json(blob: bytes, *, context: str) -> dict[str, Any]:
    blob = bytes(blob)
    version, kid, rest = blob.split(b":", 2)
    if version != b"v1":
        raise FieldKeyError("unknown ciphertext version")
    keys = dict(_keyring())
    key = keys.get(kid.decode("ascii"))
    if key is None:
        raise FieldKeyError(f"no key {kid.decode('ascii')!r} in PCTP_FIELD_KEYS")
    data = AESGCM(key).decrypt(rest[:12], rest[12:], context.encode("utf-8"))
    return json.loads(data.decode("utf-8"))


def dev_keys(secret: str) -> list[str]:
    """A deterministic key for development and tests only (never in production)."""
    key = hashlib.sha256(("pctp-field-key:" + secret).encode()).digest()
    return ["dev:" + base64.b64encode(key).decode("ascii")]


def blind_index(value: str) -> str:
    """A keyed hash to find equal values (same reporter) without decrypting."""
    import hmac

    # Derived from the secret key, not the field keys, so rotating those keeps the index.
    key = hashlib.sha256(("pctp-blind-index:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def active_key_id() -> str:
    """The id of the key new ciphertexts are written with (the first of PCTP_FIELD_KEYS)."""
    return _keyring()[0][0]
