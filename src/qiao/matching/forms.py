from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.directory.models import OrganizationKind

from .models import ConflictOfInterest


class MatchFilterForm(forms.Form):
    """Narrow a need's matches by place and kind of organization (GET; works without JavaScript)."""

    region = forms.CharField(label=_("Region code"), required=False, max_length=12,
                             help_text=_("GB/T 2260 code, e.g. 370200; a province code includes its cities."))
    org_kind = forms.ChoiceField(label=_("Kind of organization"), required=False,
                                 choices=[("", _("All kinds")), *OrganizationKind.choices])
    organization = forms.IntegerField(label=_("Organization"), required=False, widget=forms.HiddenInput)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class MarketFilterForm(forms.Form):
    zone = forms.IntegerField(label=_("Development zone"), required=False, widget=forms.HiddenInput)


class ConflictForm(forms.ModelForm):
    class Meta:
        model = ConflictOfInterest
        fields = ["person", "organization", "reason"]
