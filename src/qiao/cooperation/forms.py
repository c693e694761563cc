"""Forms of the cooperation pages. Choice querysets are restricted to what the user may see; confidential fields
are left out for users who may not see the terms (so saving the form never touches them)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qiao.accounts.models import Role, User
from qiao.catalog.models import Achievement, Need
from qiao.core.permissions import VIEW, restrict
from qiao.directory.models import Organization, OrganizationKind, Person
from qiao.directory.selectors import organization_subtree_ids

from .models import (
    CONFIDENTIAL_FIELDS,
    ActionItem,
    ActionStatus,
    Agreement,
    Cooperation,
    DealPayment,
    FundingReceipt,
    Meeting,
    Milestone,
    Project,
    Stage,
    TransferDeal,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _Form(forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, show_terms: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not show_terms:
            for name in CONFIDENTIAL_FIELDS.get(self._meta.model, set()):
                self.fields.pop(name, None)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
            elif isinstance(field, forms.DateTimeField):
                field.widget = DATETIME
                field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _orgs(user: Any) -> Any:
    return restrict(Organization.objects.all(), user, VIEW).order_by("kind", "name")


class CooperationForm(_Form):
    class Meta:
        model = Cooperation
        fields = ["title", "title_en", "summary", "parties", "people", "needs", "achievements", "centre",
                  "shared_with_government"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        cast(forms.ModelChoiceField, self.fields["parties"]).queryset = _orgs(user).exclude(kind__in=[OrganizationKind.DEVELOPMENT_ZONE])
        cast(forms.ModelChoiceField, self.fields["people"]).queryset = restrict(Person.objects.select_related("organization"), user, VIEW)
        cast(forms.ModelChoiceField, self.fields["needs"]).queryset = restrict(Need.objects.all(), user, VIEW)
        cast(forms.ModelChoiceField, self.fields["achievements"]).queryset = restrict(Achievement.objects.all(), user, VIEW)
        cast(forms.ModelChoiceField, self.fields["centre"]).queryset = _orgs(user).filter(kind=OrganizationKind.INNOVATION_CENTRE)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    reason = forms.CharField(label=_("Reason (when stopping)"), required=False, max_length=1000)


class CooperationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    zone = forms.ModelChoiceField(label=_("Zone"), required=False, queryset=Organization.objects.none())
    broker = forms.ModelChoiceField(label=_("Broker"), required=False, queryset=User.objects.none())
    industry = forms.CharField(label=_("Industry code"), required=False, max_length=8,
                               help_text=_("GB/T 4754 code, e.g. C or 35"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["zone"]).queryset = Organization.objects.filter(kind=OrganizationKind.DEVELOPMENT_ZONE)
        cast(forms.ModelChoiceField, self.fields["broker"]).queryset = User.objects.filter(memberships__role=Role.BROKER).distinct()

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data.get("q") or "", "zone": data["zone"].pk if data.get("zone") else None,
                "broker": data["broker"].pk if data.get("broker") else None, "industry": data.get("industry") or ""}


class MeetingForm(_Form):
    online_url = forms.URLField(label=_("online meeting link"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = ["kind", "title", "title_en", "starts_at", "ends_at", "place", "place_en", "organizer",
                  "cooperations", "participants", "participant_organizations", "external_participants", "agenda",
                  "minutes", "minutes_en", "decisions"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ("external_participants", "agenda", "minutes", "minutes_en", "decisions")}

    field_order = ["kind", "title", "title_en", "starts_at", "ends_at", "place", "place_en", "online_url"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "online_url" not in self.initial:
            self.initial["online_url"] = self.instance.online_url
        user = self.user
        cast(forms.ModelChoiceField, self.fields["organizer"]).queryset = _orgs(user)
        cast(forms.ModelChoiceField, self.fields["participant_organizations"]).queryset = _orgs(user)
        cast(forms.ModelChoiceField, self.fields["participants"]).queryset = restrict(Person.objects.all(), user, VIEW)
        cast(forms.ModelChoiceField, self.fields["cooperations"]).queryset = restrict(Cooperation.objects.all(), user, "change")


def _assignable_users(cooperations: list[Cooperation], user: Any) -> Any:
    orgs: set[int] = set()
    for coop in cooperations:
        orgs |= organization_subtree_ids(set(coop.parties.values_list("pk", flat=True)))
        if coop.centre_id:
            orgs.add(coop.centre_id)
    return User.objects.filter(Q(memberships__organization__in=orgs) | Q(pk=user.pk), is_active=True).distinct()


class ActionItemForm(_Form):
    class Meta:
        model = ActionItem
        fields = ["title", "title_en", "owner_user", "owner_person", "owner_organization", "due", "status"]

    def __init__(self, *args: Any, cooperations: list[Cooperation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.user
        cast(forms.ModelChoiceField, self.fields["owner_user"]).queryset = _assignable_users(cooperations or [], user)
        cast(forms.ModelChoiceField, self.fields["owner_person"]).queryset = restrict(Person.objects.all(), user, VIEW)
        cast(forms.ModelChoiceField, self.fields["owner_organization"]).queryset = _orgs(user)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class AgreementForm(_Form):
    class Meta:
        model = Agreement
        fields = ["kind", "title", "parties", "status", "value", "currency", "signed_on", "starts_on", "ends_on",
                  "remind_days_before", "terms"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, cooperation: Cooperation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = cooperation.parties.all() if cooperation else _orgs(self.user)
        cast(forms.ModelChoiceField, self.fields["parties"]).queryset = qs
        self.fields["parties"].required = False
        self.fields["parties"].help_text = _("Leave empty for all parties of the cooperation.")


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Signed document"), help_text=_("PDF, Word, JPG or PNG; at most 20 MB."))
    name = forms.CharField(label=_("Name"), required=False, max_length=200)


class ProjectForm(_Form):
    class Meta:
        model = Project
        fields = ["title", "description", "leader", "status", "starts_on", "ends_on", "patents_filed", "products",
                  "standards", "revenue", "people_trained", "outcome_note"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "outcome_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["leader"]).queryset = restrict(Person.objects.all(), self.user, VIEW)


class MilestoneForm(_Form):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "due", "status", "completed_on"]


class FundingForm(_Form):
    class Meta:
        model = FundingReceipt
        fields = ["amount", "currency", "received_on", "note"]


class EvaluationForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Your side"), queryset=Organization.objects.none())
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, choices=[(i, f"{i} ★") for i in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, sides: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = sides if sides is not None else Organization.objects.none()


class DealForm(_Form):
    class Meta:
        model = TransferDeal
        fields = ["achievement", "kind", "licence_scope", "licensee", "agreement", "status", "signed_on", "terms",
                  "total_value", "currency", "royalty_rate", "royalty_base"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, cooperation: Cooperation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["achievement"]).queryset = restrict(Achievement.objects.all(), self.user, VIEW)
        cast(forms.ModelChoiceField, self.fields["licensee"]).queryset = cooperation.parties.all() if cooperation else _orgs(self.user)
        cast(forms.ModelChoiceField, self.fields["agreement"]).queryset = cooperation.agreements.all() if cooperation else Agreement.objects.none()


class PaymentForm(_Form):
    class Meta:
        model = DealPayment
        fields = ["kind", "description", "expected_on", "expected_amount", "received_on", "received_amount"]
