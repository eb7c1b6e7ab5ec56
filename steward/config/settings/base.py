"""Settings shared by every environment, read from environment variables.

The embedded default is SQLite in WAL mode inside ``STEWARD_DATA_DIR``; production points
``DATABASE_URL`` at PostgreSQL. Environment-specific modules (local, test, production) import
this one and change only what differs.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from csp.constants import NONCE, NONE, SELF

from steward.config.datadir import data_dir

env = environ.Env()

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = data_dir(env.str("STEWARD_DATA_DIR", default=""))

DEBUG = env.bool("DEBUG", default=False)
# Empty here on purpose: local settings generate a development key, production demands one.
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "steward.core",
    "steward.people",
    "steward.parties",
    "steward.plans",
    "steward.reviews",
    "steward.contracts",
    "steward.issues",
    "steward.scorecards",
    "steward.suppliers",
    "steward.spend",
    "steward.savings",
    "steward.risk",
    "steward.compliance",
    "steward.assessments",
    "steward.portal",
    "steward.sourcing",
    "steward.bidding",
    "steward.awards",
    "steward.catalog",
    "steward.accounts",
    "steward.pipeline",
    "steward.quotas",
    "steward.accountplans",
    "steward.satisfaction",
    "steward.handoffs",
    "steward.visits",
    "steward.insights",
    "steward.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A portal user who enrolled a second factor must enter a code before anything answers.
    "django_otp.middleware.OTPMiddleware",
    "steward.portal.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "steward.config.urls"
# Widgets render through the project's template engine, so our widget templates are found.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "steward.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "steward.core.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
    {
        # Only for the few fragments rendered many times per request (rows of the big lists),
        # where Django's template engine costs more than the rest of the page together.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "steward.core.jinja.environment", "autoescape": True},
    },
]


# --- storage -------------------------------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "steward.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Keep connections open between requests: opening one (and running the SQLite pragmas) on
# every request costs more than most pages.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(DATA_DIR / "static"))
# Front-end assets come from installed packages, never from a CDN.
STATICFILES_DIRS = [("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
# plotly.min.js comes from the installed plotly package: that one file, not the whole folder.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "steward.core.charts.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# --- people and security -------------------------------------------------------------------------

AUTH_USER_MODEL = "auth.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "steward.people.backends.ProfileModelBackend",
]

# Login throttling: five failures for one user name from one address lock that pair out.
AXES_FAILURE_LIMIT = env.int("STEWARD_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("STEWARD_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Every script and style comes from our own origin; inline scripts need the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STEWARD_UPLOAD_MAX_BYTES = env.int("STEWARD_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
# Spend files are ledgers, far larger than documents; they stream, so memory stays flat.
STEWARD_SPEND_UPLOAD_MAX_BYTES = env.int("STEWARD_SPEND_UPLOAD_MAX_BYTES", default=2 * 1024**3)
# The currency every spend line is converted to (through the dated rates table).
STEWARD_SPEND_CURRENCY = env.str("STEWARD_SPEND_CURRENCY", default="EUR")


# --- the vendor portal ---------------------------------------------------------------------------

# An invitation link stays valid this many days; a sign-in link this many minutes.
STEWARD_PORTAL_INVITATION_DAYS = env.int("STEWARD_PORTAL_INVITATION_DAYS", default=7)
STEWARD_PORTAL_SIGNIN_LINK_MINUTES = env.int("STEWARD_PORTAL_SIGNIN_LINK_MINUTES", default=15)
# Sign-in links one address may ask for per hour (more are silently not sent).
STEWARD_PORTAL_SIGNIN_LINKS_PER_HOUR = env.int("STEWARD_PORTAL_SIGNIN_LINKS_PER_HOUR", default=5)
# The name authenticator apps show next to a portal user's code.
OTP_TOTP_ISSUER = "Steward"


# --- email ---------------------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Steward <steward@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STEWARD_BASE_URL = env.str("STEWARD_BASE_URL", default="http://127.0.0.1:8000")


# --- background work -----------------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env.str("STEWARD_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Hour (local time of the server) at which the daily digest goes out.
STEWARD_DIGEST_HOUR = env.int("STEWARD_DIGEST_HOUR", default=7)


# --- API -----------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "steward.people.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "steward.core.api.pagination.StewardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Steward API",
    "DESCRIPTION": (
        "Strategic relationship management: organizations, their sites and contacts, and the "
        "supply-side and demand-side relationships your people own. Every list is scoped by "
        "the same access policy as the web interface. Updates require the record's current "
        "`version` (or an `If-Match` header); a stale version is answered with 409."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in (
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            "ErrorCode401Enum",
            "ErrorCode403Enum",
            "ErrorCode404Enum",
            "ErrorCode405Enum",
            "ErrorCode406Enum",
            "ErrorCode415Enum",
            "ErrorCode429Enum",
            "ErrorCode500Enum",
        )
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "steward.core.api.schema.index_attrs_as_patterns",
    ],
}
# Choice sets that several fields share, or whose field names collide, get one name each.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "LevelEnum": "steward.parties.choices.Level",
        "SiteKindEnum": "steward.parties.choices.SiteKind",
        "UserKindEnum": "steward.people.choices.UserKind",
        "HistoryKindEnum": "steward.core.api.history.HISTORY_KINDS",
        # Choice sets that share a field name (kind, status, stage, …) need names of their own.
        "RelationshipStatusEnum": "steward.parties.choices.RelationshipStatus",
        "StageEnum": "steward.suppliers.choices.Stage",
        "SegmentEnum": "steward.suppliers.choices.Segment",
        "RelationshipTypeEnum": "steward.suppliers.choices.RelationshipType",
        "LeverKindEnum": "steward.suppliers.choices.LeverKind",
        "InitiativeKindEnum": "steward.plans.choices.InitiativeKind",
        "InitiativeStatusEnum": "steward.plans.choices.InitiativeStatus",
        "MilestoneStatusEnum": "steward.plans.choices.MilestoneStatus",
        "ActivityKindEnum": "steward.reviews.choices.ActivityKind",
        "ContractKindEnum": "steward.contracts.choices.ContractKind",
        "ContractStatusEnum": "steward.contracts.choices.ContractStatus",
        "ObligationKindEnum": "steward.contracts.models.obligations.ObligationKind",
        "ObligationStatusEnum": "steward.contracts.models.obligations.ObligationStatus",
        "ContractSideEnum": "steward.contracts.api.serializers.SIDES",
        "RenewalChoiceEnum": "steward.contracts.models.renewals.RenewalChoice",
        "DocumentKindEnum": "steward.contracts.models.documents.DocumentKind",
        "SlaDirectionEnum": "steward.contracts.models.sla.DIRECTION_CHOICES",
        "KpiDirectionEnum": "steward.suppliers.choices.KpiDirection",
        # The relationship's side keeps its name now that contracts have a side too.
        "SideEnum": "steward.parties.choices.Side",
        # Issues, scorecards and business reviews.
        "IssueCategoryEnum": "steward.issues.choices.IssueCategory",
        "IssueSeverityEnum": "steward.issues.choices.Severity",
        "IssueStatusEnum": "steward.issues.choices.IssueStatus",
        "IssueSourceEnum": "steward.issues.choices.IssueSource",
        "MissedTargetEnum": "steward.issues.choices.MissedTarget",
        "CriterionCategoryEnum": "steward.scorecards.choices.CriterionCategory",
        "PeriodKindEnum": "steward.scorecards.choices.PeriodKind",
        "RuleKindEnum": "steward.scorecards.choices.RuleKind",
        "PeriodStatusEnum": "steward.scorecards.choices.PeriodStatus",
        "ScoreMeasurementSourceEnum": "steward.scorecards.choices.MeasurementSource",
        "PlanStatusEnum": "steward.scorecards.choices.PlanStatus",
        "AppealKindEnum": "steward.scorecards.choices.AppealKind",
        "AppealStatusEnum": "steward.scorecards.choices.AppealStatus",
        "ReviewKindEnum": "steward.reviews.choices.ReviewKind",
        "ReviewStatusEnum": "steward.reviews.choices.ReviewStatus",
        "ActionSideEnum": "steward.reviews.choices.ActionSide",
        "ActionStatusEnum": "steward.reviews.choices.ActionStatus",
        # Spend.
        "SpendSourceKindEnum": "steward.spend.choices.SourceKind",
        "SpendImportStatusEnum": "steward.spend.choices.ImportStatus",
        "CategoryRuleFieldEnum": "steward.spend.choices.RuleField",
        "CategoryRuleMatchEnum": "steward.spend.choices.RuleMatch",
        "SavingsKindEnum": "steward.savings.choices.SavingsKind",
        "SavingsStatusEnum": "steward.savings.choices.SavingsStatus",
        "SavingsStartStatusEnum": "steward.savings.api.serializers.START_STATUSES",
        "BaselineMethodEnum": "steward.savings.choices.BaselineMethod",
        # Risk, compliance and the vendor portal. (A risk's status, its rating and a finding's
        # severity share their values with a period's status and an issue's severity, and so
        # their schema names.)
        "RiskCategoryEnum": "steward.risk.choices.RiskCategory",
        "RiskTreatmentEnum": "steward.risk.choices.RiskTreatment",
        "FindingStatusEnum": "steward.risk.choices.FindingStatus",
        "FindingSourceEnum": "steward.risk.choices.FindingSource",
        "CertificationKindEnum": "steward.compliance.choices.CertificationKind",
        "CertificationStatusEnum": "steward.compliance.choices.CertificationStatus",
        "RequestStatusEnum": "steward.compliance.choices.RequestStatus",
        "AuditKindEnum": "steward.compliance.choices.AuditKind",
        "AuditStatusEnum": "steward.compliance.choices.AuditStatus",
        "PortalInvitationStatusEnum": "steward.portal.models.InvitationStatus",
        # Sourcing events (issue 8): an event's kind and a line's kind share the field name.
        "SourcingEventKindEnum": "steward.sourcing.choices.EventKind",
        "SourcingLineKindEnum": "steward.sourcing.choices.LineKind",
        # Key account management (issue 9).
        "CostKindEnum": "steward.quotas.choices.CostKind",
        "OfferingKindEnum": "steward.catalog.choices.OfferingKind",
        "AccountSegmentEnum": "steward.accounts.choices.Segment",
        "OpportunityStageEnum": "steward.pipeline.choices.Stage",
        "CreditRoleEnum": "steward.pipeline.choices.CreditRole",
        "AccountPlanStatusEnum": "steward.accountplans.choices.PlanStatus",
        "PlanVisibilityEnum": "steward.accountplans.choices.Visibility",
        "DecisionRoleEnum": "steward.accountplans.choices.DecisionRole",
        "HandoffStatusEnum": "steward.handoffs.choices.HandoffStatus",
        "HandoffItemKindEnum": "steward.handoffs.choices.ItemKind",
        "ObjectiveStatusEnum": "steward.accountplans.choices.ObjectiveStatus",
        "OpenStageEnum": "steward.pipeline.choices.OPEN_STAGE_CHOICES",
        "TeamRoleEnum": "steward.parties.choices.TeamRole",
    }
)
DRF_STANDARDIZED_ERRORS = {"ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True}


# --- locale --------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["steward.config.formats"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "steward": {"level": env.str("STEWARD_LOG_LEVEL", default="INFO"), "propagate": True},
        "django_tasks_db": {"level": "INFO"},
    },
}

# Gunicorn reads these when `steward serve` starts it.
STEWARD_BIND = env.str("STEWARD_BIND", default="127.0.0.1:8000")
STEWARD_WORKERS = env.int("STEWARD_WORKERS", default=(os.cpu_count() or 1) * 2)
