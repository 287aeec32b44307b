"""A new app process is warmed before it takes traffic (issue 23): the public pages answer
through the whole stack and every project template compiles."""

from pathlib import Path

import pytest

from pctp.core.warmup import PATHS, warm

# Transactional: the warm-up serves requests through the WSGI handler, whose end-of-request
# signal closes the database connection, as in a worker.
pytestmark = pytest.mark.django_db(transaction=True)


def test_warming_serves_the_public_pages_and_compiles_every_template(reference_data):
    done = warm()
    assert done["statuses"] == {path: 200 for path in PATHS}
    package = Path(__file__).resolve().parents[2] / "pctp"
    templates = [p for p in package.rglob("templates/**/*.html")]
    assert done["templates"] == len(templates)


def test_the_gunicorn_configuration_serves_pctp_and_warms_each_worker():
    config: dict = {}
    root = Path(__file__).resolve().parents[2]
    exec(compile((root / "deploy" / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"),
         config)
    assert config["wsgi_app"] == "pctp.wsgi:application"
    assert config["workers"] >= 1 and config["graceful_timeout"] > 0
    assert callable(config["post_worker_init"])
