"""Officers at work, for benchmarks/load_test.py (run by locust in its own environment; it
imports nothing of PCTP). The mix, per officer: the queue of crime sources (8), a source's
page and a case's page as the investigation body's investigator opens them (4, 3), a search
(2), a new source received through the API (1, with a client token) and then forwarded to
the investigation body (a transition), the KPI dashboard (1, for a tenth of them: the
statistics analysts). Each request goes to one of
the app servers in PCTP_LOAD_HOSTS; a server that refuses the connection (killed mid-run)
is dropped and the request sent again to another, as a balancer would; that retry is not
an error. Every source the API acknowledged is written to PCTP_LOAD_ACKS, one token a line,
so that the runner checks each is stored (the officer's name and the token, a line each)."""

from __future__ import annotations

import json
import os
import random
import uuid

from locust import HttpUser, between, task

CONFIG = json.loads(os.environ["PCTP_LOAD_CONFIG"])
HOSTS = list(CONFIG["hosts"])
DEAD: set[str] = set()
ACKS = open(CONFIG["acks"], "a", buffering=1)  # noqa: SIM115 - one file for the run
WORDS = ["xe máy", "điện thoại", "lừa đảo", "trộm", "ma túy", "đánh bạc", "cướp", "chợ"]


class Officer(HttpUser):
    wait_time = between(1, 3)
    host = HOSTS[0]

    def on_start(self):
        self.me = random.choice(CONFIG["officers"])
        self.analyst = random.random() < 0.1

    def _get(self, path, name, cookie):
        for _ in range(len(HOSTS)):
            alive = [h for h in HOSTS if h not in DEAD] or HOSTS
            host = random.choice(alive)
            try:
                with self.client.get(host + path, name=name, cookies={"sessionid": cookie},
                                     allow_redirects=False, catch_response=True) as answer:
                    if answer.status_code == 0:  # connection refused: the server is gone
                        DEAD.add(host)
                        answer.success()  # not counted: retried elsewhere
                        continue
                    if answer.status_code != 200:
                        answer.failure(f"{answer.status_code}")
                    return
            except OSError:
                DEAD.add(host)

    @task(8)
    def queue(self):
        self._get("/sources/", "queue", self.me["session"])

    @task(4)
    def source(self):
        self._get(f"/sources/{random.choice(CONFIG['sources'])}/", "source page",
                  CONFIG["investigator"]["session"])

    @task(3)
    def case(self):
        self._get(f"/cases/{random.choice(CONFIG['cases'])}/", "case page",
                  CONFIG["investigator"]["session"])

    @task(2)
    def search(self):
        self._get(f"/sources/?q={random.choice(WORDS)}", "search", self.me["session"])

    @task(1)
    def dashboard(self):
        if self.analyst:
            self._get(f"/kpi/?plan={CONFIG['plan']}", "KPI dashboard",
                      CONFIG["analyst"]["session"])

    @task(1)
    def receive(self):
        token = uuid.uuid4().hex
        body = {"unit": self.me["unit"], "kind": "denunciation", "channel": "in_person",
                "summary": "Mất trộm xe máy trước nhà (kiểm thử tải)",
                "content": "Người dân báo mất xe máy.", "commune": self.me["commune"],
                "reporter_type": "anonymous", "client_token": token}
        received = self._post("/api/v1/sources/", body, "receive (API)")
        if received is None:
            return
        ACKS.write(f"{self.me['username']} {token}\n")
        # The transition that follows: the commune police pass it to the investigation body.
        self._post(f"/api/v1/sources/{received['id']}/forward/", None, "forward (API)",
                   retried_ok=409)

    def _post(self, path, body, name, retried_ok=None):
        """POST with the officer's token; a refused connection goes to another server. A
        retried step that the lost server had already done answers `retried_ok` (the step
        is not done twice): that is its success."""
        retried = False
        for _ in range(len(HOSTS) + 1):
            alive = [h for h in HOSTS if h not in DEAD] or HOSTS
            host = random.choice(alive)
            with self.client.post(host + path, json=body, name=name,
                                  headers={"Authorization": f"Token {self.me['token']}"},
                                  catch_response=True) as answer:
                if answer.status_code == 0:
                    DEAD.add(host)
                    answer.success()
                    retried = True
                    continue  # the same token again: stored once whatever happened
                if answer.status_code in (200, 201):
                    return answer.json()
                if retried and answer.status_code == retried_ok:
                    answer.success()
                    return None
                answer.failure(f"{answer.status_code}")
                return None
        return None
