"""The pieces every importer shares: columns with bilingual headers, cell parsing, row errors, lookups.

An importer turns one source row (a dict of column key → raw cell value) into the keyword arguments of a
catalog or directory service, validates them with the model's own ``full_clean`` (so the same validators as the
services run: credit code and ORCID checksums, DOI form, choices, ranges, unique constraints), and later writes
them through that service. Errors name the file, the row as the user sees it and the header as written in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from qiao.directory.models import Discipline, IndustryCategory, Organization, Person, Region
from qiao.directory.validators import normalize_orcid

TEXT, INT, DECIMAL, DATE, BOOL, LIST, CHOICE, MULTI_CHOICE = (
    "text", "int", "decimal", "date", "bool", "list", "choice", "multi_choice")

LIST_SEPARATORS = re.compile(r"[;；,，、\n]+")
TRUE_WORDS = {"1", "y", "yes", "true", "t", "是", "有", "√", "✓", "x"}
FALSE_WORDS = {"0", "n", "no", "false", "f", "否", "无", "×", ""}


def normalize_header(text: Any) -> str:
    """Header matching ignores case, spaces, punctuation and required-marks: "*名称 Name" ~ "名称" ~ "name"."""
    return re.sub(r"[\s*＊:：_\-()（）/／.·]+", "", str(text or "")).lower()


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str = TEXT
    required: bool = False
    choices: type[models.TextChoices] | None = None
    exclude_choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    note_zh: str = ""
    note_en: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh} {self.en}"

    def header_forms(self) -> set[str]:
        forms = {self.header, self.zh, self.en, self.key, *self.aliases}
        return {normalize_header(f) for f in forms}

    def allowed_choices(self) -> list[tuple[str, str, str]]:
        """(value, Chinese label, English label) of each allowed choice."""
        if self.choices is None:
            return []
        result = []
        for value, label in self.choices.choices:
            if value in self.exclude_choices or value == "":
                continue
            with translation.override("zh-hans"):
                zh = str(label)
            with translation.override("en"):
                en = str(label)
            result.append((value, zh, en))
        return result


@dataclass
class RowError:
    file: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class SourceRow:
    """One row of the source: ``number`` as the user sees it (Excel row, or the work's position in a JSON list)."""

    number: int
    values: dict[str, Any]


@dataclass
class Source:
    """A read file: which column key sits under which header text, and the rows."""

    file_name: str
    headers: dict[str, str]
    rows: list[SourceRow]
    errors: list[RowError] = field(default_factory=list)


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- cell parsing ---

def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores "2023" or an id typed as a number as 2023.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def as_int(value: Any) -> int | None:
    text = as_text(value).replace(",", "")
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(number)


def as_decimal(value: Any) -> Decimal | None:
    text = as_text(value).replace(",", "").replace("，", "")
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    return number


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value)
    match = DATE_PATTERN.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date; write it as 2026-12-31.") % {"value": text})


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” is neither yes (是) nor no (否).") % {"value": as_text(value)})


def as_list(value: Any) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(as_text(value)) if part.strip()]


def as_choice(column: Column, value: Any) -> str:
    text = as_text(value)
    if text == "":
        return ""
    wanted = normalize_header(text)
    for choice, zh, en in column.allowed_choices():
        if wanted in {normalize_header(choice), normalize_header(zh), normalize_header(en)}:
            return choice
    extra = CHOICE_ALIASES.get(wanted)
    if extra and extra in {c for c, _zh, _en in column.allowed_choices()}:
        return extra
    raise CellError(_("“%(value)s” is not one of the allowed values: %(allowed)s.") % {
        "value": text, "allowed": "; ".join(f"{zh} / {en}" for _c, zh, en in column.allowed_choices())})


# Words Chinese offices write that are not the labels themselves.
CHOICE_ALIASES = {normalize_header(k): v for k, v in {
    "大型": "large", "大型企业": "large", "中型": "medium", "中型企业": "medium", "小型": "small",
    "小型企业": "small", "微型": "micro", "微型企业": "micro",
    "省级": "provincial", "省级专精特新": "provincial", "专精特新": "provincial", "专精特新中小企业": "provincial",
    "小巨人": "little_giant", "国家级": "little_giant", "国家级小巨人": "little_giant",
    "专精特新小巨人": "little_giant",
    "发明专利": "invention_patent", "实用新型": "utility_model", "软件著作权": "software_copyright",
    "软著": "software_copyright", "技术包": "technology_package", "植物新品种": "new_variety", "论文": "paper",
    "已申请": "filed", "实审": "examination", "实质审查": "examination", "授权": "granted", "已授权": "granted",
    "失效": "lapsed", "已转让": "transferred",
    "公开": "public", "会员": "members", "平台会员": "members", "仅经纪人": "brokers",
    "技术难题": "technical_problem", "联合研发": "joint_rnd", "合作研发": "rnd_collaboration",
    "技术需求": "technology_wanted", "人才": "talent", "实习": "talent", "检测": "testing", "咨询": "consulting",
    "许可": "licence", "转让": "assignment", "作价入股": "equity", "共建实验室": "co_built_lab",
    "实习基地": "internship_base", "委托开发": "commissioned_rnd",
}.items()}


