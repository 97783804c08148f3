"""Settings for Newsdesk, read from the environment; runs with zero configuration."""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import re
import secrets
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.global_settings import LANGUAGES
from django.core.exceptions import ImproperlyConfigured

from newsdesk.lib.clientaddress import trusted_networks

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str, *, minimum: int | None = None) -> int:
    value = os.getenv(name, default)
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an integer, not {value!r}"
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envfloat(name: str, default: str, *, limit: float | None = None) -> float | None:
    """Read an optional number; with a limit, it must lie within ±limit."""
    value = os.getenv(name, default).strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(number) or (limit is not None and abs(number) > limit):
        raise ImproperlyConfigured(f"{name} must be between -{limit} and {limit}")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [
        item.strip() for item in os.getenv(name, default).split(",") if item.strip()
    ]


DEBUG = envbool("DEBUG", "false")
# Demo mode: runs without SECRET_KEY, as the seed page's site (Beijing time).
DEMO = envbool("NEWSDESK_DEMO", "false")
DATA_DIR = Path(os.getenv("NEWSDESK_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set NEWSDESK_DEMO=true for a local demo."
        )
    # A key of this installation's own, made once: a published key would let
    # anyone forge a newsroom login on a demo reachable from outside.
    key_file = DATA_DIR / "demo_secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prose_editor",
    "newsdesk.media",
    "newsdesk.content",
    "newsdesk.popularity",
    "newsdesk.delivery",
    "newsdesk.search",
    "newsdesk.web",
    "newsdesk.imports",
    "axes",
]
# Development tools (`newsdesk demo`, `newsdesk seed-data`): a checkout has them,
# the built wheel leaves them out (pyproject.toml).
if importlib.util.find_spec("newsdesk.dev"):
    INSTALLED_APPS.append("newsdesk.dev")

MIDDLEWARE = [
    # First: a cache hit skips everything below.
    "newsdesk.delivery.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsdesk.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a locked-out login (newsdesk.content.logins).
    "axes.middleware.AxesMiddleware",
    # Last: articles' old addresses, when nothing else answers them.
    "newsdesk.web.redirects.RedirectMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.web.context_processors.site",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.getenv("DATABASE_URL", f"sqlite:///{DATA_DIR / 'newsdesk.sqlite3'}"),
            conn_max_age=envint("NEWSDESK_DB_CONN_MAX_AGE", "60"),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the one writer work at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # A write waits this long for another one (an import) to finish before
        # "database is locked", which then answers 503 (newsdesk.web.views).
        "timeout": envint("NEWSDESK_SQLITE_TIMEOUT", "20", minimum=1),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.getenv("REDIS_URL", "")
NEWSDESK_CACHE_PREFIX = os.getenv("NEWSDESK_CACHE_PREFIX", "newsdesk")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix://, not {REDIS_URL!r}"
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsdesk.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # Installations sharing one Redis keep apart by prefix.
            "KEY_PREFIX": NEWSDESK_CACHE_PREFIX,
            # A Redis that doesn't answer must not hold a page for long.
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "retry_on_timeout": False,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsdesk",
        }
    }

# Login throttling first: a locked-out login never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = os.getenv("NEWSDESK_LANGUAGE", "en-us").lower()
if LANGUAGE_CODE.split("-")[0] not in {code.split("-")[0] for code, _ in LANGUAGES}:
    raise ImproperlyConfigured(f"NEWSDESK_LANGUAGE {LANGUAGE_CODE!r} is unknown")
