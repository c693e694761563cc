from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.directory.models import Organization


class IntroductionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
        help_text=_("Say who you are, what you hope for, and how you would like to talk."))
    on_behalf_of = forms.ModelChoiceField(
        label=_("On behalf of the enterprise"), queryset=Organization.objects.none(), required=False,
        help_text=_("Brokers: the enterprise you ask for."))

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["on_behalf_of"]
        else:
            self.fields["on_behalf_of"].queryset = enterprises  # type: ignore[attr-defined]
            self.fields["on_behalf_of"].required = True


class IntroductionAcceptForm(forms.Form):
    message = forms.CharField(label=_("Message to the asker (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class IntroductionDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text=_("The asker sees this. A clear reason helps them ask the right person next time."))
