"""gunicorn's configuration for PCTP (issue 23): `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be set from the environment (the systemd unit's EnvironmentFile), so that one
file serves the one-host province, the large province's three app hosts and the nation.
The app processes keep no state of their own: sessions, lockouts, caches and rate-limit
counters live in the database (or Redis, PCTP_CACHE_URL), so any process may serve any
request and a revoked membership or a lockout holds on every one at once.
"""

import multiprocessing
import os

wsgi_app = "pctp.wsgi:application"
bind = os.environ.get("PCTP_BIND", "127.0.0.1:8000").split(",")

# Sync workers: each request holds one process and one database connection. Twice the cores
# plus one keeps the cores busy while workers wait on PostgreSQL; the database (or pgbouncer)
# must accept workers × app hosts connections, plus PCTP_KPI_WORKERS per dashboard being
# computed (docs/operations.md, "Sizing").
workers = int(os.environ.get("PCTP_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("PCTP_WEB_THREADS", 1))
timeout = int(os.environ.get("PCTP_WEB_TIMEOUT", 120))  # a yearly report page, an export
graceful_timeout = 30  # SIGTERM: requests under way finish, nothing acknowledged is cut
keepalive = 5
# A worker is replaced after this many requests (a slow leak cannot grow without bound);
# the jitter keeps them from restarting together.
max_requests = int(os.environ.get("PCTP_WEB_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# The workers' heartbeat files in memory (gunicorn's advice): a busy disk must not make the
# master think a worker hangs.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Behind nginx on the same host (or the addresses in PCTP_FORWARDED_ALLOW_IPS): the
# X-Forwarded-* of other clients are not trusted. The application reads the client's address
# through PCTP_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("PCTP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# The access log is nginx's; gunicorn's own log carries start, stop and worker errors.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PCTP_LOG_LEVEL", "info").lower()
proc_name = "pctp"
# gunicorn 27's control socket would go to $HOME/.gunicorn, read-only under the unit and
# shared by every server of the user: PCTP_CONTROL_SOCKET (e.g. /run/pctp/gunicorn.ctl,
# systemd's RuntimeDirectory) turns it on where it is wanted.
if os.environ.get("PCTP_CONTROL_SOCKET"):
    control_socket = os.environ["PCTP_CONTROL_SOCKET"]
control_socket_disable = not os.environ.get("PCTP_CONTROL_SOCKET")


def post_worker_init(worker):
    """Warm the worker before it accepts its first connection (pctp/core/warmup.py): the first
    officer it serves does not wait for imports, templates and catalogues.
    PCTP_WARMUP=false turns it off (the benchmark measures both)."""
    if os.environ.get("PCTP_WARMUP", "true").lower() not in ("0", "false", "no", "off"):
        from pctp.core.warmup import warm

        warm(worker.wsgi)
    ready = os.environ.get("PCTP_READY_FILE")  # for a monitor or a benchmark: the worker is ready
    if ready:
        with open(ready, "a") as marker:
            marker.write(f"{os.getpid()}\n")
