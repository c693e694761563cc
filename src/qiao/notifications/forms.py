from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Digest


class NotificationSettingsForm(forms.Form):
    """The digest choice plus two checkboxes per registered kind (``<kind>__in_app``, ``<kind>__email``)."""

    digest = forms.ChoiceField(label=_("Email rhythm"), choices=Digest.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, kinds: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for row in kinds:
            self.fields[f"{row['kind']}__in_app"] = forms.BooleanField(
                label=_("In the app"), required=False, initial=row["in_app"])
            self.fields[f"{row['kind']}__email"] = forms.BooleanField(
                label=_("By email"), required=False, initial=row["email"])

    def rows(self) -> list[dict[str, Any]]:
        return [{"label": row["label"], "kind": row["kind"], "in_app": self[f"{row['kind']}__in_app"],
                 "email": self[f"{row['kind']}__email"]} for row in self.kinds]

    def preferences(self) -> dict[str, dict[str, bool]]:
        return {row["kind"]: {"in_app": self.cleaned_data[f"{row['kind']}__in_app"],
                              "email": self.cleaned_data[f"{row['kind']}__email"]} for row in self.kinds}
