"""API schemas of the cooperation domain. Confidential fields (``models.CONFIDENTIAL_FIELDS``) are ``None`` in the
output for viewers who may not see the terms; ``XPatch`` schemas change only the fields sent."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

# --------------------------------------------------------------------------------------------- cooperations


class CooperationOut(Schema):
    id: int
    title: str
    title_en: str
    summary: str
    stage: str
    stage_changed: datetime
    stop_reason: str
    owner_id: int | None
    centre_id: int | None
    party_ids: list[int]
    person_ids: list[int]
    need_ids: list[int]
    achievement_ids: list[int]
    zone_ids: list[int]
    introduction_id: int | None
    shared_with_government: bool
    created: datetime
    updated: datetime

    @staticmethod
    def resolve_party_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [o.pk for o in obj.parties.all()]

    @staticmethod
    def resolve_person_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [p.pk for p in obj.people.all()]

    @staticmethod
    def resolve_need_ids(obj, context) -> list[int]:  # type: ignore[no-untyped-def]
        """Only the needs the caller may see (a need may be confidential)."""
        from qiao.core.permissions import VIEW, restrict

        request = context.get("request") if context else None
        needs = obj.needs.all()
        if request is not None:
            needs = restrict(needs, request.user, VIEW)
        return [n.pk for n in needs]

    @staticmethod
    def resolve_achievement_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [a.pk for a in obj.achievements.all()]

    @staticmethod
    def resolve_zone_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [z.pk for z in obj.zones.all()]


class CooperationIn(Schema):
    title: str
    title_en: str = ""
    summary: str = ""
    party_ids: list[int]
    person_ids: list[int] = []
    need_ids: list[int] = []
    achievement_ids: list[int] = []
    centre_id: int | None = None
    shared_with_government: bool = False


class CooperationPatch(Schema):
    title: str | None = None
    title_en: str | None = None
    summary: str | None = None
    party_ids: list[int] | None = None
    person_ids: list[int] | None = None
    need_ids: list[int] | None = None
    achievement_ids: list[int] | None = None
    centre_id: int | None = None
    shared_with_government: bool | None = None


class CooperationFilter(Schema):
    q: str = ""
    stage: str = ""
    zone: int | None = None
    broker: int | None = None
    industry: str = ""


class StageIn(Schema):
    stage: str
    reason: str = ""


class EventOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    by_id: int | None
    at: datetime


class AuditOut(Schema):
    id: int
    model: str
    object_id: int
    action: str
    field: str
    field_label: str
    before: str
    after: str
    confidential: bool
    by_id: int | None
    at: datetime


# --------------------------------------------------------------------------------------------- meetings


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    title_en: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    place_en: str
    online_url: str
    organizer_id: int | None
    cooperation_ids: list[int]
    participant_ids: list[int]
    participant_organization_ids: list[int]
    external_participants: str
    agenda: str
    minutes: str
    minutes_en: str
    decisions: str

    @staticmethod
    def resolve_cooperation_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return list(getattr(obj, "visible_cooperation_ids", [c.pk for c in obj.cooperations.all()]))

    @staticmethod
    def resolve_participant_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [p.pk for p in obj.participants.all()]

    @staticmethod
    def resolve_participant_organization_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [o.pk for o in obj.participant_organizations.all()]


class MeetingIn(Schema):
    kind: str = "symposium"
    title: str
    title_en: str = ""
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = ""
    place_en: str = ""
    online_url: str = ""
    organizer_id: int | None = None
    cooperation_ids: list[int] = []
    participant_ids: list[int] = []
    participant_organization_ids: list[int] = []
    external_participants: str = ""
    agenda: str = ""
    minutes: str = ""
    minutes_en: str = ""
    decisions: str = ""


class MeetingPatch(Schema):
    kind: str | None = None
    title: str | None = None
    title_en: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    place_en: str | None = None
    online_url: str | None = None
    organizer_id: int | None = None
    cooperation_ids: list[int] | None = None
    participant_ids: list[int] | None = None
    participant_organization_ids: list[int] | None = None
    external_participants: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    minutes_en: str | None = None
    decisions: str | None = None


class ActionItemOut(Schema):
    id: int
    meeting_id: int | None
    cooperation_id: int | None
    title: str
    title_en: str
    owner_user_id: int | None
    owner_person_id: int | None
    owner_organization_id: int | None
    owner_name: str = Field("", alias="owner_display")
    due: date | None
    status: str
    is_overdue: bool
    completed_at: datetime | None


class ActionItemIn(Schema):
    meeting_id: int | None = None
    cooperation_id: int | None = None
    title: str
    title_en: str = ""
    owner_user_id: int | None = None
    owner_person_id: int | None = None
    owner_organization_id: int | None = None
    due: date | None = None
    status: str = "open"


class ActionItemPatch(Schema):
    title: str | None = None
    title_en: str | None = None
    owner_user_id: int | None = None
    owner_person_id: int | None = None
    owner_organization_id: int | None = None
    due: date | None = None
    status: str | None = None


# --------------------------------------------------------------------------------------------- agreements


class AgreementOut(Schema):
    id: int
    cooperation_id: int
    kind: str
    title: str
    party_ids: list[int]
    status: str
    value: Decimal | None
    currency: str
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    remind_days_before: int
    terms: str | None
    terms_visible: bool = False

    @staticmethod
    def resolve_party_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [o.pk for o in obj.parties.all()]


class AgreementIn(Schema):
    cooperation_id: int
    kind: str
    title: str
    party_ids: list[int] = []
    status: str = "draft"
    value: Decimal | None = None
    currency: str = "CNY"
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    remind_days_before: int = 60
    terms: str = ""


class AgreementPatch(Schema):
    kind: str | None = None
    title: str | None = None
    party_ids: list[int] | None = None
    status: str | None = None
    value: Decimal | None = None
    currency: str | None = None
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    remind_days_before: int | None = None
    terms: str | None = None


class DocumentOut(Schema):
    id: int
    agreement_id: int
    name: str
    size: int
    uploaded: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj) -> str:  # type: ignore[no-untyped-def]
        from django.urls import reverse

        return reverse("cooperation:document_download", args=[obj.pk])


# --------------------------------------------------------------------------------------------- projects


class MilestoneOut(Schema):
    id: int
    project_id: int
    kind: str
    title: str
    due: date
    status: str
    completed_on: date | None
    is_overdue: bool


class MilestoneIn(Schema):
    kind: str = "milestone"
    title: str
    due: date
    status: str = "planned"
    completed_on: date | None = None


class MilestonePatch(Schema):
    kind: str | None = None
    title: str | None = None
    due: date | None = None
    status: str | None = None
    completed_on: date | None = None


class FundingOut(Schema):
    id: int
    project_id: int
    amount: Decimal | None
    currency: str
    received_on: date
    note: str


class FundingIn(Schema):
    amount: Decimal
    currency: str = "CNY"
    received_on: date
    note: str = ""


class EvaluationOut(Schema):
    id: int
    project_id: int
    organization_id: int
    rating: int
    comment: str
    by_id: int | None
    at: datetime


class EvaluationIn(Schema):
    organization_id: int
    rating: int
    comment: str = ""


class ProjectOut(Schema):
    id: int
    agreement_id: int
    title: str
    description: str
    leader_id: int | None
    status: str
    starts_on: date | None
    ends_on: date | None
    patents_filed: int
    products: int
    standards: int
    revenue: Decimal
    people_trained: int
    outcome_note: str
    milestones: list[MilestoneOut] = []
    funding: list[FundingOut] = []
    evaluations: list[EvaluationOut] = []

    # The API fills these lists with the restricted rows (``api._project_out``); never the raw relations.
    @staticmethod
    def resolve_milestones(obj) -> list:  # type: ignore[no-untyped-def]
        return getattr(obj, "milestones_list", [])

    @staticmethod
    def resolve_funding(obj) -> list:  # type: ignore[no-untyped-def]
        return getattr(obj, "funding_list", [])

    @staticmethod
    def resolve_evaluations(obj) -> list:  # type: ignore[no-untyped-def]
        return getattr(obj, "evaluations_list", [])


class ProjectIn(Schema):
    agreement_id: int
    title: str
    description: str = ""
    leader_id: int | None = None
    status: str = "planned"
    starts_on: date | None = None
    ends_on: date | None = None
    patents_filed: int = 0
    products: int = 0
    standards: int = 0
    revenue: Decimal = Decimal(0)
    people_trained: int = 0
    outcome_note: str = ""


class ProjectPatch(Schema):
    title: str | None = None
    description: str | None = None
    leader_id: int | None = None
    status: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    patents_filed: int | None = None
    products: int | None = None
    standards: int | None = None
    revenue: Decimal | None = None
    people_trained: int | None = None
    outcome_note: str | None = None


# --------------------------------------------------------------------------------------------- deals


class PaymentOut(Schema):
    id: int
    deal_id: int
    kind: str
    description: str
    expected_on: date
    expected_amount: Decimal | None
    received_on: date | None
    received_amount: Decimal | None
    is_received: bool
    is_overdue: bool


class PaymentIn(Schema):
    kind: str
    description: str = ""
    expected_on: date
    expected_amount: Decimal | None = None
    received_on: date | None = None
    received_amount: Decimal | None = None


class PaymentPatch(Schema):
    kind: str | None = None
    description: str | None = None
    expected_on: date | None = None
    expected_amount: Decimal | None = None
    received_on: date | None = None
    received_amount: Decimal | None = None


class DealOut(Schema):
    id: int
    cooperation_id: int
    achievement_id: int
    agreement_id: int | None
    licensee_id: int | None
    kind: str
    licence_scope: str
    status: str
    signed_on: date | None
    currency: str
    terms: str | None
    total_value: Decimal | None
    royalty_rate: Decimal | None
    royalty_base: str | None
    terms_visible: bool = False
    payments: list[PaymentOut] = []

    @staticmethod
    def resolve_payments(obj) -> list:  # type: ignore[no-untyped-def]
        return getattr(obj, "payments_list", [])


class DealIn(Schema):
    cooperation_id: int
    achievement_id: int
    agreement_id: int | None = None
    licensee_id: int | None = None
    kind: str
    licence_scope: str = ""
    status: str = "negotiating"
    signed_on: date | None = None
    currency: str = "CNY"
    terms: str = ""
    total_value: Decimal | None = None
    royalty_rate: Decimal | None = None
    royalty_base: str = ""


class DealPatch(Schema):
    agreement_id: int | None = None
    licensee_id: int | None = None
    kind: str | None = None
    licence_scope: str | None = None
    status: str | None = None
    signed_on: date | None = None
    currency: str | None = None
    terms: str | None = None
    total_value: Decimal | None = None
    royalty_rate: Decimal | None = None
    royalty_base: str | None = None
