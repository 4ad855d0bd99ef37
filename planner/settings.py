"""Settings for Campaign Schedule Planner, all read from the environment (see README.md, "Configuration")."""

from pathlib import Path

from planner.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_seconds_list,
    env_str,
    env_url,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# A development key exists only so that `make run` works out of the box; production must set its own.
# Left empty, Django refuses every use of it ("must not be empty"): the web process fails at start (wsgi.py and
# the planner.E005 check), while the planners' command-line tools (schedule_check, conflicts), which sign
# nothing, still run without one.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_q",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "planner.urls"
WSGI_APPLICATION = "planner.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaigns.context_processors.navigation",
                "campaigns.context_processors.sync_banner",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL) if DATABASE_URL else sqlite_database(BASE_DIR / "db.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development, serve files straight from the apps' static folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Integrations -----------------------------------------------------------------------------------------
CXONE_BASE_URL = env_url("CXONE_BASE_URL")
CXONE_CLIENT_ID = env_str("CXONE_CLIENT_ID")
CXONE_CLIENT_SECRET = env_str("CXONE_CLIENT_SECRET")
CXONE_TIMEOUT_SECONDS = env_int("CXONE_TIMEOUT_SECONDS", 10, minimum=1)
# CXone's rate limit for our client id, shared by every process (web, workers, CLIs) through one token bucket:
# in Redis when REDIS_URL is set, else in the database.
CXONE_RATE_LIMIT = env_float("CXONE_RATE_LIMIT", 5.0, minimum=0)
CXONE_BURST = env_int("CXONE_BURST", 20, minimum=1)
# How long one call may keep waiting out rate limiting and transient failures before it fails.
CXONE_RETRY_BUDGET_SECONDS = env_int("CXONE_RETRY_BUDGET_SECONDS", 60, minimum=1)

# Which API the tenant speaks: "outbound-v2" (the contract the embedded sandbox serves by default) or "admin"
# (a real tenant's ACD Admin API: Personal Connection skills). Checked by planner.E009/E010.
CXONE_API = env_str("CXONE_API", "outbound-v2")
# The Admin API (CXONE_API=admin): CXONE_BASE_URL is the host of discovery and of the token endpoint
# (https://cxone.niceincontact.com on a real tenant; the sandbox's URL for the demo); CXONE_CLIENT_ID/SECRET are
# the registered application's; the access key (id + secret) is a user's. The tenant id is read from the
# id_token unless set here.
CXONE_ACCESS_KEY_ID = env_str("CXONE_ACCESS_KEY_ID")
CXONE_ACCESS_KEY_SECRET = env_str("CXONE_ACCESS_KEY_SECRET")
CXONE_TENANT_ID = env_str("CXONE_TENANT_ID")
# Open points of the Admin API (README, "A real CXone tenant"): the services version in the paths, the time
# format of schedule-settings, and the zone its times are in (empty: the business unit's default zone).
CXONE_ADMIN_API_VERSION = env_str("CXONE_ADMIN_API_VERSION", "v31.0")
CXONE_ADMIN_TIME_FORMAT = env_str("CXONE_ADMIN_TIME_FORMAT", "%H:%M")
CXONE_ADMIN_SCHEDULE_ZONE = env_str("CXONE_ADMIN_SCHEDULE_ZONE", "")
# Where a skill's schedule is read: "schedule-settings" (its own endpoint) or "parameters" (the combined read).
CXONE_ADMIN_SCHEDULE_READ = env_str("CXONE_ADMIN_SCHEDULE_READ", "schedule-settings")

WFM_WEBHOOK_URL = env_url("WFM_WEBHOOK_URL")
# One Standard Webhooks secret ("whsec_" + base64 of 24-64 random bytes), or two separated by a space or a comma
# while rotating (every message then carries both signatures). Checked by planner.E006.
WFM_WEBHOOK_SECRET = env_str("WFM_WEBHOOK_SECRET")
# Seconds to wait before each attempt: the first is sent at once, then 5 s, 5 min, ... (the Standard Webhooks
# schedule, about three days in all); after the last failed attempt a delivery is dead-lettered.
WFM_RETRY_SCHEDULE = env_seconds_list(
    "WFM_RETRY_SCHEDULE", (0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
)
WFM_TIMEOUT_SECONDS = env_int("WFM_TIMEOUT_SECONDS", 15, minimum=1)

# --- Task queue ---------------------------------------------------------------------------------------------
# The broker is only a doorbell: every task reads its row from the database, so losing one costs nothing
# that the sweeper does not redo. `retry` must stay well above `timeout`, or a slow task is started twice.
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER = {
    "name": "planner",
    "workers": env_int("Q_WORKERS", 2, minimum=1),
    "timeout": 60,
    "retry": 180,
    "max_attempts": 3,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "save_limit": 1000,
    "ack_failures": True,
    "poll": 0.5,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
