"""Django settings for a throwaway Weblate that tests CareBridge's catalogs (``weblate/standup.sh``).

Everything lives on this machine: PostgreSQL on 127.0.0.1, no Redis (local-memory cache),
no Celery worker (tasks run eagerly in the web process), repositories served by ``git daemon``
on 127.0.0.1. Not a production configuration: DEBUG is off only to keep requests fast, the
secret key is made per run, and anybody who can reach the port can read the API.

standup.sh copies this file into the run directory as ``carebridge_weblate_settings.py`` and
points DJANGO_SETTINGS_MODULE at it; the values come from CAREBRIDGE_WEBLATE_* variables.
"""

from __future__ import annotations

import os

from weblate.settings_example import *  # noqa: F403  (Weblate's documented way to configure a pip install)

_env = os.environ.get

PORT = int(_env("CAREBRIDGE_WEBLATE_PORT", "18765"))
SITE_DOMAIN = f"127.0.0.1:{PORT}"
ENABLE_HTTPS = False
SITE_URL = f"http://{SITE_DOMAIN}"
SITE_TITLE = "CareBridge test Weblate"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = _env("CAREBRIDGE_WEBLATE_SECRET", "carebridge-test-instance-only")

DATA_DIR = _env("CAREBRIDGE_WEBLATE_DATA", "/tmp/carebridge-weblate-data")
CACHE_DIR = f"{DATA_DIR}/cache"
STATIC_ROOT = f"{CACHE_DIR}/static"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _env("CAREBRIDGE_WEBLATE_DB", "weblate"),
        "USER": _env("CAREBRIDGE_WEBLATE_DB_USER", "weblate"),
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": _env("CAREBRIDGE_WEBLATE_PG_PORT", "55432"),
        "OPTIONS": {},
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
    }
}

# No Redis: one process, local memory. No Celery worker: tasks run inside the request.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "carebridge"},
    "avatar": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "avatar"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None

# `migrate` needs these (settings_example computes them from an empty SITE_DOMAIN), and the
# allowed origin must be https (system check otp_webauthn.E031). Nobody logs in with a passkey here.
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://localhost:{PORT}"]

# Weblate refuses local paths and file:// URLs; the repository is served by `git daemon` on
# 127.0.0.1, so allow the git:// scheme and the loopback host.
VCS_ALLOW_SCHEMES = {"https", "ssh", "git"}
VCS_ALLOW_HOSTS = {"127.0.0.1"}
VCS_RESTRICT_PRIVATE = False

# The API is driven by one test; do not throttle it.
API_RATELIMIT_ANON = "100000/day"
API_RATELIMIT_USER = "100000/hour"
REST_FRAMEWORK = get_drf_settings(require_login=False)  # noqa: F405

REGISTRATION_OPEN = False
DEFAULT_COMMITER_EMAIL = "weblate@carebridge.invalid"
DEFAULT_COMMITER_NAME = "CareBridge Weblate"
# No mail, no outside lookups.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ADMINS_CONTACT: list[str] = []
DEFAULT_TRANSLATION_PROPAGATION = False
LOGGING["loggers"]["weblate"]["level"] = "INFO"  # noqa: F405
