from ninja import Field, Schema


class TaxonomyOut(Schema):
    code: str
    level: str
    name: str
    name_en: str
    parent_code: str | None = Field(None, alias="parent.code")


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    name_en: str
    short_name: str
    parent_id: int | None
    region_code: str | None = Field(None, alias="region.code")
    description: str
    description_en: str
    website: str
    credit_code: str
    size: str
    is_high_tech: bool
    specialised_level: str
    industry_codes: list[str]
    is_fictional: bool

    @staticmethod
    def resolve_industry_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [c.code for c in obj.industries.all()]


class OrganizationIn(Schema):
    kind: str
    name: str
    name_en: str = ""
    short_name: str = ""
    parent_id: int | None = None
    region_code: str | None = None
    description: str = ""
    description_en: str = ""
    website: str = ""
    credit_code: str = ""
    size: str = ""
    is_high_tech: bool = False
    specialised_level: str = ""
    industry_codes: list[str] = []


class OrganizationFilter(Schema):
    q: str = ""
    kind: str = ""
    region: str = ""
    industry: str = ""
    parent: int | None = None


class PersonOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    title: str
    organization_id: int
    orcid: str
    expertise_keywords: list[str]
    bio: str
    bio_en: str
    discipline_codes: list[str]

    @staticmethod
    def resolve_discipline_codes(obj) -> list[str]:  # type: ignore[no-untyped-def]
        return [d.code for d in obj.disciplines.all()]


class PersonIn(Schema):
    name: str
    name_en: str = ""
    kind: str = "researcher"
    title: str = ""
    organization_id: int
    email: str = ""
    orcid: str = ""
    expertise_keywords: list[str] = []
    bio: str = ""
    bio_en: str = ""
    discipline_codes: list[str] = []


class PersonFilter(Schema):
    q: str = ""
    kind: str = ""
    organization: int | None = None
    discipline: str = ""


class MajorOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    college_id: int
    degree_level: str
    discipline_code: str | None = Field(None, alias="discipline.code")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
