"""Local development and ``qiao demo``: debug on, mail written to files under var/mail."""

import os

from .base import *  # noqa: F403
from .base import EMAIL_FILE_PATH

DEBUG = True
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH.mkdir(parents=True, exist_ok=True)
