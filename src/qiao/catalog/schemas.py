from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class NeedEventOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    note: str


class NeedAttachmentOut(Schema):
    id: int
    name: str
    uploaded: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj) -> str:  # type: ignore[no-untyped-def]
        from django.urls import reverse

        return reverse("catalog:need_attachment_download", args=[obj.pk])


class NeedOut(Schema):
    id: int
    owner_id: int
    owner_name: str = Field("", alias="owner.name")
    kind: str
    title: str
    title_en: str
    description: str
    description_en: str
    industry_codes: list[str]
    discipline_codes: list[str]
    cooperation_modes: list[str]
    budget_min: Decimal | None
    budget_max: Decimal | None
    deadline: date | None
    confidentiality: str
    status: str
    status_changed: datetime
    created: datetime
    is_fictional: bool

    @staticmethod
    def resolve_industry_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [c.code for c in obj.industries.all()]

    @staticmethod
    def resolve_discipline_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [d.code for d in obj.disciplines.all()]


class NeedDetailOut(NeedOut):
    """A single need: its history and attachments too; the named organizations only for those who may edit it."""

    events: list[NeedEventOut] = []
    attachments: list[NeedAttachmentOut] = []
    named_organization_ids: list[int] = []


class NeedIn(Schema):
    owner_id: int | None = Field(None, description="The enterprise; required when creating, ignored on update.")
    kind: str = "technical_problem"
    title: str
    title_en: str = ""
    description: str
    description_en: str = ""
    industry_codes: list[str] = []
    discipline_codes: list[str] = []
    cooperation_modes: list[str] = []
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    deadline: date | None = None
    confidentiality: str = "members"
    named_organization_ids: list[int] = []
    publish: bool = Field(False, description="Publish at once instead of saving a draft (create only).")


class NeedFilter(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    industry: str = ""
    owner: int | None = None
    mine: bool = False


class NeedTransitionIn(Schema):
    to: str
    note: str = ""


class AchievementOut(Schema):
    id: int
    kind: str
    title: str
    title_en: str
    description: str
    description_en: str
    owner_id: int
    co_owner_ids: list[int]
    organization_id: int
    patent_number: str
    patent_status: str
    trl: int | None
    transfer_modes: list[str]
    price_min: Decimal | None
    price_max: Decimal | None
    applications: str
    industry_codes: list[str]
    discipline_codes: list[str]
    year: int | None
    visibility: str
    is_transferred: bool
    is_fictional: bool

    @staticmethod
    def resolve_co_owner_ids(obj) -> list[int]:  # type: ignore[no-untyped-def]
        return [p.pk for p in obj.co_owners.all()]

    @staticmethod
    def resolve_industry_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [c.code for c in obj.industries.all()]

    @staticmethod
    def resolve_discipline_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [d.code for d in obj.disciplines.all()]


class AchievementIn(Schema):
    kind: str
    title: str
    title_en: str = ""
    description: str
    description_en: str = ""
    owner_id: int
    co_owner_ids: list[int] = []
    patent_number: str = ""
    patent_status: str = ""
    trl: int | None = None
    transfer_modes: list[str] = []
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    applications: str = ""
    industry_codes: list[str] = []
    discipline_codes: list[str] = []
    year: int | None = None
    visibility: str = "members"
    is_transferred: bool = False


class AchievementFilter(Schema):
    q: str = ""
    kind: str = ""
    industry: str = ""
    organization: int | None = None


class CapabilityOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str
    description: str
    organization_id: int
    contact_id: int | None
    open_to_enterprises: bool
    fee_note: str
    industry_codes: list[str]

    @staticmethod
    def resolve_industry_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [c.code for c in obj.industries.all()]


class CapabilityIn(Schema):
    kind: str
    name: str
    name_en: str = ""
    description: str = ""
    organization_id: int
    contact_id: int | None = None
    open_to_enterprises: bool = True
    fee_note: str = ""
    industry_codes: list[str] = []


class CapabilityFilter(Schema):
    q: str = ""
    kind: str = ""


class PublicationOut(Schema):
    id: int
    person_id: int
    title: str
    abstract: str
    venue: str
    year: int | None
    authors: str
    doi: str
    keywords: list[str]
    hidden_from_matching: bool
    pinned: bool
    external_id: str


class PublicationIn(Schema):
    title: str
    abstract: str = ""
    venue: str = ""
    year: int | None = None
    authors: str = ""
    doi: str = ""
    keywords: list[str] = []
    hidden_from_matching: bool = False
    pinned: bool = False


class PublicationPatch(Schema):
    """Change only what is given — typically ``hidden_from_matching`` or ``pinned``."""

    title: str | None = None
    abstract: str | None = None
    venue: str | None = None
    year: int | None = None
    authors: str | None = None
    doi: str | None = None
    keywords: list[str] | None = None
    hidden_from_matching: bool | None = None
    pinned: bool | None = None
