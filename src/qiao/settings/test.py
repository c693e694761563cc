"""Tests: fast hashing, in-memory mail, tasks run eagerly in-process."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LANGUAGE_CODE = "en"
QIAO_MATCHING_ENGINE = {"dense": "off"}  # fast and independent of the optional ml extra
QIAO_INDEX_DIR = Path(tempfile.mkdtemp(prefix="qiao-test-index-"))  # never the developer's var/index
