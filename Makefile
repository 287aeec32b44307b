# PCTP entry points. `make demo` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PCTP := $(VENV)/bin/pctp
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test lint format bench migrate seed serve clean messages chromium pgbouncer

$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"
	$(PIP) install --quiet -r requirements/lock.txt
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var
	$(PCTP) compile-translations >/dev/null

migrate: setup
	$(PCTP) migrate --noinput

seed: migrate
	$(PCTP) seed-demo

# The demo serves with DEBUG off (real error pages, no debug 404 listing the URLs) and the
# static files from var/static through --insecure.
# One background worker runs beside the server (forecasts, scans, reminders) and stops with it.
demo: seed
	$(PCTP) collectstatic --noinput >/dev/null
	$(PCTP) liberty-alerts --enqueue >/dev/null  # the worker alerts on the demo's detainees
	@echo "PCTP is at http://$(HOST):$(PORT)/ (Ctrl+C to stop); a background worker and the scheduler run beside it"
	$(PCTP) db_worker --queue-name '*' --interval 2 & worker=$$!; \
	  $(PCTP) beat --interval 30 >/dev/null & beat=$$!; \
	  trap 'kill $$worker $$beat 2>/dev/null' EXIT INT TERM; \
	  PCTP_DEBUG=false $(PCTP) runserver --insecure $(HOST):$(PORT)

# The whole suite. The browser tests run when Debian's chromium is installed (`make
# chromium`, root) and are skipped with the reason otherwise; CI installs it and requires them.
test: setup
	PCTP_ENV=test $(PY) -m pytest -q $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) tools/untranslated.py --max 0

format: setup
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) -m benchmarks.run

# Re-extract translatable strings and fill Vietnamese from tools/vi.json.
messages: setup
	$(PCTP) makemessages -l vi -l en --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks
	$(PY) tools/fill_translations.py
	$(PCTP) compile-translations

# Debian's chromium for the browser tests (needs root and the Debian registry).
chromium:
	@command -v chromium >/dev/null && echo "chromium: $$(command -v chromium)" || \
	  (echo "Installing Debian's chromium with apt (root, about 2 minutes)…" && \
	   apt-get update -qq && apt-get install -y -qq chromium >/dev/null && echo "chromium installed")

clean:
	rm -rf $(VENV) var/static

# Debian's pgbouncer for the connection-pooling test (needs root and the Debian registry);
# without it that test is skipped with the reason.
pgbouncer:
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer && echo "pgbouncer: installed" || \
	  (echo "Installing Debian's pgbouncer with apt…" && \
	   (apt-get install -y -qq pgbouncer >/dev/null 2>&1 || \
	    (apt-get update -qq && apt-get install -y -qq pgbouncer >/dev/null)) && echo "pgbouncer installed")
