"""Production: PostgreSQL, HTTPS behind a load balancer, secrets from the environment.

Fails fast: without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL the process does not start.
`steward check --deploy` is clean under these settings.
"""

from django.core.exceptions import ImproperlyConfigured

from steward.config.settings.base import *

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable to a random value of 50 characters or more, "
        "e.g. from `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names Steward answers to.")
# Required here, though base.py has already read it into DATABASES (with WAL for SQLite and
# persistent, health-checked connections for PostgreSQL).
if not env.str("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL, e.g. postgres://USER:PASSWORD@HOST:5432/NAME.")

# The load balancer terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Each app server keeps its own template cache; sessions stay in the shared database.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
}
