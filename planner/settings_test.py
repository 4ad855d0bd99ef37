"""Settings for the test suite: production settings with a test secret, fast hashing and plain static files.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs the same suite on PostgreSQL + Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from planner.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# No background flusher: tests flush the metric counters themselves, inside their own transaction.
METRICS_FLUSH_SECONDS = 0
CSRF_COOKIE_SECURE = False
# Serve static files from the finders (no collectstatic before tests), as runserver does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A file, not Django's in-memory default: threads (concurrency tests, the browser tests' live server) then get
# their own connections with the real WAL / IMMEDIATE / busy-timeout behaviour instead of "table is locked".
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # One file per test run (by process id), so two runs at once never share, and damage, one database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405

# The ORM broker's heartbeat cache: one folder per test run, unless a test hands its qcluster an explicit one.
if not os.environ.get("CLUSTER_CACHE_DIR"):
    CACHES["cluster"]["LOCATION"] = str(BASE_DIR / f".cluster-cache-test-{os.getpid()}")  # noqa: F405
