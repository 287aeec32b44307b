"""Every service that locks a row (select_for_update) runs in a transaction of its own: called
from a view or a task outside one (autocommit, as in production), a lock outside a
transaction is an error on PostgreSQL, and silently no lock on SQLite. (Found when a new
helper was inserted between a decorator and the service it belonged to.)"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "pctp"


def _locking_services():
    for path in sorted(ROOT.glob("*/services.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lockers = {f.name for f in tree.body if isinstance(f, ast.FunctionDef)
                   and "select_for_update" in ast.unparse(f)}
        for f in tree.body:
            if not isinstance(f, ast.FunctionDef) or f.name.startswith("_"):
                continue
            # A lock is taken by a module's own _lock or by the shared workflow's
            # (pctp.core.transitions: FLOW.begin, FLOW.lock; pctp.core.extensions).
            calls = {n.func.id if isinstance(n.func, ast.Name) else n.func.attr
                     for n in ast.walk(f) if isinstance(n, ast.Call)
                     and isinstance(n.func, ast.Name | ast.Attribute)}
            if f.name in lockers or calls & {"_lock", "begin", "lock", "lock_pending"}:
                yield path.relative_to(ROOT.parent), f


@pytest.mark.parametrize(("path", "func"), list(_locking_services()),
                         ids=lambda v: getattr(v, "name", str(v)))
def test_a_service_that_locks_is_atomic(path, func):
    decorators = {ast.unparse(d) for d in func.decorator_list}
    body = ast.unparse(func)
    assert "transaction.atomic" in decorators or "with transaction.atomic" in body, (
        f"{path}: {func.name} locks rows but is not @transaction.atomic")
