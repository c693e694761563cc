"""Shared model pieces: bilingual names and timestamps."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def prefers_english() -> bool:
    return (get_language() or "").startswith("en")


class BilingualName(models.Model):
    """``name`` is the name in Chinese (or the original language); ``name_en`` its English form, if known."""

    name = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if prefers_english():
            return self.name_en or self.name
        return self.name or self.name_en


class Timestamped(models.Model):
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Stores Chinese as characters, not \\u escapes, so that text search over JSON fields finds it (SQLite)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)
