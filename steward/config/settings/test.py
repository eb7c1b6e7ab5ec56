"""Settings for the test suite: the database comes from TEST_DATABASE_URL (SQLite by default)."""

import tempfile
from pathlib import Path

from steward.config.settings.base import *
from steward.config.settings.base import DATABASES as BASE_DATABASES
from steward.config.settings.base import LOGGING as BASE_LOGGING

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 - the suite never runs in production
DEBUG = False
ALLOWED_HOSTS = ["*"]

_test_db = env.db(
    "TEST_DATABASE_URL", default=f"sqlite:///{Path(tempfile.gettempdir()) / 'steward-test.sqlite3'}"
)
if _test_db["ENGINE"] == "django.db.backends.sqlite3":
    _test_db["OPTIONS"] = BASE_DATABASES["default"].get("OPTIONS", {}) | {
        "transaction_mode": "IMMEDIATE"
    }
    _test_db["TEST"] = {"NAME": ""}  # in memory, shared with the live server thread
DATABASES = {"default": _test_db}

# Argon2 is tested on its own; the rest of the suite hashes quickly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files come straight from the apps and packages; nothing is collected for tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
AXES_ENABLED = True
LOGGING = BASE_LOGGING | {"root": {"handlers": ["console"], "level": "ERROR"}}
