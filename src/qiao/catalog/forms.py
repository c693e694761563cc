"""Forms for the catalog pages. Choices a user may pick from (enterprises, people, organizations) are always
narrowed with ``restrict`` by the view that builds the form; services decide whether the write is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from qiao.core.permissions import VIEW, restrict
from qiao.directory.models import Organization, OrganizationKind, Person

from .models import (
    Achievement,
    AchievementKind,
    Capability,
    CapabilityKind,
    Confidentiality,
    CooperationMode,
    Need,
    NeedKind,
    NeedStatus,
    Publication,
)


def split_keywords(raw: str) -> list[str]:
    """Keywords typed as one line: commas in either script and the enumeration comma separate them."""
    parts = [p.strip() for p in (raw or "").replace("，", ",").replace("、", ",").replace(";", ",").split(",")]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return seen


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *NeedKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *NeedStatus.choices])
    industry = forms.CharField(label=_("Industry code"), required=False)
    mine = forms.BooleanField(label=_("Only my organization's needs"), required=False)


class AchievementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *AchievementKind.choices])
    industry = forms.CharField(label=_("Industry code"), required=False)
    organization = forms.IntegerField(label=_("Organization"), required=False, widget=forms.HiddenInput)


class CapabilityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *CapabilityKind.choices])


def _grouped_organizations(orgs: Any) -> list[tuple[str, list[tuple[int, str]]]]:
    """Organizations as ``<optgroup>``s by kind, so the named-organizations picker reads like the directory."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for org in orgs:
        label = org.display_name
        if org.parent_id and org.parent is not None:
            label = f"{org.display_name} · {org.parent.display_name}"
        groups.setdefault(org.kind, []).append((org.pk, label))
    return [(str(OrganizationKind(kind).label), sorted(items, key=lambda i: i[1]))
            for kind, items in sorted(groups.items(), key=lambda kv: list(OrganizationKind.values).index(kv[0]))]


class NeedForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Enterprise"), queryset=Organization.objects.none(),
                                   help_text=_("The enterprise this need is posted for."))
    cooperation_modes = forms.MultipleChoiceField(
        label=_("Acceptable cooperation modes"), required=False, choices=CooperationMode.choices,
        widget=forms.CheckboxSelectMultiple)
    named_organizations = forms.TypedMultipleChoiceField(
        label=_("Shared with organizations"), required=False, coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Only used when confidentiality is “named organizations only”. Members of these organizations "
                    "and of their colleges and institutes may see the need."))

    class Meta:
        model = Need
        fields = ["owner", "kind", "title", "title_en", "description", "description_en", "industries", "disciplines",
                  "cooperation_modes", "budget_min", "budget_max", "deadline", "confidentiality",
                  "named_organizations"]
        widgets = {
            "industries": forms.SelectMultiple(attrs={"size": 8}),
            "disciplines": forms.SelectMultiple(attrs={"size": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "confidentiality": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, user: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners
        if self.instance.pk:
            del self.fields["owner"]  # a need stays with its enterprise
            self.initial["named_organizations"] = list(self.instance.named_organizations.values_list("pk", flat=True))
        elif owners.count() == 1:
            self.initial.setdefault("owner", owners.first().pk)
        industries = cast(forms.ModelChoiceField, self.fields["industries"])
        assert industries.queryset is not None  # a model field's form field always has its queryset
        industries.queryset = industries.queryset.select_related(None)
        orgs = restrict(Organization.objects.select_related("parent"), user, VIEW).exclude(
            kind=OrganizationKind.ENTERPRISE)
        self._orgs = {o.pk: o for o in orgs}
        cast(forms.TypedMultipleChoiceField, self.fields["named_organizations"]).choices = _grouped_organizations(self._orgs.values())
        self.fields["confidentiality"].help_text = _(
            "Public: anyone, even without logging in. Platform members: every signed-in user. Named organizations: "
            "only the organizations chosen below. Brokers only: the innovation centre's brokers, who can introduce "
            "you discreetly. Your own enterprise always sees its needs.")

    def clean_named_organizations(self) -> list[Organization]:
        return [self._orgs[pk] for pk in self.cleaned_data.get("named_organizations") or [] if pk in self._orgs]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # ModelForm.clean() returns cleaned_data
        if data.get("confidentiality") == Confidentiality.NAMED and not data.get("named_organizations"):
            self.add_error("named_organizations", _("Name at least one organization that may see this need."))
        return data


class NeedTransitionForm(forms.Form):
    to = forms.ChoiceField(choices=NeedStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class NeedAttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Office documents, images or text; at most 20 MB."))
    name = forms.CharField(label=_("Name"), required=False, max_length=200)


class AchievementForm(forms.ModelForm):
    transfer_modes = forms.MultipleChoiceField(
        label=_("Transfer modes"), required=False, choices=CooperationMode.choices,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Achievement
        fields = ["kind", "title", "title_en", "description", "description_en", "owner", "co_owners",
                  "patent_number", "patent_status", "trl", "transfer_modes", "price_min", "price_max", "applications",
                  "industries", "disciplines", "year", "visibility", "is_transferred"]
        widgets = {
            "industries": forms.SelectMultiple(attrs={"size": 8}),
            "disciplines": forms.SelectMultiple(attrs={"size": 8}),
            "co_owners": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "applications": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners
        if not self.instance.pk and owners.count() == 1:
            self.initial.setdefault("owner", owners.first().pk)
        cast(forms.ModelChoiceField, self.fields["co_owners"]).queryset = restrict(
            Person.objects.filter(kind__in=["researcher", "teacher"]), user, VIEW).select_related(None)


class CapabilityForm(forms.ModelForm):
    class Meta:
        model = Capability
        fields = ["kind", "name", "name_en", "organization", "description", "contact", "open_to_enterprises",
                  "fee_note", "industries"]
        widgets = {"industries": forms.SelectMultiple(attrs={"size": 8}),
                   "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, organizations: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = contacts


class PublicationForm(forms.ModelForm):
    keywords = forms.CharField(label=_("Keywords"), required=False,
                               help_text=_("Separate keywords with commas (，or ,)."))

    class Meta:
        model = Publication
        fields = ["title", "authors", "venue", "year", "doi", "abstract", "keywords", "pinned",
                  "hidden_from_matching"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.instance.keywords, list):
            self.initial["keywords"] = ", ".join(self.instance.keywords)

    def clean_keywords(self) -> list[str]:
        return split_keywords(self.cleaned_data.get("keywords") or "")


class ExpertiseForm(forms.Form):
    expertise_keywords = forms.CharField(
        label=_("Expertise keywords"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What enterprises should find you for. Separate keywords with commas (，or ,)."))

    def clean_expertise_keywords(self) -> list[str]:
        return split_keywords(self.cleaned_data.get("expertise_keywords") or "")
