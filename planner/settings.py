"""Settings for Campaign Schedule Planner, all read from the environment (see README.md, "Configuration")."""

from pathlib import Path

from planner.env import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_role_groups,
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
    "campaigns.admin_config.PlannerAdminConfig",  # django.contrib.admin, its changes audited
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
    "planner.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "planner.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "planner.security.PrivatePagesMiddleware",
    "planner.unavailable.DatabaseUnavailableMiddleware",
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
                "campaigns.context_processors.cxone",
                "campaigns.context_processors.navigation",
                "campaigns.context_processors.sync_banner",
                "campaigns.context_processors.control_alarms",
                "campaigns.context_processors.notifications",
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

# --- Sign-on: the company's identity provider (OpenID Connect, mozilla-django-oidc; campaigns/sso/) ----------
# Set OIDC_ISSUER to switch it on; the provider's endpoints and keys come from its discovery document. Roles
# follow the provider's groups at every sign-in (OIDC_ROLE_GROUPS), and a session signed on through it lasts
# OIDC_SESSION_MAX_AGE: then the person signs in again, and a role their groups no longer grant is gone.
OIDC_ISSUER = env_url("OIDC_ISSUER", strip_slash=False)
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_ROLE_GROUPS = env_role_groups("OIDC_ROLE_GROUPS", ("planner", "supervisor", "manager", "admin"))
OIDC_SIGNING_ALGORITHMS = env_list("OIDC_SIGNING_ALGORITHMS", ["RS256"])
OIDC_SESSION_MAX_AGE = env_int("OIDC_SESSION_MAX_AGE", 8 * 3600, minimum=60)
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your company account")
# Local passwords (our login page and the admin's): on for the embedded demo, off in production once sign-on works.
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
AUTHENTICATION_BACKENDS = (["campaigns.sso.backend.SignOnBackend"] if OIDC_ISSUER else []) + (
    ["django.contrib.auth.backends.ModelBackend"] if PASSWORD_LOGIN else []
)
# How mozilla-django-oidc runs the flow (it reads our settings above by its own names: campaigns/sso/names.py).
OIDC_USE_PKCE = True
OIDC_TOKEN_USE_BASIC_AUTH = True  # client_secret_basic: the method every provider supports
OIDC_STORE_ID_TOKEN = True  # the hint RP-initiated logout sends back to the provider
LOGIN_REDIRECT_URL_FAILURE = "login"

# --- Mail and notifications (campaigns/services/notifications/, campaigns/mail/) ------------------------------
# SMTP when EMAIL_HOST is set; otherwise mail is written to the worker's console (the embedded default).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Campaign Schedule Planner <planner@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds to wait before each attempt at a mail (the first at once); after the last failed one it is given up.
MAIL_RETRY_SCHEDULE = env_seconds_list(
    "MAIL_RETRY_SCHEDULE", (0, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 43200, 86400)
)
# Where the product is reached, for the links in mail (workers have no request to build them from).
_NAMED_HOSTS = [host for host in ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
SITE_URL = env_url("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else (f"https://{_NAMED_HOSTS[0]}" if _NAMED_HOSTS else "")
)

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
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS. On by default in production; a deployment behind a TLS-terminating proxy names the header the proxy sets
# (SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto:https), and a plain-HTTP test topology (make scale) turns the
# redirect off. /healthz and /metrics are exempt: load balancers and scrapers probe them over plain HTTP inside.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
# HSTS covers the planner's own sub-domains by default: none of them has a reason to speak plain HTTP, and the
# header cannot reach beyond the planner's host name. Preload stays an opt-in: the browsers' preload list holds
# whole registrable domains, takes months to leave, and is the domain owner's decision, not one application's;
# so Django's reminder (security.W021) is silenced unless preload is asked for (README, "Secure by default").
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
# How many proxies in front of the web processes append the address they saw to X-Forwarded-For. The one rule for
# "who is this client" (login throttling): the address the outermost trusted proxy saw, the TRUSTED_PROXY_HOPS-th
# entry from the end; 0 (the default) trusts no header and takes the connection's own address. Entries before the
# trusted ones are whatever the client sent. SECURE_PROXY_SSL_HEADER only says whether the request came by HTTPS.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0, minimum=0, maximum=10)

# Content-Security-Policy (planner/security.py): scripts, styles, images and fetches from our own origin only.
# No 'unsafe-inline' anywhere: pages carry no inline script and no style attribute, and htmx's indicator styles
# come from planner.css (the htmx-config meta tag turns its injected <style> off). Plotly appends one EMPTY <style>
# element and then fills it through the CSSOM (insertRule), which CSP does not govern; the one inline style we
# allow is therefore the hash of the empty string: an empty element carries no CSS, and without it Plotly's
# hover labels and modebar lose their rules. Likewise Plotly's colour bars reset their fills with an empty style
# attribute (style=""), so style-src-attr allows exactly that hash ('unsafe-hashes' makes a hash apply to
# attributes) and nothing else. 'unsafe-inline' would let injected markup restyle the page.
EMPTY_STYLE_ELEMENT = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"  # base64(sha256(b""))
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", EMPTY_STYLE_ELEMENT],
    "style-src-attr": ["'unsafe-hashes'", EMPTY_STYLE_ELEMENT],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Login throttling (campaigns/services/login_throttle.py): after LOGIN_FREE_FAILURES wrong passwords for one
# account from one address (or from one address for any accounts), each further try from there must wait twice as
# long as the one before, up to LOGIN_MAX_DELAY_SECONDS; failures are forgotten LOGIN_FAILURE_WINDOW_SECONDS after
# the last one. An address that has not failed is never held back. Never a permanent lock-out.
LOGIN_FREE_FAILURES = env_int("LOGIN_FREE_FAILURES", 5, minimum=1)
LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 300, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 3600, minimum=60)

