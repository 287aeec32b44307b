"""The durability guard rail of issue 16, on PostgreSQL: the real application served in a
subprocess, citizens submitting reports through the portal API and officers entering
sources through the staff API at once, the process killed with SIGKILL midway and started
again, every request without an answer sent again with its client token. Then: every
acknowledged submission is stored, none twice, each with its journal entry, and a retry
answers with the record already stored. Last, two officers of one unit deciding one source
at the same moment: one wins, the other gets 409, and the journal shows one decision."""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from rest_framework.authtoken.models import Token

from pctp.core.idempotency import scoped
from pctp.core.models import AuditEvent
from pctp.portal import services as portal
from pctp.portal.models import PortalReport
from pctp.sources import services as s
from pctp.sources.models import Source
from pctp.units.models import Commune, Unit
from tests.pgcluster import free_port as _free_port

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'")]

PCTP = Path(sys.executable).parent / "pctp"
CITIZENS, REPORTS_EACH = 8, 3  # within the portal's limits: 3 reports, a few calls, per address
OFFICER_RECEIPTS = 24
WORKERS = 6
KILL_AFTER = 16  # acknowledgements before the SIGKILL
RACES = 3


def _database_url() -> str:
    d = connection.settings_dict  # the pytest-django test database, not the configured one
    auth = quote(d["USER"] or "", safe="")
    if d.get("PASSWORD"):
        auth += ":" + quote(d["PASSWORD"], safe="")
    return (f"postgres://{auth}{'@' if auth else ''}{d['HOST'] or '127.0.0.1'}:"
            f"{d['PORT'] or 5432}/{d['NAME']}")


