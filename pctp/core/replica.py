"""Reads that may go to a streaming replica (issue 23).

With `DATABASE_REPLICA_URL` set, the heavy read-only pages — the KPI dashboard and its API,
crime analysis, report generation — read from the replica; everything else, every write,
and every read of a user who wrote in the last `PCTP_REPLICA_MAX_LAG_SECONDS` stays on the
primary. Nothing reads the replica unless a view or a task asks for it (`replica_view`,
`replica_reads`): a page that must see what was just written never does by accident.

The replica's lag: 0 when it has replayed up to the primary's current position, else the time
since the last transaction it replayed; a replica that is not streaming from the primary is
not read at all. Kept `PCTP_REPLICA_LAG_CHECK_SECONDS` per process. Over
`PCTP_REPLICA_MAX_LAG_SECONDS`, or when the replica does not answer, the primary serves;
over `PCTP_REPLICA_LAG_WARN_SECONDS` the page says how far behind its figures are.
"""

from __future__ import annotations

import contextvars
import logging
import math
import time
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)
REPLICA = "replica"
_reading = contextvars.ContextVar("pctp_replica_reads", default=False)
_lag: dict = {"at": 0.0, "seconds": None}
SAFE = ("GET", "HEAD", "OPTIONS")


# Never read on the replica, even inside a replica view: who the user is and what they may
# do (an ended membership, a withdrawn permission, a lockout are never seen late), sessions,
# the second factor, and the shared cache (what another process just wrote).
PRIMARY_ONLY = frozenset({"units", "core", "auth", "sessions", "axes", "otp_totp",
                          "otp_static", "django_cache", "authtoken", "contenttypes"})


class ReplicaRouter:
    """Reads on the replica only inside `replica_reads`/`replica_view`, and never of the
    apps in PRIMARY_ONLY; writes, migrations and everything else on the primary."""

    def db_for_read(self, model, **hints):
        if not _reading.get() or model._meta.app_label in PRIMARY_ONLY:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same database, one of them a copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def configured() -> bool:
    return REPLICA in settings.DATABASES


def lag_seconds() -> float | None:
    """How far the replica is behind, in seconds; None when it must not be read: there is
    no replica, it does not answer, it is not a standby, or it is not streaming from the
    primary (a replica cut off has replayed all it received and would look current)."""
    if not configured():
        return None
    now = time.monotonic()
    if now - _lag["at"] < settings.PCTP_REPLICA_LAG_CHECK_SECONDS:
        return _lag["seconds"]
    seconds = None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), "
                "(SELECT status FROM pg_stat_wal_receiver LIMIT 1)")
            standby, replayed, since_replay, receiver = cursor.fetchone()
        if standby and receiver == "streaming" and replayed:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT %s::pg_lsn >= pg_current_wal_lsn()", [replayed])
                caught_up = cursor.fetchone()[0]
            if caught_up:
                seconds = 0.0
            elif since_replay is not None:
                seconds = max(0.0, float(since_replay))
        else:
            log.warning("replica not streaming (standby=%s, receiver=%s): reading the primary",
                        standby, receiver)
    except DatabaseError as exc:
        log.warning("replica unavailable, reading the primary: %s", type(exc).__name__)
        connections[REPLICA].close()
    _lag.update(at=now, seconds=seconds)
    return seconds


def usable() -> bool:
    seconds = lag_seconds()
    return seconds is not None and seconds <= settings.PCTP_REPLICA_MAX_LAG_SECONDS


def _wrote_key(user) -> str:
    return f"pctp:wrote:{user.pk}"


def note_write(request, response) -> None:
    """After a user's successful write: their reads stay on the primary for the lag allowed
    (in the shared cache, so every app process knows)."""
    user = getattr(request, "user", None)
    if (configured() and request.method not in SAFE and response.status_code < 400
            and user is not None and user.is_authenticated):
        from django.core.cache import cache

        cache.set(_wrote_key(user), time.time(),
                  max(1, math.ceil(settings.PCTP_REPLICA_MAX_LAG_SECONDS)))


def wrote_recently(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    from django.core.cache import cache

    return cache.get(_wrote_key(user)) is not None


@contextmanager
def replica_reads(*, user=None):
    """Reads inside go to the replica when it is usable and `user` (if given) has not
    written lately; yields whether they do."""
    use = configured() and not wrote_recently(user) and usable()
    token = _reading.set(use)
    try:
        yield use
    finally:
        _reading.reset(token)


def replica_view(view):
    """A read-only view (GET, HEAD) that may read the replica. The user, their memberships
    and permissions are read from the primary first: a membership ended is never seen late."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        request = args[0] if not hasattr(args[0], "request") else args[0].request
        if request.method not in SAFE or not configured():
            return view(*args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.get_all_permissions()  # memoised on the user object, from the primary
        with replica_reads(user=user) as use:
            request.pctp_replica = use
            request.pctp_replica_lag = _lag["seconds"] if use else None
            return view(*args, **kwargs)

    return wrapped


class ReplicaMiddleware:
    """Remembers each user's writes (see `note_write`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        note_write(request, response)
        return response


def lag_notice(request) -> dict:
    """Template context: the replica's lag when a page read it and it is over the warning."""
    lag = getattr(request, "pctp_replica_lag", None)
    if lag is None or lag < settings.PCTP_REPLICA_LAG_WARN_SECONDS:
        return {}
    return {"replica_lag_seconds": int(lag)}
