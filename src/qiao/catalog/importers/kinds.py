"""The five imports: enterprises, researchers, publications, achievements, needs.

Each importer validates a row into a :class:`PlannedRow` (create, update or unchanged) without writing, and
writes planned rows through the directory and catalog services, which check permission and validate again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from qiao.accounts.models import Role
from qiao.core.permissions import ADD, CHANGE, can
from qiao.directory import services as directory_services
from qiao.directory.models import EnterpriseSize, Organization, OrganizationKind, Person, SpecialisedLevel
from qiao.directory.selectors import managed_organization_ids, member_organization_ids
from qiao.directory.validators import normalize_orcid

from .. import services as catalog_services
from ..models import (
    Achievement,
    AchievementKind,
    Confidentiality,
    CooperationMode,
    Need,
    NeedKind,
    PatentStatus,
    Publication,
    Visibility,
)
from .base import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    LIST,
    MULTI_CHOICE,
    CellError,
    Column,
    Lookups,
    SourceRow,
    as_text,
    find_person,
    parse_cell,
    same_value,
    validation_messages,
)

CREATE, UPDATE, UNCHANGED = "created", "updated", "unchanged"
OPTIONAL_FIELDS = {"title_en", "description_en"}


@dataclass
class PlannedRow:
    number: int
    action: str
    data: dict[str, Any] = field(default_factory=dict)
    existing: Any = None
    changes: dict[str, Any] = field(default_factory=dict)


class RowProblems(Exception):
    """Errors of one row, as (column key, message) pairs; column key "" for the row as a whole."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _doi(value: str) -> str:
    doi = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix):]
    return doi.strip().lower()


