"""Settings for Dân Vận, read from the environment (and from `.env` if present).

The defaults make the embedded setup work out of the box: SQLite in the
repository, a local-memory cache, email printed to the console. Production
(`DEBUG` off) refuses to start without a real `SECRET_KEY`. `.env.example`
documents every variable.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

INSECURE_SECRET_PREFIX = "insecure-"  # noqa: S105 (a marker refused in production, not a secret)
DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("DANVAN_TESTING", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = INSECURE_SECRET_PREFIX + "development-only-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(`make run` writes one); production refuses to start without a real secret."
        )
if not (DEBUG or TESTING) and (
    SECRET_KEY.startswith(INSECURE_SECRET_PREFIX) or len(SECRET_KEY) < 32
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 32 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

# The demo data (`load_demo`) has accounts with public passwords: it loads only
# where this is on. `make run` turns it on for that command.
DANVAN_DEMO = env.bool("DANVAN_DEMO", default=False)

# Days an API token (`POST /api/v1/auth/token`) stays valid.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Dân Vận"

INSTALLED_APPS = [
    # Project apps first, so their templates override the libraries'.
    "danvan.core",
    "danvan.geo",
    "danvan.orgs",
    "danvan.petitions",
    "danvan.reception",
    "danvan.movements",
    "danvan.briefings",
    "danvan.portal",
    "danvan.api",
    "danvan.demo",
    # Wagtail: the CMS and the back-office shell.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_tasks_db",
    "ninja",  # serves the API docs' scripts from our static files, not from a CDN
    "django_ratelimit",  # registers its cache checks (see RATELIMIT_USE_CACHE below)
]

(BASE_DIR / "var").mkdir(exist_ok=True)  # the default SQLite file, cache and media live here
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'danvan.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at once.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "danvan.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "danvan.core.middleware.RequestContextMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "danvan.core.context_processors.site",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request to an outside service for avatars
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "/"  # the portal's home page (Wagtail)
LOGOUT_REDIRECT_URL = "/"

# Vietnamese first, English second (under /en/).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
WAGTAIL_I18N_ENABLED = False
# Page slugs in plain ASCII ("hoi-nghi", not "hội-nghị"): addresses that survive being
# copied into any email, chat or printed letter.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The project's own catalogue first; then Wagtail's back-office in Vietnamese, which
# Wagtail's catalogues leave mostly in English (scripts/wagtail_messages.py, decision 0020).
# makemessages writes only the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Protected files (petition attachments) live outside MEDIA_ROOT and are
# served only through views that check permission.
PROTECTED_MEDIA_ROOT = env.path("PROTECTED_MEDIA_ROOT", default=BASE_DIR / "var" / "protected")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Petition attachments: outside the web root, no URL of their own.
    "protected": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PROTECTED_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The default file cache is shared by the web workers and the task worker of one machine
# (the calendar's override version, cached API answers); use Redis with several machines.
CACHES = {
    "default": env.cache_url("CACHE_URL", default=f"filecache://{BASE_DIR / 'var' / 'cache'}")
}

# Rate limits (django-ratelimit) count in the default cache. Its check refuses the file
# cache (E003: increments are not atomic) and warns on anything but memcached or Redis
# (W001). A file or local-memory cache is accepted on purpose: the limit is a brake on
# floods of public intake, not a security boundary, and a race between two requests of
# one client can only under-count by a few. With several machines set CACHE_URL to Redis,
# whose increments are atomic and shared.
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Petitions filed per client address (portal form and POST /api/v1/petitions):
# "<count>/<s|m|h|d>".
PETITION_RATE_LIMIT = env.str("PETITION_RATE_LIMIT", default="20/h")
# Documents attached to one petition: how many, and the largest size of each and of all.
PETITION_ATTACHMENT_MAX_COUNT = env.int("PETITION_ATTACHMENT_MAX_COUNT", default=5)
PETITION_ATTACHMENT_MAX_BYTES = env.int("PETITION_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
PETITION_ATTACHMENT_MAX_TOTAL_BYTES = env.int(
    "PETITION_ATTACHMENT_MAX_TOTAL_BYTES", default=25 * 1024 * 1024
)

# Django 6.1's MAILERS, built from EMAIL_URL (smtp+tls://user:password@host:587,
# consolemail://, filemail:///path, dummymail://).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": _email.get("EMAIL_TIMEOUT"),
    "file_path": _email.get("EMAIL_FILE_PATH"),
}
_email_backend = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_accepted = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host",
        "port",
        "username",
        "password",
        "use_tls",
        "use_ssl",
        "timeout",
    },
    "django.core.mail.backends.filebased.EmailBackend": {"file_path"},
}.get(_email_backend, set())
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            k: v for k, v in _email_options.items() if k in _accepted and v not in (None, "")
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dân Vận <no-reply@danvan.localhost>")

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)

# The years the working-day calendar is built for at start; it grows lazily beyond them.
DANVAN_CALENDAR_YEARS = (2010, 2035)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run is noise at INFO; failures are still logged.
        "django.tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
    },
}

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
