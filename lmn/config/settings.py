"""One settings module, driven by the environment.

LMN_DATA_DIR  where the SQLite file and other local state live (default ./data)
DATABASE_URL  e.g. postgres://postgres@127.0.0.1:5432/lmn; absent means embedded SQLite
LMN_TRAINING  "1" enables the training logins (password "demo"); "0" is production:
              LMN_SECRET_KEY and LMN_SMTP_HOST are then required, cookies are secure,
              HTTPS is enforced (HSTS, redirect) and e-mail goes out by SMTP
See README.md, "In production", for every variable.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("LMN_DATA_DIR", BASE_DIR / "data")).resolve()

DEBUG = os.environ.get("LMN_DEBUG", "0") == "1"
TRAINING_MODE = os.environ.get("LMN_TRAINING", "1") == "1"
PRODUCTION = not TRAINING_MODE


def _required(name: str, why: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set. In production (LMN_TRAINING=0) {why}")
    return value


if PRODUCTION:
    SECRET_KEY = _required(
        "LMN_SECRET_KEY",
        "set it to a long random secret, e.g. the output of "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
    )
else:
    SECRET_KEY = os.environ.get("LMN_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = os.environ.get("LMN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(
    ","
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "lmn.audit.admin_apps.LmnAdminConfig",  # django.contrib.admin, audited (lmn.audit.admin_site)
    "axes",
    "ninja",  # serves the Swagger UI of /api/v1/docs from our static files, not a CDN
    "lmn.core",
    "lmn.audit",
    "lmn.organisations",
    "lmn.accounts",
    "lmn.patients",
    "lmn.catalog",
    "lmn.prescriptions",
    "lmn.withdrawals",
    "lmn.delivery",
    "lmn.notifications",
    "lmn.cases",
    "lmn.reminders",
    "lmn.vouchers",
    "lmn.logreview",
    "lmn.invoicing",
    "lmn.reporting",
    "lmn.representation",
    "lmn.api",
    "lmn.eservice",
    "lmn.web",
    "lmn.demo",
    "lmn.ops",
    "django_tasks_db",  # the task queue's table and its admin list (read-only)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "lmn.web.refusals.RefusalMiddleware",
]

# Login hardening: our flood limit counts the attempt first (before any hash); then
# django-axes locks a username after repeated failures (before the password backend);
# sessions rotate at login (django.contrib.auth.login) and end at logout; the portal
# ends idle sessions (lmn/web/middleware.py).
AUTHENTICATION_BACKENDS = [
    "lmn.accounts.backends.LoginThrottleBackend",  # before any password hash runs
    "axes.backends.AxesStandaloneBackend",
    "lmn.accounts.backends.LmnModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # a clinic shares one address
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its log lines name users and addresses
AXES_LOCKOUT_CALLABLE = "lmn.accounts.lockout.keep_response"
# Login flood control (lmn/accounts/throttle.py): password logins per client address and
# for everyone together per window, counted before the password hash. A clinic shares
# one address; the global cap keeps password hashing below what the CPUs can do.
LMN_LOGIN_WINDOW_SECONDS = int(os.environ.get("LMN_LOGIN_WINDOW_SECONDS", 60))
LMN_LOGIN_ATTEMPTS_PER_ADDRESS = int(os.environ.get("LMN_LOGIN_ATTEMPTS_PER_ADDRESS", 30))
LMN_LOGIN_ATTEMPTS_GLOBAL = int(os.environ.get("LMN_LOGIN_ATTEMPTS_GLOBAL", 100))
# how many reverse proxies in front of LMN append to X-Forwarded-For (0: none)
LMN_TRUSTED_PROXIES = int(os.environ.get("LMN_TRUSTED_PROXIES", 0))
# Staff single sign-on (SITHS through the region's OIDC provider), off unless configured.
OIDC_ENABLED = bool(os.environ.get("LMN_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("lmn.accounts.oidc.HsaIdBackend")
    OIDC_RP_CLIENT_ID = os.environ["LMN_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("LMN_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("LMN_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid profile"
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["LMN_OIDC_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["LMN_OIDC_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["LMN_OIDC_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("LMN_OIDC_JWKS_ENDPOINT", "")
    LMN_OIDC_HSA_CLAIM = os.environ.get("LMN_OIDC_HSA_CLAIM", "hsa_id")
    LOGIN_REDIRECT_URL = "/"
SESSION_IDLE_SECONDS = int(os.environ.get("LMN_SESSION_IDLE_SECONDS", 30 * 60))

ROOT_URLCONF = "lmn.config.urls"
WSGI_APPLICATION = "lmn.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lmn.web.context.acting_unit",
                "lmn.audit.context.audit_alarm",
                "lmn.eservice.context.eservice",
            ],
        },
    }
]

# The data folder holds patient data (the SQLite file, the outbox): everything this
# process creates is private to its user (folders 0700, files 0600), the SQLite file and
# its -wal/-shm companions included, which only the process umask can govern.
os.umask(0o077)
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.getuid():  # a folder made before this rule: close it too
    DATA_DIR.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # parameters bound by the server, so that psycopg prepares a statement run
        # often on a connection: the order path's joins were planned anew each time
        # (planning cost more than running them). No parallel workers: a request's
        # queries read a handful of rows, and starting workers cost 5-8 ms whenever an
        # estimate skewed by one long history made a plan parallel (bench, 1,000,000
        # withdrawals). A deployment's own `options` in DATABASE_URL replace this one.
        DATABASES["default"]["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": 2,
            "options": "-c max_parallel_workers_per_gather=0",
            **DATABASES["default"].get("OPTIONS", {}),
        }
else:
    DATABASES = {
        "default": {
            # Our SQLite backend serialises write transactions across threads and
            # processes (see lmn/core/sqlite/base.py) so that writers queue instead of
            # spinning on SQLITE_BUSY, which gave second-long tails here.
            "ENGINE": "lmn.core.sqlite",
            "NAME": str(DATA_DIR / "lmn.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# The patients' e-service login (BankID, Freja through the region's OIDC provider), off
# unless configured; in training the e-service has its own training login instead.
ESERVICE_OIDC_ENABLED = bool(os.environ.get("LMN_ESERVICE_OIDC_CLIENT_ID"))
ESERVICE_OIDC_RP_CLIENT_ID = os.environ.get("LMN_ESERVICE_OIDC_CLIENT_ID", "")
ESERVICE_OIDC_RP_CLIENT_SECRET = os.environ.get("LMN_ESERVICE_OIDC_CLIENT_SECRET", "")
ESERVICE_OIDC_RP_SIGN_ALGO = os.environ.get("LMN_ESERVICE_OIDC_SIGN_ALGO", "RS256")
ESERVICE_OIDC_RP_SCOPES = os.environ.get("LMN_ESERVICE_OIDC_SCOPES", "openid profile")
ESERVICE_OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "LMN_ESERVICE_OIDC_AUTHORIZATION_ENDPOINT", ""
)
ESERVICE_OIDC_OP_TOKEN_ENDPOINT = os.environ.get("LMN_ESERVICE_OIDC_TOKEN_ENDPOINT", "")
ESERVICE_OIDC_OP_USER_ENDPOINT = os.environ.get("LMN_ESERVICE_OIDC_USER_ENDPOINT", "")
ESERVICE_OIDC_OP_JWKS_ENDPOINT = os.environ.get("LMN_ESERVICE_OIDC_JWKS_ENDPOINT") or None
# the claim that carries the personnummer (the Swedish OIDC profile's name by default)
ESERVICE_OIDC_PNR_CLAIM = os.environ.get(
    "LMN_ESERVICE_OIDC_PNR_CLAIM", "https://id.oidc.se/claim/personalIdentityNumber"
)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# Swedish is the source language (the msgids); locale/en holds the English catalogue.
# `make messages` regenerates the catalogues, see README ("Languages").
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date and number formats per language (Django's "en" is American; ours is
# the day-month-year English of the EU), see lmn/config/formats/.
FORMAT_MODULE_PATH = ["lmn.config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root before collectstatic
# Stored documents (later invoices) go to STORAGES["default"]. Labels are not stored:
# each is rendered from the database when printed. On one machine the files live under
# LMN_DATA_DIR/media; several servers share an object store or a shared mount instead:
# LMN_STORAGE_BACKEND (e.g. storages.backends.s3.S3Storage) with LMN_STORAGE_OPTIONS (JSON).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "LMN_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(
            os.environ.get("LMN_STORAGE_OPTIONS", "")
            or json.dumps({"location": str(DATA_DIR / "media")})
        ),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Production runs behind HTTPS only. Behind a reverse proxy that terminates TLS, set
# LMN_TRUSTED_PROXIES to the number of proxies: the proxy must then set X-Forwarded-Proto
# (and append X-Forwarded-For), which Django trusts to tell HTTPS from HTTP.
SECURE_SSL_REDIRECT = PRODUCTION
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = int(os.environ.get("LMN_HSTS_SECONDS", 31_536_000)) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if LMN_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("LMN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_ENGINE = "lmn.web.sessions"  # Django's database sessions, read faster
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Nothing personal goes into logs: request lines carry only paths (identifiers are in
# POST bodies or looked up by internal id), and we log no request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Entitlement and delivery policy defaults (RULES.md); a region overrides per product area.
LMN_POLICY = {
    "validity_months": 12,
    "max_supply_days": 90,
    "standard_working_days": 5,
    "home_region": "VG",
}
API_TOKEN_HOURS = 8
# how long a server keeps a token's actor while nothing access depends on changes
# (lmn/accounts/token_cache.py): names and addresses may lag this long, access never
API_TOKEN_CACHE_SECONDS = int(os.environ.get("LMN_API_TOKEN_CACHE_SECONDS", "60"))
# How long a process keeps the region policy (read by every order) before reading it again;
# a change saved in the same process is seen at once, one saved by another server within this.
LMN_REFERENCE_CACHE_SECONDS = float(os.environ.get("LMN_REFERENCE_CACHE_SECONDS", 30))

# Scheduled work: each job is a function taking no arguments and answering counts, run as a
# task (lmn.ops.tasks.run_job) once per period (seconds). Workers (`manage.py run_worker`)
# enqueue what is due; a row per (job, period) makes that happen once however many workers
# there are. Listed in settings so that no app imports another's jobs; the order is the
# order within a period (earlier runs first).
LMN_SCHEDULED_JOBS = {
    "lmn.cases.jobs.follow_ups": 300,  # OOA-3 follow-ups of out-of-assortment deliveries
    "lmn.cases.jobs.register_sync": 300,  # SKYDD-7 protection and deaths from the register
    "lmn.withdrawals.jobs.return_uncollected_parcels": 300,  # PICK-4
    "lmn.withdrawals.jobs.deliver_notifications": 60,  # the notification outbox
    "lmn.reminders.jobs.run_out_reminders": 3600,  # EPAT-3, once per supply period
    "lmn.reminders.jobs.collection_reminders": 3600,  # days before a parcel goes back
    "lmn.prescriptions.jobs.expiry_notices": 3600,  # RX-2: tell patients before expiry
    "lmn.audit.integrity.run_audit_jobs": 3600,  # verify the audit trail, then seal its heads
    "lmn.logreview.jobs.apply_retention": 86400,  # PDL: pseudonymise inactive patients
    "lmn.ops.schedule.prune_history": 86400,  # old finished tasks and period rows
    # INV-1: last month's invoices; idempotent, so daily runs pick up what a problem held
    "lmn.invoicing.jobs.monthly_invoicing": 86400,
}
# The task queue: rows in the database, run by `manage.py run_worker` (django-tasks-db);
# on PostgreSQL several workers take rows with SELECT ... FOR UPDATE SKIP LOCKED.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed job is tried again after 30 s, 60 s, 120 s ... up to this many retries.
LMN_JOB_RETRIES = 5
# Run-out reminders go out this many days before the last day to order for standard
# delivery to arrive in time; collection reminders this many days before a parcel goes back.
LMN_REMINDER_MARGIN_DAYS = int(os.environ.get("LMN_REMINDER_MARGIN_DAYS", "7"))
LMN_COLLECTION_REMINDER_DAYS = int(os.environ.get("LMN_COLLECTION_REMINDER_DAYS", "3"))
LMN_JOB_RETRY_BASE_SECONDS = 30
# The key that seals the audit trail's checkpoints (lmn/audit/integrity.py). Keep it out
# of the database and its backups; in training, absent means a key file in LMN_DATA_DIR.
LMN_AUDIT_SEAL_KEY = os.environ.get("LMN_AUDIT_SEAL_KEY", "")

DEFAULT_FROM_EMAIL = os.environ.get("LMN_FROM_EMAIL", "LMN <noreply@lmn.example.se>")
# Training writes e-mail to files under the data dir; production sends it by SMTP.
if PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _required("LMN_SMTP_HOST", "name the SMTP server that sends e-mail."),
                "port": int(os.environ.get("LMN_SMTP_PORT", 587)),
                "username": os.environ.get("LMN_SMTP_USER", ""),
                "password": os.environ.get("LMN_SMTP_PASSWORD", ""),
                "use_tls": os.environ.get("LMN_SMTP_TLS", "1") == "1",
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "outbox" / "email")},
        }
    }

# Where notifications go, per channel (lmn/notifications/gateways.py): "email" (Django's
# mail backend above), "folder" (training: files under LMN_DATA_DIR/outbox), "database"
# (an outbox table the region's integration drains) or "http" (POST to
# LMN_SMS_GATEWAY_URL / LMN_LETTER_GATEWAY_URL). The folder only in training on SQLite:
# with DATABASE_URL set, no server keeps messages on its own disk.
_LOCAL = TRAINING_MODE and not os.environ.get("DATABASE_URL")
LMN_NOTIFICATION_GATEWAYS = {
    "email": "email" if PRODUCTION or _LOCAL else "database",
    "sms": os.environ.get("LMN_SMS_GATEWAY", "folder" if _LOCAL else "database"),
    "letter": os.environ.get("LMN_LETTER_GATEWAY", "folder" if _LOCAL else "database"),
    "webhook": "webhook",  # journal systems' registered endpoints (lmn.notifications.Webhook)
}
if not _LOCAL and "folder" in LMN_NOTIFICATION_GATEWAYS.values():
    raise ImproperlyConfigured(
        "LMN_SMS_GATEWAY / LMN_LETTER_GATEWAY=folder keeps messages on this server's disk: "
        "it is for training on SQLite only. Use database or http."
    )
LMN_SMS_GATEWAY_URL = os.environ.get("LMN_SMS_GATEWAY_URL", "")
LMN_LETTER_GATEWAY_URL = os.environ.get("LMN_LETTER_GATEWAY_URL", "")

# Whom users call: the help page (/hjalp/) shows these. Each region sets its own numbers,
# addresses and opening hours in the environment; the defaults are the training world's.
LMN_HELP_CONTACTS = [
    {
        "key": "customer_service",
        "name": os.environ.get("LMN_CS_NAME", "Kundtjänst för läkemedelsnära produkter"),
        "about": "Frågor om uttag, leveranser, ärenden och patienter som inte hittas.",
        "phone": os.environ.get("LMN_CS_PHONE", "010-441 00 00"),
        "email": os.environ.get("LMN_CS_EMAIL", "kundtjanst.lmn@example.se"),
        "hours": os.environ.get("LMN_CS_HOURS", "Vardagar 8–16"),
    },
    {
        "key": "administration",
        "name": os.environ.get("LMN_ADMIN_NAME", "LMN-administrationen"),
        "about": "Behörigheter, förskrivande enheter, kundnummer och sortimentet.",
        "phone": os.environ.get("LMN_ADMIN_PHONE", "010-441 00 10"),
        "email": os.environ.get("LMN_ADMIN_EMAIL", "lmn.administration@example.se"),
        "hours": os.environ.get("LMN_ADMIN_HOURS", "Vardagar 9–15"),
    },
]