TIME_ZONE = os.getenv("NEWSDESK_TIME_ZONE", "Asia/Shanghai" if DEMO else "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"NEWSDESK_TIME_ZONE {TIME_ZONE!r} is unknown") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise looks for it at start; collectstatic fills it. On a read-only
# install, collectstatic will say what is wrong.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("NEWSDESK_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads on S3 or an S3-compatible service (MinIO, Cloudflare R2, Ceph...)
# through django-storages. Credentials come the way boto3 finds them:
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role.
NEWSDESK_S3_BUCKET = os.getenv("NEWSDESK_S3_BUCKET", "")
if NEWSDESK_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NEWSDESK_S3_BUCKET,
            "endpoint_url": os.getenv("NEWSDESK_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("NEWSDESK_S3_REGION") or None,
            "custom_domain": os.getenv("NEWSDESK_S3_CUSTOM_DOMAIN") or None,
            "location": os.getenv("NEWSDESK_S3_PREFIX", "").strip("/"),
            # Public, permanent addresses: pages are cached, signed ones expire.
            "querystring_auth": False,
            "file_overwrite": False,
            # Stored names are never reused, so files can be cached for good.
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }

# Behind a proxy that ends HTTPS (deploy/nginx.conf): trust its header, and send
# cookies over HTTPS only.
if envbool("NEWSDESK_HTTPS", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = envint("NEWSDESK_HSTS_SECONDS", "31536000", minimum=0)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# `newsdesk serve`: where it listens and how many gunicorn workers it starts.
NEWSDESK_HOST = os.getenv("NEWSDESK_HOST", "127.0.0.1")
NEWSDESK_PORT = envint("NEWSDESK_PORT", "8000", minimum=1)
if NEWSDESK_PORT > 65535:
    raise ImproperlyConfigured(
        f"NEWSDESK_PORT must be at most 65535, not {NEWSDESK_PORT}"
    )
NEWSDESK_WORKERS = envint("NEWSDESK_WORKERS", "0", minimum=0) or os.cpu_count() or 1
# `newsdesk demo`: the `editor` account's password (empty: made up once), and,
# with NEWSDESK_SITE_URL unset, the site's address becomes the demo's own.
NEWSDESK_DEMO_PASSWORD = os.getenv("NEWSDESK_DEMO_PASSWORD", "")
NEWSDESK_SITE_URL_IS_SET = "NEWSDESK_SITE_URL" in os.environ

LOGIN_URL = "admin:login"
# Addresses whose X-Forwarded-For is believed (as `newsdesk serve` tells gunicorn).
NEWSDESK_PROXIES = envlist("NEWSDESK_PROXIES", "127.0.0.1")
try:
    trusted_networks(NEWSDESK_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(f"NEWSDESK_PROXIES: {error}") from None
# Newsroom login throttling (newsdesk.content.logins): an account from one
# address, and one address for all accounts, each with its own limit.
NEWSDESK_LOGIN_FAILURES = envint("NEWSDESK_LOGIN_FAILURES", "5", minimum=1)
NEWSDESK_LOGIN_ADDRESS_FAILURES = envint(
    "NEWSDESK_LOGIN_ADDRESS_FAILURES", "30", minimum=1
)
NEWSDESK_LOGIN_LOCKOUT_MINUTES = envint(
    "NEWSDESK_LOGIN_LOCKOUT_MINUTES", "15", minimum=1
)
AXES_HANDLER = "newsdesk.content.logins.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = NEWSDESK_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=NEWSDESK_LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
# Tries while locked don't extend the lock: it ends when the message says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "newsdesk.content.logins.client_ip"
AXES_LOCKOUT_CALLABLE = "newsdesk.content.logins.locked_out"
# Failures are what the throttle needs; no log of every login kept for ever.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every `newsdesk` command
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (newsdesk.web.security), in Django 6.0's shape: scripts,
# styles and everything else from the site only; uploads' own origin (S3) is added
# to img-src; the newsroom adds the hashes of its editor's inline import map and style.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
# Browser features no page of the site uses, refused to anything on it.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "payment",
        "usb", "serial", "hid",
    )
}  # fmt: skip
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOG_LEVEL = os.getenv("NEWSDESK_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"NEWSDESK_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, "
        f"not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Failed logins and lockouts are warnings; each successful login needn't be logged.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# The site's own options.
NEWSDESK_SITE_NAME = os.getenv("NEWSDESK_SITE_NAME", "Newsdesk")
NEWSDESK_SITE_URL = os.getenv("NEWSDESK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not NEWSDESK_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "NEWSDESK_SITE_URL must start with http:// or https://, "
        f"not {NEWSDESK_SITE_URL!r}"
    )
NEWSDESK_PAGE_SIZE = envint("NEWSDESK_PAGE_SIZE", "20", minimum=1)
NEWSDESK_WEATHER_CITY = os.getenv("NEWSDESK_WEATHER_CITY", "Beijing" if DEMO else "")
NEWSDESK_WEATHER_LATITUDE = envfloat("NEWSDESK_WEATHER_LATITUDE", "", limit=90)
NEWSDESK_WEATHER_LONGITUDE = envfloat("NEWSDESK_WEATHER_LONGITUDE", "", limit=180)
NEWSDESK_WEATHER_URL = os.getenv("NEWSDESK_WEATHER_URL", "https://api.open-meteo.com")
NEWSDESK_GEOCODING_URL = os.getenv(
    "NEWSDESK_GEOCODING_URL", "https://geocoding-api.open-meteo.com"
)
NEWSDESK_WEATHER_TIMEOUT = envfloat("NEWSDESK_WEATHER_TIMEOUT", "1.0", limit=30)
if not NEWSDESK_WEATHER_TIMEOUT or NEWSDESK_WEATHER_TIMEOUT <= 0:
    raise ImproperlyConfigured("NEWSDESK_WEATHER_TIMEOUT must be a positive number")
NEWSDESK_WEATHER_MAX_AGE = envint("NEWSDESK_WEATHER_MAX_AGE", "900", minimum=0)
NEWSDESK_FEED_FULL_CONTENT = envbool("NEWSDESK_FEED_FULL_CONTENT", "false")
NEWSDESK_SITE_DESCRIPTION = os.getenv(
    "NEWSDESK_SITE_DESCRIPTION", f"{NEWSDESK_SITE_NAME}: news as it happens."
)
# Images search engines and social sites show; absolute URLs, or static paths.
NEWSDESK_SITE_LOGO = os.getenv("NEWSDESK_SITE_LOGO", "newsdesk/logo.png")
NEWSDESK_SHARE_IMAGE = os.getenv("NEWSDESK_SHARE_IMAGE", "newsdesk/share.png")
NEWSDESK_TWITTER_SITE = os.getenv("NEWSDESK_TWITTER_SITE", "")
if NEWSDESK_TWITTER_SITE and not re.fullmatch(r"@\w{1,15}", NEWSDESK_TWITTER_SITE):
    raise ImproperlyConfigured(
        f"NEWSDESK_TWITTER_SITE must be an @handle, not {NEWSDESK_TWITTER_SITE!r}"
    )
# sitemaps.org allows at most 50,000 addresses in one sitemap.
NEWSDESK_SITEMAP_LIMIT = envint("NEWSDESK_SITEMAP_LIMIT", "50000", minimum=1)
if NEWSDESK_SITEMAP_LIMIT > 50_000:
    raise ImproperlyConfigured("NEWSDESK_SITEMAP_LIMIT must be at most 50000")
NEWSDESK_PAGE_CACHE = envbool("NEWSDESK_PAGE_CACHE", "true")
NEWSDESK_FRAGMENT_CACHE = envbool("NEWSDESK_FRAGMENT_CACHE", "true")
NEWSDESK_PAGE_CACHE_SECONDS = envint("NEWSDESK_PAGE_CACHE_SECONDS", "600", minimum=1)
NEWSDESK_CDN_CACHE_SECONDS = envint("NEWSDESK_CDN_CACHE_SECONDS", "60", minimum=0)
NEWSDESK_BROWSER_CACHE_SECONDS = envint(
    "NEWSDESK_BROWSER_CACHE_SECONDS", "30", minimum=0
)
NEWSDESK_POPULAR_HOURS = envint("NEWSDESK_POPULAR_HOURS", "168", minimum=1)
NEWSDESK_POPULAR_CACHE_SECONDS = envint(
    "NEWSDESK_POPULAR_CACHE_SECONDS", "300", minimum=0
)
NEWSDESK_VIEWS_FLUSH_SECONDS = envint("NEWSDESK_VIEWS_FLUSH_SECONDS", "10", minimum=1)
NEWSDESK_SERVE_MEDIA = envbool("NEWSDESK_SERVE_MEDIA", "true")
# The media library's upload limits: bytes of one file, and pixels of one image
# (read from the header before decoding, so decompression bombs cost nothing).
NEWSDESK_MAX_UPLOAD_MB = envint("NEWSDESK_MAX_UPLOAD_MB", "20", minimum=1)
NEWSDESK_MAX_IMAGE_PIXELS = envint("NEWSDESK_MAX_IMAGE_PIXELS", "50000000", minimum=1)

# The body editor's own extension, newsdesk/media/static/newsdesk/editor-figures.js:
# typing over a selected picture goes after its figure. It adds no HTML.
from js_asset.js import static_lazy  # noqa: E402

DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("newsdesk/editor-figures.js")],
        "extensions": {"FigureKeeper": lambda config, shared: None},
    }
]
