"""PCTP settings. Every value comes from the environment (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pctp.core.env import env_bool, env_float, env_int, env_list, env_map, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PCTP_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("PCTP_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("PCTP_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("PCTP_DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = env_str("PCTP_SECRET_KEY")
else:
    SECRET_KEY = env_str("PCTP_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")

ALLOWED_HOSTS = env_list("PCTP_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PCTP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "captcha",
    "django_tasks",
    "django_tasks_db",
    "pctp.core",
    "pctp.units",
    "pctp.law",
    "pctp.sources",
    "pctp.portal",
    "pctp.analytics",
    "pctp.plans",
    "pctp.kpi",
    "pctp.cases",
    "pctp.areas",
    "pctp.imports",
    "pctp.reporting",
    "pctp.quality",
    "pctp.outreach",
    "pctp.national",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pctp.core.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pctp.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pctp.core.middleware.RequestContextMiddleware",
    "pctp.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "pctp.core.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "pctp.urls"
WSGI_APPLICATION = "pctp.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pctp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pctp.core.context_processors.navigation",
                "pctp.core.replica.lag_notice",
            ],
        },
    },
]

# SQLite under var/ is only the embedded default of a first run; set DATABASE_URL
# (postgres://…) for tests in CI and for production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'pctp.sqlite3'}",
        conn_max_age=env_int("PCTP_DB_CONN_MAX_AGE", 60),
    )
}
# Behind pgbouncer in transaction mode (issue 23): a connection is a server's only for one
# transaction, so nothing may outlive one — no server-side cursor, no prepared statement
# (psycopg prepares a query after 5 runs; pgbouncer before 1.21 cannot keep them) — and no
# startup parameter pgbouncer does not pass (`jit=off` is set on the database instead:
# ALTER DATABASE pctp SET jit = off; docs/operations.md).
PCTP_PGBOUNCER = env_bool("PCTP_PGBOUNCER", False)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    if PCTP_PGBOUNCER:
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
    else:
        # Queue pages are short queries; JIT compilation costs more than it saves (benchmarks).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded first-run database lives here
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Two officers writing at once must wait for each other, never get "database is
    # locked": WAL lets readers run beside the writer, a write transaction takes the write
    # lock when it begins (IMMEDIATE) instead of failing to upgrade a read lock, and a
    # writer waits up to 20 s for another.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
# A streaming replica (issue 23, pctp/core/replica.py): the KPI dashboard, crime analysis and
# report generation read it when it is at most PCTP_REPLICA_MAX_LAG_SECONDS behind; the
# pages say how far behind over PCTP_REPLICA_LAG_WARN_SECONDS. Never a write, never a read of
# a user who wrote within the allowed lag.
if env_str("DATABASE_REPLICA_URL", ""):
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL as the primary")
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""), conn_max_age=env_int("PCTP_DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = PCTP_PGBOUNCER
DATABASE_ROUTERS = ["pctp.core.replica.ReplicaRouter"]
PCTP_REPLICA_MAX_LAG_SECONDS = env_float("PCTP_REPLICA_MAX_LAG_SECONDS", 30.0)
PCTP_REPLICA_LAG_WARN_SECONDS = env_float("PCTP_REPLICA_LAG_WARN_SECONDS", 5.0)
PCTP_REPLICA_LAG_CHECK_SECONDS = env_float("PCTP_REPLICA_LAG_CHECK_SECONDS", 5.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state of the app processes (issue 23): sessions are rows of the database (Django's
# default engine), lockouts are django-axes' rows, and the cache — home-page figures and the
# API's rate-limit counters — is shared too, so that a limit counts every process and a
# change made through one is seen by all. `db` (default): a table of the database, created by
# `pctp migrate`; `redis://host:6379/1`: a Redis server; `locmem`: one process only (a
# single `runserver`), never behind several workers. The tests use locmem (each test starts
# with an empty cache without touching the database) and check db and Redis across processes.
PCTP_CACHE_URL = env_str("PCTP_CACHE_URL", "locmem" if ENVIRONMENT == "test" else "db")
if PCTP_CACHE_URL == "db":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "pctp_cache", "OPTIONS": {"MAX_ENTRIES": 20000}}}
elif PCTP_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": PCTP_CACHE_URL, "KEY_PREFIX": "pctp"}}
elif PCTP_CACHE_URL == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("PCTP_CACHE_URL must be db, locmem or a redis:// address")

# Background work on django-tasks (the backport of Django 6's django.tasks): the database is
# the queue, `pctp db_worker` runs it (one or more, on any host). Tests run tasks at once.
PCTP_TASKS_BACKEND = env_str("PCTP_TASKS_BACKEND", "immediate" if ENVIRONMENT == "test"
                             else "database")
if PCTP_TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured("PCTP_TASKS_BACKEND must be database or immediate")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"
                     if PCTP_TASKS_BACKEND == "database"
                     else "django_tasks.backends.immediate.ImmediateBackend",
                     "QUEUES": ["default", "forecasts", "imports", "reports"]}}
# The national roll-up (issue 23): the key a province signs its exports with (where the
# networks do not allow logical replication), and on the national database each
# province's key, `code=key` pairs.
PCTP_ROLLUP_SIGNING_KEY = env_str("PCTP_ROLLUP_SIGNING_KEY", "")
# The national database: it receives the provinces' figures, publishes none (no `rollup` job).
PCTP_NATIONAL = env_bool("PCTP_NATIONAL", False)
PCTP_ROLLUP_PROVINCE_KEYS = env_map("PCTP_ROLLUP_PROVINCE_KEYS", {})
# The periodic jobs' scheduler, `pctp beat` (pctp/core/schedule.py): the jobs it enqueues
# (empty: all) and how late a missed firing may still be enqueued when a scheduler returns.
PCTP_BEAT_JOBS = env_list("PCTP_BEAT_JOBS", [])
PCTP_BEAT_CATCH_UP_HOURS = env_float("PCTP_BEAT_CATCH_UP_HOURS", 6.0)
# Periodic reports (issue 20): a PDF of each .docx through LibreOffice when it is installed.
PCTP_REPORT_PDF = env_bool("PCTP_REPORT_PDF", True)
# A province's own .docx templates, one per report type (<type>.docx), edited from the
# default one; a type without a file here uses the default (docs/operations.md).
PCTP_REPORT_TEMPLATE_DIR = Path(env_str("PCTP_REPORT_TEMPLATE_DIR",
                                        str(VAR_DIR / "report-templates")))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Tests hash with MD5: argon2 costs about 0.15 s a password, paid by every persona of
    # every test (issue 18). Production and the demo keep argon2, checked by
    # tests/core/test_production_settings.py in a production process.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PCTP_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "pctp.units.backends.MembershipBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity and when the browser closes.
SESSION_COOKIE_AGE = env_int("PCTP_SESSION_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("PCTP_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Production tells browsers to use HTTPS only for a year (issue 16, finding 16); set 0 to
# turn it off (e.g. while a site is first put behind TLS).
SECURE_HSTS_SECONDS = env_int("PCTP_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_SSL_REDIRECT = env_bool("PCTP_SSL_REDIRECT", False)
if env_bool("PCTP_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lockout (django-axes): PCTP_LOCKOUT_FAILURES failures lock the account+address pair.
AXES_FAILURE_LIMIT = env_int("PCTP_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("PCTP_LOCKOUT_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_IPWARE_PROXY_COUNT = env_int("PCTP_PROXY_COUNT", 0) or None

# Second factor (django-otp TOTP) for the roles listed here and for administrators.
OTP_TOTP_ISSUER = env_str("PCTP_OTP_ISSUER", "PCTP")
PCTP_SECOND_FACTOR_ROLES = env_list(
    "PCTP_SECOND_FACTOR_ROLES", ["system_admin", "unit_leader", "provincial_leader"]
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pctp" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Dates read and shown day first (dd/mm/yyyy) in both languages (pctp/formats).
FORMAT_MODULE_PATH = ["pctp.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "pctp" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
if ENVIRONMENT == "test":  # the tests' uploads and reports stay out of the checkout
    import tempfile

    MEDIA_ROOT = Path(tempfile.gettempdir()) / "pctp-test-media"

# Content Security Policy: everything is served from this origin (no CDN).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "pctp.core.api.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "pctp.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {  # i18n: data (the schema's name, one language)
    "TITLE": "PCTP API — Hệ thống phòng, chống tội phạm",
    "DESCRIPTION": "API liên thông của hệ thống phòng, chống tội phạm cấp tỉnh.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Every operation's error answers, in the API's one error shape (pctp/core/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "pctp.core.schema.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "SourceKindEnum": "pctp.sources.models.Kind",
        "UnitKindEnum": "pctp.units.models.Unit.Kind",
        "CommuneKindEnum": "pctp.units.models.Commune.Kind",
        "AccessLogKindEnum": "pctp.core.models.AccessLog.Kind",
        "DeclineGroundEnum": "pctp.sources.models.DeclineGround",
        "SuspendGroundEnum": "pctp.sources.models.SuspendGround",
        "PlanStatusEnum": "pctp.plans.models.Plan.Status",
        "TaskStatusEnum": "pctp.plans.models.Task.Status",
        "UnitReportStatusEnum": "pctp.plans.models.UnitReport.Status",
        "TaskUpdateKindEnum": "pctp.plans.models.TaskUpdate.Kind",
        "ReportKindEnum": "pctp.plans.models.ReportKind",
        "CaseStatusEnum": "pctp.cases.models.Status",
        "AppealKindEnum": "pctp.cases.models.Appeal.Kind",
        "AppealOutcomeEnum": "pctp.cases.models.Appeal.Outcome",
        "OutreachChannelEnum": "pctp.outreach.models.Channel",
        "SourceChannelEnum": "pctp.sources.models.Channel",
        "CaseOriginEnum": "pctp.cases.models.Origin",
        "CaseSuspendGroundEnum": "pctp.cases.models.SuspendGround",
        "CaseTerminateGroundEnum": "pctp.cases.models.TerminateGround",
        "DetectionMethodEnum": "pctp.cases.models.DetectionMethod",
        "MeasureKindEnum": "pctp.cases.models.Measure.Kind",
        "ReferralKindEnum": "pctp.cases.models.Referral.Kind",
        "RecoveryKindEnum": "pctp.cases.models.Recovery.Kind",
        "CriminalGroupStatusEnum": "pctp.cases.models.CriminalGroup.Status",
        "ForecastMethodEnum": "pctp.analytics.models.METHOD_CHOICES",
        "ForecastStatusEnum": "pctp.analytics.models.Forecast.State",
        "KeyAreaStatusEnum": "pctp.areas.models.Status",
        "ModelCommuneKindEnum": "pctp.areas.models.ModelCommune.Kind",
        "ModelCommuneStatusEnum": "pctp.areas.models.ModelCommune.Status",
    },
}

# The deployed province (official code) and the demo seed's password.
PCTP_PROVINCE_CODE = env_str("PCTP_PROVINCE_CODE", "80")
PCTP_DEMO_PASSWORD = env_str("PCTP_DEMO_PASSWORD", "" if PRODUCTION else "Demo@2026pctp")
# The demo's size: 1 is about 5,000 crime sources a year (docs/operations.md); tests use 0.05.
PCTP_DEMO_SCALE = env_float("PCTP_DEMO_SCALE", 1.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "pctp.core.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env_str("PCTP_LOG_LEVEL", "INFO").upper()},
    "loggers": {"axes": {"level": "WARNING"}},
}

# CPC Art. 134 leaves open whether a DAY limit ending on a rest day moves to the next
# working day (month limits do). Default: no. See docs/decisions.md.
PCTP_DAY_LIMIT_ROLLOVER = env_bool("PCTP_DAY_LIMIT_ROLLOVER", False)
# Which procuracy level grants each extension after 1/7/2025 is open (DOMAIN.md §6):
# "<rule>:<severity|*>:<n>=regional|provincial|supreme" pairs replace the default of
# pctp.law.timelimits (the regional procuracy in place of the district one). Checked at start.
PCTP_GRANTING_LEVELS = env_map("PCTP_GRANTING_LEVELS", {})
# A decision signed before a limit expired may be entered up to this many hours after it;
# entered later, it cannot be shown to have been taken in time and is recorded as late.
PCTP_LATE_ENTRY_HOURS = env_int("PCTP_LATE_ENTRY_HOURS", 24)

# Field encryption keys for reporter identities: "kid:base64(32 bytes)", first one active.
# Generate: python -c "import os,base64;print('k1:'+base64.b64encode(os.urandom(32)).decode())"
if PRODUCTION:
    PCTP_FIELD_KEYS = env_list("PCTP_FIELD_KEYS")
else:
    from pctp.core.crypto import dev_keys

    PCTP_FIELD_KEYS = env_list("PCTP_FIELD_KEYS", dev_keys(SECRET_KEY))

PCTP_UPLOAD_MAX_BYTES = env_int("PCTP_UPLOAD_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Plans and tasks: reminders go this many days before a deadline, and the day after it is
# missed (`pctp send-reminders`, daily). E-mail through Django's backend; the console
# backend (prints the mail) unless a deployment sets SMTP.
PCTP_REMINDER_DAYS = env_int("PCTP_REMINDER_DAYS", 3)
# The home page's targets card is computed once per scope for this many seconds.
PCTP_HOME_KPI_SECONDS = env_int("PCTP_HOME_KPI_SECONDS", 300)
# The home page's card of people held near or past their limit, kept per scope (seconds).
PCTP_HOME_LIBERTY_SECONDS = env_int("PCTP_HOME_LIBERTY_SECONDS", 60)
PCTP_SITE_URL = env_str("PCTP_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env_str("PCTP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("PCTP_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PCTP_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PCTP_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("PCTP_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PCTP_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PCTP_DEFAULT_FROM_EMAIL", "PCTP <pctp@localhost>")

# Citizens' portal: rate limits and the population-database adapter (local | http).
PCTP_PORTAL_SUBMITS_PER_HOUR = env_int("PCTP_PORTAL_SUBMITS_PER_HOUR", 5)
# Outreach (issue 22, decision 66): a campaign's effect compares these many whole weeks
# before it with its weeks and these many after it; below this many events in the targeted
# communes it says "not enough data".
PCTP_OUTREACH_BEFORE_WEEKS = env_int("PCTP_OUTREACH_BEFORE_WEEKS", 12)
PCTP_OUTREACH_AFTER_WEEKS = env_int("PCTP_OUTREACH_AFTER_WEEKS", 4)
PCTP_OUTREACH_MIN_EVENTS = env_int("PCTP_OUTREACH_MIN_EVENTS", 20)
PCTP_PORTAL_MAX_FAILURES = env_int("PCTP_PORTAL_MAX_FAILURES", 8)
PCTP_PORTAL_SLOW_AFTER = env_int("PCTP_PORTAL_SLOW_AFTER", 3)
PCTP_PORTAL_SLOW_SECONDS = env_int("PCTP_PORTAL_SLOW_SECONDS", 10)
PCTP_PORTAL_BLOCK_MINUTES = env_int("PCTP_PORTAL_BLOCK_MINUTES", 60)
PCTP_PORTAL_MAX_FILES = env_int("PCTP_PORTAL_MAX_FILES", 5)
PCTP_POPULATION_ADAPTER = env_str("PCTP_POPULATION_ADAPTER", "local")
PCTP_POPULATION_URL = env_str("PCTP_POPULATION_URL", "")
PCTP_POPULATION_TOKEN = env_str("PCTP_POPULATION_TOKEN", "")
CAPTCHA_IMAGE_SIZE = (140, 44)
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LENGTH = 5
CAPTCHA_TEST_MODE = env_bool("PCTP_CAPTCHA_TEST_MODE", False)

# KPI dashboard (issue 8): a denominator under this is "not enough data", neither success
# nor failure; a value missing its threshold by at most the margin (percentage points) is
# "at risk" rather than "missed".
PCTP_KPI_MIN_DENOMINATOR = env_int("PCTP_KPI_MIN_DENOMINATOR", 10)
PCTP_KPI_AT_RISK_MARGIN = env_float("PCTP_KPI_AT_RISK_MARGIN", 5.0)
# Database connections a dashboard computes its targets' figures on at once (PostgreSQL;
# 1: one after the other). Each target's queries are independent.
PCTP_KPI_WORKERS = env_int("PCTP_KPI_WORKERS", 2)

# Crime analysis: default forecast cell size and method; an XYZ tile server for the maps
# (empty: the maps are drawn offline over the commune boundaries).
PCTP_ANALYTICS_CELL_M = env_int("PCTP_ANALYTICS_CELL_M", 750)
PCTP_ANALYTICS_METHOD = env_str("PCTP_ANALYTICS_METHOD", "sepp")
PCTP_MAP_TILE_URL = env_str("PCTP_MAP_TILE_URL", "")
