"""Settings: one base with everything wired, driven by the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from qingzhai.config.env import env_bool, env_int, env_list, local_secrets

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("QINGZHAI_DATA_DIR", "var")).resolve()
MEDIA_ROOT = DATA_DIR / "files"
STATIC_ROOT = DATA_DIR / "static"

DEBUG = env_bool("QINGZHAI_DEBUG", False)
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
_SECRETS = local_secrets(
    DATA_DIR, allow_generate=env_bool("QINGZHAI_ALLOW_GENERATED_SECRETS", not DATABASE_URL or DEBUG)
)
SECRET_KEY = _SECRETS["QINGZHAI_SECRET_KEY"]
# PII encryption: comma-separated Fernet keys, newest first; the first encrypts, all decrypt.
QINGZHAI_PII_KEYS = [k.strip() for k in _SECRETS["QINGZHAI_PII_KEYS"].split(",") if k.strip()]
QINGZHAI_BLIND_INDEX_KEY = _SECRETS["QINGZHAI_BLIND_INDEX_KEY"]

ALLOWED_HOSTS = env_list("QINGZHAI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("QINGZHAI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "qingzhai.core",
    "qingzhai.accounts",
    "qingzhai.portfolio",
    "qingzhai.compliance",
    "qingzhai.evidence",
    "qingzhai.profiling",
    "qingzhai.scoring",
    "qingzhai.legal",
    "qingzhai.contact",
    "qingzhai.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qingzhai.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qingzhai.config.urls"
WSGI_APPLICATION = "qingzhai.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:queue"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qingzhai.web.context.navigation",
            ],
        },
    }
]

_default_db = f"sqlite:///{DATA_DIR / 'qingzhai.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    _test_name = os.environ.get("QINGZHAI_TEST_SQLITE")
    if _test_name:
        DATABASES["default"]["TEST"] = {"NAME": _test_name}
# Lets throw-away test databases be emptied despite the append-only triggers; never set in production.
QINGZHAI_AUDIT_PURGE_ALLOWED = env_bool("QINGZHAI_AUDIT_PURGE_ALLOWED", False)
if QINGZHAI_AUDIT_PURGE_ALLOWED and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c qingzhai.audit_purge=on"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): lock a username+IP after N failures for a cool-off period.
AXES_FAILURE_LIMIT = env_int("QINGZHAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("QINGZHAI_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qingzhai.web.views.auth.lockout_response"
AXES_VERBOSE = False

# Sessions expire after inactivity and when the browser closes.
SESSION_COOKIE_AGE = env_int("QINGZHAI_SESSION_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("QINGZHAI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Two-factor (TOTP) for privileged roles; may be switched off for the demo.
QINGZHAI_REQUIRE_2FA = env_bool("QINGZHAI_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Qingzhai 清债"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
QINGZHAI_BUSINESS_TZ = "Asia/Shanghai"

STATIC_URL = "/static/"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Intake limits.
QINGZHAI_IMPORT_MAX_BYTES = env_int("QINGZHAI_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "qingzhai.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qingzhai.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": "10/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qingzhai API",
    "DESCRIPTION": "清债 debt recovery platform: creditors, portfolios, debtors, debts, cases, payments, "
    "promises to pay, activities and imports. Errors have the shape {code, message, fields}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CreditorKindEnum": "qingzhai.portfolio.models.Creditor.Kind",
        "DebtorKindEnum": "qingzhai.portfolio.models.Debtor.Kind",
        "ActivityKindEnum": "qingzhai.portfolio.models.Activity.Kind",
        "DebtStatusEnum": "qingzhai.portfolio.models.Debt.Status",
        "PromiseStatusEnum": "qingzhai.portfolio.models.PromiseToPay.Status",
        "ImportStatusEnum": "qingzhai.portfolio.models.ImportJob.Status",
        "StageEnum": "qingzhai.portfolio.api.cases.STAGES",
        "ActivityPartyEnum": "qingzhai.portfolio.models.Activity.Party",
        "ActivityOutcomeEnum": "qingzhai.portfolio.models.Activity.Outcome",
        "ContactChannelEnum": "qingzhai.compliance.api.common.CHANNELS",
        "ContactPartyEnum": "qingzhai.compliance.api.common.PARTIES",
        "AlertStatusEnum": "qingzhai.compliance.models.Alert.Status",
        "DecisionSourceEnum": "qingzhai.compliance.models.ContactDecision.Source",
        "UtteranceSourceEnum": "qingzhai.compliance.models.Utterance.Source",
        "ScoringModelKindEnum": "qingzhai.scoring.models.ScoringModel.Kind",
        "ScoringModelStatusEnum": "qingzhai.scoring.models.ScoringModel.Status",
        "BasisEnum": "qingzhai.profiling.purposes.BASES",
        "ProceedingKindEnum": "qingzhai.legal.api.serializers.PROCEEDING_KINDS",
        "LegalDocumentKindEnum": "qingzhai.legal.api.serializers.DOCUMENT_KINDS",
        "DeadlineStatusEnum": "qingzhai.legal.models.Deadline.Status",
        "DeadlineStatusFilterEnum": "qingzhai.legal.api.serializers.DEADLINE_STATUSES",
        "RouteBasisEnum": "qingzhai.legal.api.serializers.ROUTE_BASES",
        "CampaignChannelEnum": "qingzhai.contact.channels.base.CHANNELS",
        "CampaignMessageStatusEnum": "qingzhai.contact.models.CampaignMessage.Status",
        "WorkspaceOutcomeEnum": "qingzhai.contact.services.workspace.OUTCOMES",
    },
}

# Celery: eager in-process unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "break-overdue-promises": {"task": "qingzhai.portfolio.tasks.break_overdue_promises", "schedule": 3600.0},
    "refresh-days-past-due": {"task": "qingzhai.portfolio.tasks.refresh_dpd", "schedule": 6 * 3600.0},
    # A safety net: producers wake the sequencer after each commit; this catches anything left behind.
    "evidence-sequence": {"task": "qingzhai.evidence.tasks.sequence", "schedule": 60.0},
    "evidence-timestamp-retry": {"task": "qingzhai.evidence.tasks.timestamp_pending", "schedule": 600.0},
    # Profile sources past their retention date (PIPL art. 19), unless on legal hold.
    "profile-retention-purge": {"task": "qingzhai.profiling.tasks.purge_expired", "schedule": 24 * 3600.0},
    # Score drift (PSI) of each champion model: runs daily, checks the previous month once.
    "scoring-drift-monthly": {"task": "qingzhai.scoring.tasks.drift_check_monthly", "schedule": 24 * 3600.0},
    # Alert levels of legal deadlines (soon / due / overdue) for the business day.
    "legal-deadlines-scan": {"task": "qingzhai.legal.tasks.deadlines_scan", "schedule": 3600.0},
    # Reminder campaigns: send what has become due, complete what is finished.
    "contact-campaigns-tick": {"task": "qingzhai.contact.tasks.campaigns_tick", "schedule": 60.0},
}
# Gateways post delivery receipts and replies to /api/v1/contact/receipts|replies/<channel>/ with this token
# in X-Callback-Token; empty (the default) refuses every callback.
QINGZHAI_CONTACT_CALLBACK_TOKEN = os.environ.get("QINGZHAI_CONTACT_CALLBACK_TOKEN", "").strip()
QINGZHAI_PROFILE_RETENTION_DAYS = int(os.environ.get("QINGZHAI_PROFILE_RETENTION_DAYS", "1095"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QINGZHAI_LOG_LEVEL", "WARNING")},
}

# Evidence ledger: the log's origin line (also its signing key's name), how many leaves one sequencer
# batch appends, where artifacts live, and the optional RFC 3161 time-stamp authority.
QINGZHAI_EVIDENCE_ORIGIN = os.environ.get("QINGZHAI_EVIDENCE_ORIGIN", "qingzhai.local/evidence").strip()
QINGZHAI_EVIDENCE_SIGNING_KEY = _SECRETS["QINGZHAI_EVIDENCE_SIGNING_KEY"]
QINGZHAI_EVIDENCE_BATCH = env_int("QINGZHAI_EVIDENCE_BATCH", 5000)
QINGZHAI_EVIDENCE_STORE = os.environ.get("QINGZHAI_EVIDENCE_STORE", "file").strip()
QINGZHAI_EVIDENCE_ARTIFACT_DIR = Path(
    os.environ.get("QINGZHAI_EVIDENCE_ARTIFACT_DIR") or DATA_DIR / "evidence" / "artifacts"
).resolve()
QINGZHAI_EVIDENCE_S3_BUCKET = os.environ.get("QINGZHAI_EVIDENCE_S3_BUCKET", "").strip()
QINGZHAI_EVIDENCE_S3_PREFIX = os.environ.get("QINGZHAI_EVIDENCE_S3_PREFIX", "evidence").strip()
QINGZHAI_EVIDENCE_S3_ENDPOINT_URL = os.environ.get("QINGZHAI_EVIDENCE_S3_ENDPOINT_URL", "").strip()
QINGZHAI_TSA_URL = os.environ.get("QINGZHAI_TSA_URL", "").strip()
QINGZHAI_TSA_CHAIN_FILE = os.environ.get("QINGZHAI_TSA_CHAIN_FILE", "").strip()
if QINGZHAI_TSA_URL and not QINGZHAI_TSA_CHAIN_FILE:
    raise ImproperlyConfigured(
        "QINGZHAI_TSA_URL is set: QINGZHAI_TSA_CHAIN_FILE must name the TSA's PEM chain"
    )