# /metrics (Prometheus): readable with "Authorization: Bearer <METRICS_TOKEN>", or from the addresses in
# METRICS_ALLOWED_IPS (exact addresses or networks, e.g. 10.0.0.0/8). Neither set: nobody may read it.
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
# How often each process adds its CXone request counts to the shared store (campaigns/metrics/counters.py).
METRICS_FLUSH_SECONDS = env_int("METRICS_FLUSH_SECONDS", 10, minimum=0)

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

# --- Activation (services/activation.py): approved drafts pushed to CXone and polled until ACTIVE ------------
# Past this many seconds after approval an activation that has not reached ACTIVE fails as timed out.
ACTIVATION_DEADLINE = env_int("ACTIVATION_DEADLINE", 15 * 60, minimum=1)
# A push holds its row this long; a worker killed mid-push loses it then. Keep it above Q_CLUSTER["timeout"],
# so a push that is still running (django-q2 kills it at the timeout) never has its row taken away.
ACTIVATION_LEASE_SECONDS = env_int("ACTIVATION_LEASE_SECONDS", 90, minimum=1)
# The poller reads a campaign again after this many ms (jittered), growing only once the activation is slow:
# small, because one request reads up to 100 campaigns and detection lag is what planners feel.
ACTIVATION_POLL_MS = env_int("ACTIVATION_POLL_MS", 600, minimum=50)
ACTIVATION_POLL_MAX_MS = env_int("ACTIVATION_POLL_MAX_MS", 15_000, minimum=50)
# Poll rounds spend at most this share of CXONE_RATE_LIMIT (at 5 req/s: a round every 1.3 s at the most). Under a
# surge of approvals every extra round delays every push still queued; reads beyond the share would buy a little
# detection lag with a lot of activation latency.
ACTIVATION_POLL_SHARE = env_float("ACTIVATION_POLL_SHARE", 0.15, minimum=0)
# One poll task loops this long, then hands over to a fresh task (below Q_CLUSTER["timeout"]).
ACTIVATION_POLLER_SECONDS = env_int("ACTIVATION_POLLER_SECONDS", 40, minimum=1)
# Dialling control (partial weeks held by the product): a held campaign is started this long before its next
# calling day's window opens, and a stop not confirmed this long before the first off-day window it guards
# raises the control alarm.
CONTROL_START_LEAD_SECONDS = env_int("CONTROL_START_LEAD_SECONDS", 300, minimum=0)
CONTROL_ALARM_MARGIN_SECONDS = env_int("CONTROL_ALARM_MARGIN_SECONDS", 1800, minimum=0)
# The confirmer's reads take at most this share of CXONE_RATE_LIMIT (at 5 req/s: a round every 2 s at the most).
CONTROL_READ_SHARE = env_float("CONTROL_READ_SHARE", 0.1, minimum=0)
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
# Where one skill's parameters are read: "parameters" (the combined read: schedule one item per weekday, retry,
# zones, calling lists, cadences) or "schedule-settings" (the groups' own endpoints, without lists or cadences).
CXONE_ADMIN_SCHEDULE_READ = env_str("CXONE_ADMIN_SCHEDULE_READ", "parameters")
# A live tenant was reported to refuse any week with a day off: such a week is then a blocking finding, never
# pushed to fail at activation. Off for a tenant that takes them.
CXONE_ADMIN_REQUIRE_ALL_DAYS = env_bool("CXONE_ADMIN_REQUIRE_ALL_DAYS", True)
# Syncs between full ones read only what changed (the Admin API's updatedSince); a full read this often (and
# after any sync that could not read the whole list) catches what a delta cannot see: deletions, DNC scrubbing,
# calling-list records.
CXONE_FULL_SYNC_SECONDS = env_int("CXONE_FULL_SYNC_SECONDS", 3600, minimum=0)

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
# that the sweeper does not redo. `retry` must stay well above `timeout`, or a slow task is started twice (ORM
# broker); catch_up off, or a cluster back from downtime replays every missed run of a schedule at once.
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
    # The ORM broker keeps the clusters' heartbeats (Stat) in a Django cache; the web process reads them for
    # /healthz and /metrics, so it must be one that all processes on the host share: files next to the database.
    Q_CLUSTER["cache"] = "cluster"

# The cache holds the login throttle's counts: shared by every process through Redis when there is one; the
# embedded default (one web process) keeps them in memory. "cluster" holds the ORM broker's heartbeats.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "cluster": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CLUSTER_CACHE_DIR") or str(BASE_DIR / ".cluster-cache"),
    },
}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "planner",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    }

# One JSON object per line in production (LOG_FORMAT=json, the default with DEBUG off), readable lines in
# development; every line carries the request id of the request it belongs to, and secrets are masked.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_FORMAT: {LOG_FORMAT!r} is not one of plain, json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "planner.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "planner.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "planner.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