class Server:
    """`pctp runserver` (threaded, no autoreloader) in its own process group."""

    def __init__(self, tmp_path: Path):
        self.env = {**os.environ, "DATABASE_URL": _database_url(), "PCTP_ENV": "test",
                    "PCTP_DEBUG": "0", "PCTP_VAR_DIR": str(tmp_path / "var"),
                    # Behind one trusted proxy: each citizen is an address of X-Forwarded-For.
                    "PCTP_PROXY_COUNT": "1", "PCTP_LOG_LEVEL": "WARNING",
                    "PYTHONUNBUFFERED": "1"}
        self.log = tmp_path / "server.log"
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0

    def start(self, timeout: float = 30) -> None:
        self.port = _free_port()
        self.starts += 1
        with self.log.open("a") as log:
            log.write(f"--- start {self.starts} on port {self.port}\n")
            self.proc = subprocess.Popen(
                [str(PCTP), "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{self.port}"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the server exited ({self.proc.returncode}):\n{self.log.read_text()}")
            try:
                if call(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        pytest.fail(f"the server did not answer /healthz in {timeout} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no rollback by the application, no flush."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


def call(port: int, method: str, path: str, body: dict | None = None,
         headers: dict | None = None, timeout: float = 20,
         conn: http.client.HTTPConnection | None = None) -> tuple[int, dict]:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={
            "Content-Type": "application/json", "Accept": "application/json", **(headers or {})})
        response = conn.getresponse()
        raw = response.read()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"raw": raw[:300].decode(errors="replace")}
        return response.status, payload
    finally:
        conn.close()


@dataclass
class Submission:
    kind: str  # "portal" or "source"
    path: str
    body: dict
    headers: dict
    token: str
    user: object = None
    address: str = ""
    answers: list = field(default_factory=list)  # (phase, status, payload) of every send

    def acknowledged(self, phase: int | None = None) -> list[dict]:
        """The answers the client could read as a receipt: a 2xx with its whole body. A
        server killed while writing a 201 can leave the status line and half a body: the
        client holds no number then, and retries like any unanswered submission."""
        key = "tracking_code" if self.kind == "portal" else "id"
        return [p for ph, st, p in self.answers
                if 200 <= st < 300 and key in p and phase in (None, ph)]

    def record_key(self, payload: dict):
        return payload["tracking_code"] if self.kind == "portal" else payload["id"]


@pytest.fixture
def world(reference_data, make_user):
    """Communes, their police, officers with API tokens, and the investigation body's
    head, investigator and intake officer, in the committed test database."""
    a, b = Commune.objects.filter(province__code="80").order_by("code")[:2]
    police_a = Unit.objects.get(code=f"P80-CAX-{a.code}")
    police_b = Unit.objects.get(code=f"P80-CAX-{b.code}")
    body = Unit.objects.get(code="P80-CA-CSDT")
    officers = [(make_user("intake_officer", police_a), police_a, a),
                (make_user("intake_officer", police_a), police_a, a),
                (make_user("intake_officer", police_b), police_b, b)]
    people = {"intake": make_user("intake_officer", body),
              "head": make_user("unit_leader", body, is_head=True),
              "investigator": make_user("investigator", body)}
    tokens = {u.pk: Token.objects.create(user=u).key
              for u in [o[0] for o in officers] + list(people.values())}
    return {"communes": [a, b], "officers": officers, "body": body, "tokens": tokens, **people}


def _submissions(world) -> list[Submission]:
    run = secrets.token_hex(3)
    subs = []
    net = random.randint(1, 250)
    for c in range(CITIZENS):
        address = f"10.{net}.{random.randint(0, 255)}.{c + 1}"
        for n in range(REPORTS_EACH):
            token = secrets.token_hex(16)
            commune = world["communes"][(c + n) % 2]
            subs.append(Submission(
                "portal", "/api/v1/portal/reports/",
                {"commune": commune.code, "crime_type": "theft", "client_token": token,
                 "description": f"Mất xe máy trước cổng chợ, người báo {c}-{n} lần {run}."},
                {"X-Forwarded-For": address}, token, address=address))
    for i in range(OFFICER_RECEIPTS):
        user, unit, commune = world["officers"][i % len(world["officers"])]
        token = secrets.token_hex(16)
        subs.append(Submission(
            "source", "/api/v1/sources/",
            {"unit": unit.code, "kind": "denunciation", "channel": "in_person",
             "summary": f"Trộm cắp tài sản số {i} ({run})", "content": "Bị lấy trộm điện thoại.",
             "commune": commune.code, "reporter_type": "anonymous", "client_token": token},
            {"Authorization": f"Token {world['tokens'][user.pk]}"}, token, user=user))
    random.shuffle(subs)
    return subs


def _send(server: Server, sub: Submission, phase: int, lock: threading.Lock) -> bool:
    try:
        status, payload = call(server.port, "POST", sub.path, sub.body, sub.headers)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, cut off by the kill
        status, payload = 0, {"error": repr(exc)}
    with lock:
        sub.answers.append((phase, status, payload))
    return 200 <= status < 300


def _scoped_token(sub: Submission) -> str:
    """The idempotency key the server stores for this submission."""
    if sub.kind == "portal":
        return portal.scoped_token("a:" + portal.address_key(sub.address), sub.token)
    return scoped(sub.user, "source", sub.token)


def _stored(sub: Submission) -> bool:
    model = PortalReport if sub.kind == "portal" else Source
    return model.objects.filter(client_token=_scoped_token(sub)).exists()


def test_acknowledged_submissions_survive_a_sigkill_once_each_and_one_decision_wins(
        world, tmp_path):
    started = time.monotonic()
    server = Server(tmp_path)
    subs = _submissions(world)
    lock = threading.Lock()
    acks = Counter()
    enough = threading.Event()

    def first_phase(sub: Submission) -> None:
        if _send(server, sub, 1, lock):
            with lock:
                acks["n"] += 1
                if acks["n"] >= KILL_AFTER:
                    enough.set()

    try:
        server.start()
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = [pool.submit(first_phase, sub) for sub in subs]
            assert enough.wait(timeout=40), server.log.read_text()[-3000:]
            server.kill()  # midway: requests in flight, others still queued
            for f in futures:
                f.result()
        unanswered = [sub for sub in subs if not sub.acknowledged(1)]
        assert unanswered, "the kill came after every request was answered"
        # Stored, but the answer never left: the retry must find these, not store them again.
        stored_unanswered = sum(_stored(sub) for sub in unanswered)

        server.start()
        # Every request without an answer is sent again, and a few answered ones too (a
        # client that never saw its answer): same body, same client token.
        again = unanswered + [sub for sub in subs if sub.acknowledged(1)][:6]
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(lambda sub: _send(server, sub, 2, lock), again))
        stored = _check_stored(subs, world)
        print(f"\ndurability: {len(subs)} submissions ({stored['reports']} portal reports, "
              f"{stored['sources']} sources), {sum(len(sub.answers) for sub in subs)} requests; "
              f"{len(subs) - len(unanswered)} acknowledged before the SIGKILL, {len(unanswered)} "
              f"not ({stored_unanswered} of them already stored), all sent again; "
              f"{sum(1 for sub in subs if sub.acknowledged())} acknowledged in the end, "
              f"{stored['reports'] + stored['sources']} stored, 0 twice")

        _race_decisions(server, world)
    finally:
        server.kill()
    print(f"durability test: {time.monotonic() - started:.1f} s")


def _check_stored(subs: list[Submission], world) -> dict[str, int]:
    """Every submission acknowledged, stored once with what was sent and its journal entry;
    every answer to one submission names the same record."""
    errors = [(sub.kind, st, p) for sub in subs for _ph, st, p in sub.answers if st >= 500]
    assert errors == [], errors
    unacknowledged = [(sub.kind, sub.answers) for sub in subs if not sub.acknowledged()]
    assert unacknowledged == [], unacknowledged
    for sub in subs:
        keys = {sub.record_key(p) for p in sub.acknowledged()}
        assert len(keys) == 1, (sub.kind, sub.answers)

    portal_subs = [sub for sub in subs if sub.kind == "portal"]
    reports = {r.tracking_code: r for r in PortalReport.objects.all()}
    assert len(reports) == len(portal_subs)  # nothing more was stored than was sent
    assert len({r.client_token for r in reports.values()}) == len(reports)
    for sub in portal_subs:
        report = reports[sub.record_key(sub.acknowledged()[0])]
        assert report.description == sub.body["description"].strip()
        assert report.client_token == _scoped_token(sub)
    for sub in [sub for sub in portal_subs if any(ph == 2 and st == 200
                                                  for ph, st, _p in sub.answers)]:
        # A retry that found its report stored (200) gives a new passphrase, the one that
        # now opens the report: the citizen is never left without one (finding 14).
        last = sub.acknowledged()[-1]
        assert last["passphrase"], sub.answers
        assert check_password(last["passphrase"], reports[last["tracking_code"]].passphrase_hash)

    source_subs = [sub for sub in subs if sub.kind == "source"]
    units = {unit.pk for _u, unit, _c in world["officers"]}
    sources = {src.pk: src for src in Source.objects.filter(unit__in=units)}
    assert len(sources) == len(source_subs)
    assert len({src.client_token for src in sources.values()}) == len(sources)
    for sub in source_subs:
        source = sources[sub.record_key(sub.acknowledged()[0])]
        assert source.summary == sub.body["summary"]
        assert source.created_by_id == sub.user.pk
        assert source.client_token == _scoped_token(sub)
    for unit in units:  # a killed receipt leaves no gap and no number given twice
        numbers = sorted(src.register_number for src in sources.values() if src.unit_id == unit)
        assert numbers == list(range(1, len(numbers) + 1))

    # One journal entry for each record: a crash never writes one without the other.
    submitted = Counter(AuditEvent.objects.filter(action="portal.submit")
                        .values_list("object_id", flat=True))
    assert submitted == Counter(str(r.pk) for r in reports.values())
    received = Counter(AuditEvent.objects.filter(action="source.receive",
                                                 object_id__in=[str(pk) for pk in sources])
                       .values_list("object_id", flat=True))
    assert received == Counter(str(pk) for pk in sources)
    return {"reports": len(reports), "sources": len(sources)}


def _race_decisions(server: Server, world) -> None:
    """Two officers of the investigation body decide one source at the same moment: the
    assigned investigator declines it while the head initiates a case, and the other way
    round. One decision is taken, the other refused with 409; the journal has one."""
    head, investigator = world["head"], world["investigator"]
    outcomes = []
    for round_ in range(RACES):
        source = s.source_receive(
            actor=world["intake"], unit=world["body"], kind="crime_report",
            channel="hotline_113", summary=f"Đánh nhau gây thương tích {round_}",
            content="Hai nhóm thanh niên đánh nhau.", commune=world["communes"][0],
            reporter=s.Reporter(type="anonymous"))
        s.source_classify(actor=world["intake"], source=source, article="134", clause=1)
        s.source_assign(actor=head, source=source, investigator=investigator)
        decline = (investigator, "decline", {"ground": "not_a_crime", "note": "Xô xát nhẹ",
                                             "decision_number": f"{round_}/QĐ-KKT"})
        initiate = (head, "initiate", {"decision_number": f"{round_}/QĐ-KTVA"})
        pair = [decline, initiate] if round_ % 2 == 0 else [initiate, decline]
        barrier = threading.Barrier(2)
        results: dict[str, tuple[int, dict]] = {}

        def decide(user, step, body, source=source, barrier=barrier, results=results):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
            conn.connect()  # connected before the barrier: the two requests leave together
            barrier.wait(timeout=10)
            results[step] = call(server.port, "POST", f"/api/v1/sources/{source.pk}/{step}/",
                                 body, {"Authorization": f"Token {world['tokens'][user.pk]}"},
                                 conn=conn)

        threads = [threading.Thread(target=decide, args=args) for args in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(st for st, _p in results.values()) == [200, 409], results
        winner = next(step for step, (st, _p) in results.items() if st == 200)
        loser = next(p for st, p in results.values() if st == 409)
        assert loser["error"]["code"] == "invalid_transition", loser
        source.refresh_from_db()
        assert source.status == {"decline": "declined", "initiate": "initiated"}[winner]
        decisions = AuditEvent.objects.filter(
            object_type="sources.source", object_id=str(source.pk),
            action__in=["source.decline", "source.initiate"])
        assert [e.action for e in decisions] == [f"source.{winner}"]
        outcomes.append(winner)
    print(f"\ndecision races: {RACES}, each one 200 and one 409 (winners: {outcomes})")
