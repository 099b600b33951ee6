"""Settings for the test suite: the base settings with test defaults.

Tasks run immediately and a development secret key is allowed; the database
still comes from `DATABASE_URL` (SQLite by default), so the same suite runs
on SQLite and on PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DANVAN_TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from config.settings import *  # noqa: F403

DANVAN_DEMO = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "protected": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise looks at STATIC_ROOT at start-up; give it an existing folder.
STATIC_ROOT = Path(tempfile.gettempdir()) / "danvan-test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = True

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A test database of its own for each run, so that two runs on one PostgreSQL
# server do not collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_danvan_{os.getpid()}"}  # noqa: F405