class Importer:
    """Base: subclasses declare columns and how a row maps onto their model and services."""

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    m2m: ClassVar[tuple[str, ...]] = ()
    #: model field → column key, where they differ (errors on ``owner`` are shown under the owner column).
    field_columns: ClassVar[dict[str, str]] = {}
    #: fields set on creation only (never changed by a re-import).
    create_only: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, by: Any, person: Person | None = None) -> None:
        self.by = by
        self.person = person
        self.lookups = Lookups()
        self.managed = managed_organization_ids(by)
        self.seen: dict[tuple[str, str], int] = {}
        self.problems: list[tuple[str, str]] = []

    @classmethod
    def active_columns(cls) -> tuple[Column, ...]:
        """The columns, less English fields this version of the model does not have yet."""
        names = {f.name for f in cls.model._meta.get_fields()}
        return tuple(c for c in cls.columns if c.key in names or c.key not in OPTIONAL_FIELDS)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.active_columns() if c.key == key), None)

    # --- validation ---

    def plan(self, row: SourceRow) -> PlannedRow:
        """Validate one row; raises :class:`RowProblems`."""
        values, problems = {}, []
        for column in self.active_columns():
            if column.key not in row.values:
                continue
            try:
                values[column.key] = parse_cell(column, row.values[column.key])
            except CellError as exc:
                problems.append((column.key, exc.message))
                continue
            if column.required and values[column.key] in ("", None, []):
                problems.append((column.key, _("This column is required.")))
        if problems:
            raise RowProblems(problems)
        self.problems = []
        try:
            data, present = self.resolve(values)
            existing = self.find(data)
            if existing is None:
                self.check_permission(data, existing)
        except RowProblems as exc:
            raise RowProblems(exc.problems + [p for p in self.problems if p not in exc.problems])
        for key, label in self.unique_keys(data):
            previous = self.seen.get((key, label))
            if previous is not None:
                raise RowProblems([(key, _("Same value as row %(row)s; each row must describe a different record.")
                                    % {"row": previous})])
        for key, label in self.unique_keys(data):
            self.seen[(key, label)] = row.number
        planned = self.compare(row.number, data, present, existing)
        if planned.action == UPDATE:  # a row that changes nothing writes nothing, so needs no right to change
            self.check_permission(data, existing)
        return planned

    def resolve(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """Service keyword arguments from parsed cells, and which of them the file gives (absent columns keep
        what the database has)."""
        data = {k: v for k, v in values.items() if k in self.service_fields()}
        return data, set(data)

    def service_fields(self) -> set[str]:
        return {c.key for c in self.active_columns()}

    def find(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def check_permission(self, data: dict[str, Any], existing: Any) -> None:
        raise NotImplementedError

    def unique_keys(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        """(column key, value) pairs no two rows of one file may share."""
        return []

    def build(self, data: dict[str, Any], existing: Any) -> models.Model:
        instance = copy.copy(existing) if existing is not None else self.model()
        for key, value in data.items():
            if key not in self.m2m:
                setattr(instance, key, value)
        return instance

    def compare(self, number: int, data: dict[str, Any], present: set[str], existing: Any) -> PlannedRow:
        instance = self.build(data, existing)
        try:
            instance.full_clean(exclude=self.clean_exclude())
        except ValidationError as exc:
            self.problems.extend((self.field_columns.get(name, name) if name != NON_FIELD_ERRORS else "", message)
                                 for name, message in validation_messages(exc))
        if self.problems:
            raise RowProblems(self.problems)
        cleaned = {k: (getattr(instance, k) if k not in self.m2m else v) for k, v in data.items()}
        if existing is None:
            return PlannedRow(number, CREATE, data=cleaned)
        changes = {}
        for key in present:
            if key in self.create_only:
                continue
            new = cleaned[key]
            if key in self.m2m:
                if {o.pk for o in getattr(existing, key).all()} != {o.pk for o in new}:
                    changes[key] = new
            elif not same_value(getattr(existing, key), new):
                changes[key] = new
        return PlannedRow(number, UPDATE if changes else UNCHANGED, data=cleaned, existing=existing, changes=changes)

    def clean_exclude(self) -> list[str]:
        return list(self.m2m)

    def look_up(self, data: dict[str, Any], key: str, lookup: Any) -> None:
        """Replace the cell text under ``key`` by the objects it names; an unknown name is a problem of the row,
        and the rest of the row is still checked."""
        if key not in data:
            return
        try:
            data[key] = lookup(data[key])
        except CellError as exc:
            self.problems.append((key, exc.message))
            data.pop(key)

    # --- writing ---

    def write(self, planned: PlannedRow) -> None:
        if planned.action == CREATE:
            self.create(planned.data)
        elif planned.action == UPDATE:
            self.update(planned.existing, planned.changes)

    def create(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def update(self, existing: Any, changes: dict[str, Any]) -> None:
        raise NotImplementedError

    # --- shared lookups ---

    def person_from(self, data: dict[str, Any], external_key: str, orcid_key: str) -> Person:
        external_id, orcid = data.pop(external_key, ""), data.pop(orcid_key, "")
        if self.person is not None and not external_id and not orcid:
            return self.person
        if not external_id and not orcid:
            raise RowProblems([(external_key, _("Give the researcher's external id or ORCID iD."))])
        try:
            person = find_person(external_id=external_id, orcid=orcid)
        except CellError as exc:
            raise RowProblems([(external_key, exc.message)])
        if person is None:
            key = external_key if external_id else orcid_key
            raise RowProblems([(key, _("No researcher with this external id or ORCID iD is in the directory; import "
                                       "the researchers first."))])
        return person

    def may_act_for(self, person: Person) -> bool:
        return bool(self.by.is_superuser or person.user_id == self.by.pk or person.organization_id in self.managed)


# ---------------------------------------------------------------------------------------------------------------

CODES_NOTE_ZH = "多个代码用分号或顿号分隔"
CODES_NOTE_EN = "separate several codes with ; or 、"


class EnterpriseImporter(Importer):
    kind = "enterprises"
    model = Organization
    m2m = ("industries",)
    columns = (
        Column("name", "名称", "Name", required=True, aliases=("企业名称", "单位名称", "company name"),
               note_zh="企业全称", note_en="Full registered name"),
        Column("name_en", "英文名称", "English name"),
        Column("short_name", "简称", "Short name"),
        Column("credit_code", "统一社会信用代码", "Unified social credit code", required=True,
               aliases=("信用代码", "credit code", "USCC"),
               note_zh="18位，校验位会被检查；用于识别已导入的企业",
               note_en="18 characters with check character; identifies the enterprise on re-import"),
        Column("size", "企业规模", "Size", kind=CHOICE, choices=EnterpriseSize),
        Column("is_high_tech", "高新技术企业", "High-tech enterprise", kind=BOOL, aliases=("高新", "是否高新技术企业", "高企"),
               note_zh="是 / 否", note_en="yes / no"),
        Column("specialised_level", "专精特新", "Specialised & innovative", kind=CHOICE, choices=SpecialisedLevel,
               aliases=("专精特新级别", "specialised level")),
        Column("industries", "行业代码", "Industry codes", kind=LIST,
               note_zh="GB/T 4754-2017 门类或大类代码，如 C35；" + CODES_NOTE_ZH,
               note_en="GB/T 4754-2017 section or division codes, e.g. C35; " + CODES_NOTE_EN),
        Column("region", "行政区划代码", "Region code", note_zh="GB/T 2260 六位代码，如 370200",
               note_en="GB/T 2260 six-digit code, e.g. 370200"),
        Column("parent", "所属园区", "Parent zone", aliases=("园区", "zone", "parent zone name"),
               note_zh="平台上已有的开发区或园区名称", note_en="Name of a development zone already on the platform"),
        Column("founded", "成立年份", "Year founded", kind=INT),
        Column("employees", "员工人数", "Employees", kind=INT),
        Column("website", "网址", "Website"),
        Column("address", "地址", "Address"),
        Column("description", "简介", "Description"),
        Column("description_en", "英文简介", "English description"),
    )

    def resolve(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        data, present = super().resolve(values)
        data["credit_code"] = data["credit_code"].strip().upper()
        self.look_up(data, "industries", self.lookups.industries)
        self.look_up(data, "region", self.lookups.region)
        self.look_up(data, "parent", self._parent)
        data["kind"] = OrganizationKind.ENTERPRISE
        return data, present

    def _parent(self, name: str) -> Organization | None:
        return self.lookups.organization(name, prefer=self.managed) if name else None

    def find(self, data: dict[str, Any]) -> Organization | None:
        return Organization.objects.filter(credit_code=data["credit_code"]).first()

    def check_permission(self, data: dict[str, Any], existing: Organization | None) -> None:
        if existing is not None:
            if not can(self.by, CHANGE, existing):
                raise RowProblems([("credit_code", _("This enterprise is already on the platform and you may not "
                                                     "change it."))])
            return
        parent = data.get("parent")
        if not can(self.by, ADD, Organization) or not (
            self.by.is_superuser or parent is None or parent.pk in self.managed or self.by.has_role(Role.BROKER)
        ):
            raise RowProblems([("parent", _("You may not add enterprises under this zone."))])

    def unique_keys(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        return [("credit_code", data["credit_code"])]

    def create(self, data: dict[str, Any]) -> None:
        directory_services.organization_create(by=self.by, **data)

    def update(self, existing: Organization, changes: dict[str, Any]) -> None:
        directory_services.organization_update(organization=existing, by=self.by, **changes)


class ResearcherImporter(Importer):
    kind = "researchers"
    model = Person
    m2m = ("disciplines",)
    create_only = ("kind",)
    columns = (
        Column("external_id", "外部编号", "External id", aliases=("工号", "staff number", "人员编号"),
               note_zh="学校的工号或人事系统编号；与ORCID至少填一项，用于识别已导入的人员",
               note_en="Staff number or HR id; this or the ORCID iD identifies the person on re-import"),
        Column("name", "姓名", "Name", required=True),
        Column("name_en", "英文姓名", "English name"),
        Column("organization", "所在单位", "Organization", required=True, aliases=("单位", "学院", "院系"),
               note_zh="平台上已有的学院或单位名称；重名时写“学校/学院”",
               note_en="A college or unit on the platform; write “University/College” if the name is not unique"),
        Column("title", "职称", "Title", note_zh="如 教授、副教授、高级工程师", note_en="e.g. Professor"),
        Column("email", "邮箱", "Email"),
        Column("phone", "电话", "Phone"),
        Column("orcid", "ORCID", "ORCID iD", aliases=("orcid id",), note_zh="如 0000-0002-1825-0097",
               note_en="e.g. 0000-0002-1825-0097"),
        Column("expertise_keywords", "研究方向关键词", "Expertise keywords", kind=LIST,
               aliases=("研究方向", "关键词", "keywords"), note_zh="用分号或顿号分隔", note_en="separate with ; or 、"),
        Column("disciplines", "学科代码", "Discipline codes", kind=LIST,
               note_zh="教育部学科目录代码，如 0802；" + CODES_NOTE_ZH,
               note_en="MoE discipline codes, e.g. 0802; " + CODES_NOTE_EN),
        Column("bio", "简介", "Biography"),
        Column("bio_en", "英文简介", "English biography"),
    )

    def resolve(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        data, present = super().resolve(values)
        problems = []
        if data.get("orcid"):
            data["orcid"] = normalize_orcid(data["orcid"])
        if not data.get("external_id") and not data.get("orcid"):
            problems.append(("external_id", _("Give an external id or an ORCID iD, so that importing the file again "
                                              "updates this person instead of adding a copy.")))
        try:
            data["organization"] = self.lookups.organization(data["organization"], prefer=self.managed)
        except CellError as exc:
            problems.append(("organization", exc.message))
        self.look_up(data, "disciplines", self.lookups.disciplines)
        if problems:
            raise RowProblems(problems)
        data["kind"] = Person._meta.get_field("kind").default
        return data, present

    def find(self, data: dict[str, Any]) -> Person | None:
        try:
            return find_person(external_id=data.get("external_id", ""), orcid=data.get("orcid", ""))
        except CellError as exc:
            raise RowProblems([("external_id", exc.message)])

    def check_permission(self, data: dict[str, Any], existing: Person | None) -> None:
        org = data["organization"]
        may_place = self.by.is_superuser or org.pk in self.managed
        if existing is not None and not can(self.by, CHANGE, existing):
            raise RowProblems([("external_id", _("This person is already on the platform and you may not change "
                                                 "them."))])
        if not may_place and (existing is None or existing.organization_id != org.pk):
            raise RowProblems([("organization", _("You may not add people to this organization."))])

    def unique_keys(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        return [(k, data[k]) for k in ("external_id", "orcid") if data.get(k)]

    def create(self, data: dict[str, Any]) -> None:
        directory_services.person_create(by=self.by, **data)

    def update(self, existing: Person, changes: dict[str, Any]) -> None:
        directory_services.person_update(person=existing, by=self.by, **changes)


class PublicationImporter(Importer):
    kind = "publications"
    model = Publication
    field_columns = {"person": "researcher_external_id"}
    columns = (
        Column("researcher_external_id", "研究人员外部编号", "Researcher external id", aliases=("工号",),
               note_zh="与研究人员ORCID至少填一项", note_en="this or the researcher's ORCID iD"),
        Column("researcher_orcid", "研究人员ORCID", "Researcher ORCID"),
        Column("title", "题名", "Title", required=True, aliases=("标题", "论文题目")),
        Column("abstract", "摘要", "Abstract"),
        Column("venue", "期刊/会议", "Venue", aliases=("期刊", "刊物", "journal", "期刊名称")),
        Column("year", "年份", "Year", kind=INT, aliases=("发表年份",)),
        Column("authors", "作者", "Authors"),
        Column("doi", "DOI", "DOI"),
        Column("keywords", "关键词", "Keywords", kind=LIST),
        Column("external_id", "外部编号", "External id",
               note_zh="与DOI一起用于识别已导入的论文", note_en="with the DOI, identifies the paper on re-import"),
    )

    def resolve(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        data, present = super().resolve(values)
        data["person"] = self.person_from(data, "researcher_external_id", "researcher_orcid")
        present -= {"researcher_external_id", "researcher_orcid"}
        if data.get("doi"):
            data["doi"] = _doi(data["doi"])
        if data.get("title") and len(data["title"]) > 500:
            data["title"] = data["title"][:500]
        return data, present

    def find(self, data: dict[str, Any]) -> Publication | None:
        qs = Publication.objects.filter(person=data["person"])
        if data.get("external_id"):
            match = qs.filter(external_id=data["external_id"]).first()
            if match:
                return match
        if data.get("doi"):
            match = qs.filter(doi=data["doi"]).first()
            if match:
                if match.external_id:
                    data["external_id"] = match.external_id  # found by DOI: keep the id it came in with
                return match
        if not data.get("external_id") and not data.get("doi"):
            return qs.filter(title__iexact=data["title"], year=data.get("year")).first()
        return None

    def check_permission(self, data: dict[str, Any], existing: Publication | None) -> None:
        allowed = can(self.by, CHANGE, existing) if existing is not None else (
            can(self.by, ADD, Publication) and self.may_act_for(data["person"]))
        if not allowed:
            raise RowProblems([("researcher_external_id", _("You may not add publications for this researcher."))])

    def unique_keys(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        person = str(data["person"].pk)
        keys = [(k, f"{person}:{data[k]}") for k in ("external_id", "doi") if data.get(k)]
        return keys or [("title", f"{person}:{data['title'].lower()}:{data.get('year')}")]

    def create(self, data: dict[str, Any]) -> None:
        person = data.pop("person")
        catalog_services.publication_create(by=self.by, person=person, **data)

    def update(self, existing: Publication, changes: dict[str, Any]) -> None:
        changes.pop("person", None)
        catalog_services.publication_update(publication=existing, by=self.by, **changes)


class AchievementImporter(Importer):
    kind = "achievements"
    model = Achievement
    m2m = ("industries", "disciplines")
    field_columns = {"owner": "owner_external_id", "organization": "owner_external_id"}
    columns = (
        Column("external_id", "外部编号", "External id", required=True, aliases=("成果编号",),
               note_zh="学校的成果编号；用于识别已导入的成果", note_en="Your id of the achievement; used on re-import"),
        Column("kind", "成果类型", "Kind", kind=CHOICE, choices=AchievementKind, required=True),
        Column("title", "名称", "Title", required=True, aliases=("成果名称",)),
        Column("title_en", "英文名称", "English title"),
        Column("description", "简介", "Description", required=True),
        Column("description_en", "英文简介", "English description"),
        Column("owner_external_id", "负责人外部编号", "Owner external id", aliases=("负责人工号",),
               note_zh="与负责人ORCID至少填一项", note_en="this or the owner's ORCID iD"),
        Column("owner_orcid", "负责人ORCID", "Owner ORCID"),
        Column("patent_number", "专利号", "Patent number"),
        Column("patent_status", "法律状态", "Legal status", kind=CHOICE, choices=PatentStatus),
        Column("trl", "技术成熟度", "TRL", kind=INT, note_zh="1–9", note_en="1–9"),
        Column("transfer_modes", "转化方式", "Transfer modes", kind=MULTI_CHOICE, choices=CooperationMode),
        Column("price_min", "参考价格下限（万元）", "Price from (10k CNY)", kind=DECIMAL),
        Column("price_max", "参考价格上限（万元）", "Price to (10k CNY)", kind=DECIMAL),
        Column("applications", "应用领域", "Applications"),
        Column("industries", "行业代码", "Industry codes", kind=LIST,
               note_zh="GB/T 4754-2017，如 C35；" + CODES_NOTE_ZH, note_en="GB/T 4754-2017, e.g. C35; " + CODES_NOTE_EN),
        Column("disciplines", "学科代码", "Discipline codes", kind=LIST,
               note_zh="如 0802；" + CODES_NOTE_ZH, note_en="e.g. 0802; " + CODES_NOTE_EN),
        Column("year", "年份", "Year", kind=INT),
        Column("visibility", "公开范围", "Visibility", kind=CHOICE, choices=Visibility),
    )

    def resolve(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        data, present = super().resolve(values)
        owner = self.person_from(data, "owner_external_id", "owner_orcid")
        present -= {"owner_external_id", "owner_orcid"}
        data["owner"], data["organization"] = owner, owner.organization
        present |= {"owner", "organization"}
        self.look_up(data, "industries", self.lookups.industries)
        self.look_up(data, "disciplines", self.lookups.disciplines)
        if data.get("visibility") == "":
            data.pop("visibility")
            present.discard("visibility")
        return data, present

    def find(self, data: dict[str, Any]) -> Achievement | None:
        return Achievement.objects.filter(organization=data["organization"], external_id=data["external_id"]).first()

    def check_permission(self, data: dict[str, Any], existing: Achievement | None) -> None:
        allowed = can(self.by, CHANGE, existing) if existing is not None else (
            can(self.by, ADD, Achievement) and self.may_act_for(data["owner"]))
        if not allowed:
            raise RowProblems([("owner_external_id", _("You may not add achievements for this researcher."))])

    def unique_keys(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        return [("external_id", f"{data['organization'].pk}:{data['external_id']}")]

    def create(self, data: dict[str, Any]) -> None:
        catalog_services.achievement_create(by=self.by, **data)

    def update(self, existing: Achievement, changes: dict[str, Any]) -> None:
        catalog_services.achievement_update(achievement=existing, by=self.by, **changes)


class NeedImporter(Importer):
    kind = "needs"
    model = Need
    m2m = ("industries", "disciplines")
    field_columns = {"owner": "enterprise"}
    create_only = ("publish",)
    columns = (
        Column("external_id", "外部编号", "External id", required=True, aliases=("需求编号",),
               note_zh="贵单位的需求编号；用于识别已导入的需求", note_en="Your id of the need; used on re-import"),
        Column("enterprise", "企业", "Enterprise", aliases=("企业名称", "企业信用代码", "统一社会信用代码"),
               note_zh="统一社会信用代码或企业名称；只属于一个企业时可不填",
               note_en="Credit code or name; may be left empty if you belong to one enterprise only"),
        Column("kind", "需求类型", "Kind", kind=CHOICE, choices=NeedKind),
        Column("title", "标题", "Title", required=True, aliases=("需求名称",)),
        Column("title_en", "英文标题", "English title"),
        Column("description", "描述", "Description", required=True, aliases=("需求描述",)),
        Column("description_en", "英文描述", "English description"),
        Column("industries", "行业代码", "Industry codes", kind=LIST,
               note_zh="GB/T 4754-2017，如 C35；" + CODES_NOTE_ZH, note_en="GB/T 4754-2017, e.g. C35; " + CODES_NOTE_EN),
        Column("disciplines", "学科代码", "Discipline codes", kind=LIST,
               note_zh="如 0802；" + CODES_NOTE_ZH, note_en="e.g. 0802; " + CODES_NOTE_EN),
        Column("cooperation_modes", "合作方式", "Cooperation modes", kind=MULTI_CHOICE, choices=CooperationMode),
        Column("budget_min", "预算下限（万元）", "Budget from (10k CNY)", kind=DECIMAL),
        Column("budget_max", "预算上限（万元）", "Budget to (10k CNY)", kind=DECIMAL),
        Column("deadline", "截止日期", "Deadline", kind=DATE, note_zh="如 2026-12-31", note_en="e.g. 2026-12-31"),
        Column("confidentiality", "公开范围", "Confidentiality", kind=CHOICE, choices=Confidentiality,
               exclude_choices=(Confidentiality.NAMED,)),
        Column("publish", "发布", "Publish", kind=BOOL, note_zh="是：导入后立即发布；否：存为草稿（仅新需求）",
               note_en="yes: publish at once; no: keep as draft (new needs only)"),
    )

    def service_fields(self) -> set[str]:
        return super().service_fields() - {"enterprise"}

    def resolve(self, values: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        data, present = super().resolve(values)
        try:
            data["owner"] = self._owner(as_text(values.get("enterprise")))
        except CellError as exc:
            raise RowProblems([("enterprise", exc.message)])
        self.look_up(data, "industries", self.lookups.industries)
        self.look_up(data, "disciplines", self.lookups.disciplines)
        for key in ("kind", "confidentiality"):
            if data.get(key) == "":
                data.pop(key)
                present.discard(key)
        return data, present

    def _owner(self, text: str) -> Organization:
        if text:
            return self.lookups.organization(text, prefer=member_organization_ids(self.by),
                                             kinds=[OrganizationKind.ENTERPRISE])
        mine = list(Organization.objects.filter(pk__in=member_organization_ids(self.by),
                                                kind=OrganizationKind.ENTERPRISE)[:2])
        if len(mine) != 1:
            raise CellError(_("Name the enterprise (credit code or name)."))
        return mine[0]

    def build(self, data: dict[str, Any], existing: Any) -> models.Model:
        fields = {k: v for k, v in data.items() if k != "publish"}
        return super().build(fields, existing)

    def compare(self, number: int, data: dict[str, Any], present: set[str], existing: Any) -> PlannedRow:
        publish = data.pop("publish", False)
        planned = super().compare(number, data, present - {"publish"}, existing)
        planned.data["publish"] = bool(publish)
        return planned

    def find(self, data: dict[str, Any]) -> Need | None:
        return Need.objects.filter(owner=data["owner"], external_id=data["external_id"]).first()

    def check_permission(self, data: dict[str, Any], existing: Need | None) -> None:
        owner = data["owner"]
        if existing is not None:
            allowed = can(self.by, CHANGE, existing)
        else:
            allowed = can(self.by, ADD, Need) and (
                self.by.is_superuser or owner.pk in member_organization_ids(self.by) or self.by.has_role(Role.BROKER))
        if not allowed:
            raise RowProblems([("enterprise", _("You may not post or change needs of this enterprise."))])

    def unique_keys(self, data: dict[str, Any]) -> list[tuple[str, str]]:
        return [("external_id", f"{data['owner'].pk}:{data['external_id']}")]

    def create(self, data: dict[str, Any]) -> None:
        catalog_services.need_create(by=self.by, **data)

    def update(self, existing: Need, changes: dict[str, Any]) -> None:
        changes.pop("owner", None)
        catalog_services.need_update(need=existing, by=self.by, **changes)


IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (EnterpriseImporter, ResearcherImporter, PublicationImporter, AchievementImporter, NeedImporter)
}