def parse_cell(column: Column, value: Any) -> Any:
    if column.kind == INT:
        return as_int(value)
    if column.kind == DECIMAL:
        return as_decimal(value)
    if column.kind == DATE:
        return as_date(value)
    if column.kind == BOOL:
        return as_bool(value)
    if column.kind == LIST:
        return as_list(value)
    if column.kind == CHOICE:
        return as_choice(column, value)
    if column.kind == MULTI_CHOICE:
        return [as_choice(column, part) for part in as_list(value)]
    return as_text(value)


# --- lookups (cached per import: a file of 5,000 rows names the same few colleges over and over) ---

class Lookups:
    def __init__(self) -> None:
        self._industries: dict[str, IndustryCategory] | None = None
        self._disciplines: dict[str, Discipline] | None = None
        self._regions: dict[str, Region] | None = None
        self._orgs: dict[str, list[Organization]] = {}

    def industries(self, codes: Iterable[str]) -> list[IndustryCategory]:
        if self._industries is None:
            self._industries = {c.code.upper(): c for c in IndustryCategory.objects.all()}
        return self._codes(codes, self._industries, letter_prefix=True)

    def disciplines(self, codes: Iterable[str]) -> list[Discipline]:
        if self._disciplines is None:
            self._disciplines = {c.code.upper(): c for c in Discipline.objects.all()}
        return self._codes(codes, self._disciplines, letter_prefix=False)

    @staticmethod
    def _codes(codes: Iterable[str], table: dict[str, Any], *, letter_prefix: bool) -> list[Any]:
        found, unknown = [], []
        for raw in codes:
            code = raw.strip().upper().split(" ")[0]
            if code not in table and letter_prefix and len(code) > 1 and code[0].isalpha() and code[1:] in table:
                code = code[1:]  # "C35" as printed in GB/T 4754 tables: section letter + division
            if code in table:
                found.append(table[code])
            else:
                unknown.append(raw)
        if unknown:
            raise CellError(_("Unknown code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        return found

    def region(self, code: str) -> Region | None:
        if not code:
            return None
        if self._regions is None:
            self._regions = {r.code: r for r in Region.objects.all()}
        region = self._regions.get(code.strip())
        if region is None:
            raise CellError(_("Unknown region code “%(code)s”.") % {"code": code})
        return region

    def organization(self, text: str, *, prefer: set[int] | None = None, kinds: Iterable[str] = ()) -> Organization:
        """Find one organization by credit code, name, English name or short name; "University/College" for a
        college whose name other universities use too."""
        text = text.strip()
        key = f"{text}|{sorted(kinds)}"
        if key not in self._orgs:
            parts = [p.strip() for p in re.split(r"[/／>]", text) if p.strip()]
            name = parts[-1] if parts else text
            by_name = models.Q(name=name) | models.Q(name_en__iexact=name) | models.Q(short_name=name)
            if len(name) == 18:
                by_name |= models.Q(credit_code=name.upper())
            qs = Organization.objects.filter(by_name)
            if len(parts) > 1:
                parent = parts[-2]
                qs = qs.filter(models.Q(parent__name=parent) | models.Q(parent__name_en__iexact=parent)
                               | models.Q(parent__short_name=parent))
            if kinds:
                qs = qs.filter(kind__in=list(kinds))
            self._orgs[key] = list(qs.select_related("parent")[:20])
        candidates = self._orgs[key]
        if len(candidates) > 1 and prefer:
            candidates = [c for c in candidates if c.pk in prefer] or candidates
        if not candidates:
            raise CellError(_("Unknown organization “%(name)s”.") % {"name": text})
        if len(candidates) > 1:
            raise CellError(_("“%(name)s” names several organizations; write it as “University/College”.") % {
                "name": text})
        return candidates[0]


def find_person(*, external_id: str = "", orcid: str = "") -> Person | None:
    """The person an import row refers to: by external id, else by ORCID iD."""
    if external_id:
        matches = list(Person.objects.filter(external_id=external_id)[:2])
        if len(matches) > 1:
            raise CellError(_("Several people have the external id “%(id)s”.") % {"id": external_id})
        if matches:
            return matches[0]
    if orcid:
        return Person.objects.filter(orcid=normalize_orcid(orcid)).first()
    return None


def validation_messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError, field ``__all__`` for errors of the whole row."""
    if hasattr(exc, "error_dict"):
        return [(name, message) for name, messages in exc.message_dict.items() for message in messages]
    return [(NON_FIELD_ERRORS, message) for message in exc.messages]


def same_value(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    if isinstance(old, models.Model) or isinstance(new, models.Model):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    return old == new


Check = Callable[..., bool]
