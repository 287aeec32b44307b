"""Records built once for a whole test module (issue 18: tests that run fast).

A module-scoped fixture builds its records inside `built_once(django_db_blocker)`: one
transaction that stays open while the module's tests run and is rolled back after the last
one, so nothing reaches the next module. Each test still runs in its own transaction
(pytest-django's, a savepoint inside this one) rolled back after it, so a test's writes do
not reach the next test either. Only for non-transactional tests (`django_db` without
`transaction=True`): a transactional test would commit through it.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def built_once(django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
