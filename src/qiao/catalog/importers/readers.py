"""Reading uploaded files into rows: Excel workbooks, CSV as Chinese Excel saves it, OpenAlex and ORCID works."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from .base import Column, RowError, Source, SourceRow, as_text, normalize_header

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 5


class FileUnreadable(Exception):
    """The file as a whole cannot be read (wrong format, damaged, empty): reported as one error on row 1."""


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), UTF-16 ("Unicode text"), else GB18030, the superset of the
    GBK/GB2312 that Chinese Excel uses for "CSV (comma delimited)"."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise FileUnreadable(_("The file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8” or .xlsx."))


def read_csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", "\t", ";", "，"], key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Rows are numbered as records, as Excel shows them (a quoted cell may hold line breaks).
    return list(enumerate(reader, start=1))


def read_xlsx_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(_("The file is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _by_part(forms: dict[str, Column], cell: Any) -> Column | None:
    """A header written another way round ("Name 名称", "名称（Name）"): match its Chinese or its Latin part."""
    text = as_text(cell)
    for part in (re.sub(r"[A-Za-z]+", " ", text), re.sub(r"[^A-Za-z0-9 _&-]+", " ", text)):
        column = forms.get(normalize_header(part))
        if column is not None and normalize_header(part):
            return column
    return None


def read_table(file_name: str, content: bytes, columns: Sequence[Column]) -> Source:
    """Rows of a spreadsheet keyed by column; the header row is the first of the top rows that names a column."""
    lower = file_name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        raw_rows = read_xlsx_rows(content)
    elif lower.endswith((".csv", ".txt", ".tsv")):
        raw_rows = read_csv_rows(content)
    elif lower.endswith(".xls"):
        raise FileUnreadable(_("Old .xls workbooks cannot be read; save the file as .xlsx or CSV."))
    else:
        raise FileUnreadable(_("Upload an .xlsx or .csv file."))
    forms = {form: column for column in columns for form in column.header_forms()}
    header_at, mapping, headers = None, {}, {}
    for number, row in raw_rows[:HEADER_SEARCH_ROWS]:
        found: dict[int, Column] = {}
        for index, cell in enumerate(row):
            column = forms.get(normalize_header(cell)) or _by_part(forms, cell)
            if column is not None and column.key not in {c.key for c in found.values()}:
                found[index] = column
        if found:
            header_at = number
            mapping = found
            headers = {column.key: as_text(row[index]) for index, column in found.items()}
            break
    source = Source(file_name=file_name, headers=headers, rows=[])
    if header_at is None:
        raise FileUnreadable(_("No column of the template was found in the first rows; download the template and "
                               "keep its header row."))
    for column in columns:
        if column.required and column.key not in headers:
            source.errors.append(RowError(file_name, header_at, column.header,
                                          _("The required column “%(column)s” is missing.") % {
                                              "column": column.header}))
    for number, row in raw_rows:
        if number <= header_at:
            continue
        values = {column.key: row[index] if index < len(row) else None for index, column in mapping.items()}
        if all(as_text(v) == "" for v in values.values()):
            continue
        source.rows.append(SourceRow(number=number, values=values))
    if len(source.rows) > MAX_ROWS:
        raise FileUnreadable(_("A file may have at most %(n)s rows; split it.") % {"n": MAX_ROWS})
    return source


# --- works of one researcher ---

def _load_json(content: bytes) -> Any:
    try:
        return json.loads(decode_csv(content))
    except (ValueError, FileUnreadable) as exc:
        raise FileUnreadable(_("The file is not valid JSON.")) from exc


def openalex_abstract(inverted: dict[str, list[int]] | None) -> str:
    """OpenAlex ships abstracts as {word: [positions]}; put the words back in order."""
    if not inverted:
        return ""
    positions = [(pos, word) for word, places in inverted.items() for pos in places]
    return " ".join(word for _pos, word in sorted(positions))


def _authors(names: list[str], limit: int = 1000) -> str:
    text = ", ".join(n for n in names if n)
    if len(text) <= limit:
        return text
    return text[: limit - 8].rsplit(", ", 1)[0] + ", et al."


OPENALEX_HEADERS = {"title": "title", "abstract": "abstract_inverted_index", "venue": "primary_location.source",
                    "year": "publication_year", "authors": "authorships", "doi": "doi", "external_id": "id",
                    "keywords": "keywords"}
ORCID_HEADERS = {"title": "title.title.value", "venue": "journal-title", "year": "publication-date.year",
                 "doi": "external-ids", "external_id": "put-code"}


def read_works(file_name: str, content: bytes) -> Source:
    """A works file of one researcher, from ORCID (``group`` list) or OpenAlex (anything else)."""
    data = _load_json(content)
    if isinstance(data, dict) and "group" in data:
        return read_orcid(file_name, data)
    return read_openalex(file_name, data)


def read_openalex(file_name: str, data: Any) -> Source:
    """An OpenAlex works response (``{"results": [...]}``), a list of works, or one work."""
    works = data.get("results", [data] if "id" in data else None) if isinstance(data, dict) else data
    if not isinstance(works, list):
        raise FileUnreadable(_("No OpenAlex works found: expected a “results” list."))
    rows = []
    for number, work in enumerate(works, start=1):
        if not isinstance(work, dict):
            continue
        location = work.get("primary_location") or {}
        source = location.get("source") or {}
        work_id = as_text(work.get("id")).rsplit("/", 1)[-1]
        rows.append(SourceRow(number=number, values={
            "title": work.get("title") or work.get("display_name") or "",
            "abstract": openalex_abstract(work.get("abstract_inverted_index")),
            "venue": source.get("display_name") or "",
            "year": work.get("publication_year"),
            "authors": _authors([((a or {}).get("author") or {}).get("display_name", "")
                                 for a in work.get("authorships") or []]),
            "doi": work.get("doi") or "",
            "external_id": f"openalex:{work_id}" if work_id else "",
            "keywords": "; ".join(k.get("display_name", "") for k in work.get("keywords") or [] if isinstance(k, dict)),
        }))
    return Source(file_name=file_name, headers=dict(OPENALEX_HEADERS), rows=rows)


def _value(node: Any) -> str:
    return as_text(node.get("value")) if isinstance(node, dict) else ""


def read_orcid(file_name: str, data: Any) -> Source:
    """The ORCID ``/works`` summary: ``group[].work-summary[]``; the first summary of a group is the preferred one."""
    groups = data.get("group") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise FileUnreadable(_("No ORCID works found: expected a “group” list."))
    rows = []
    for number, group in enumerate(groups, start=1):
        summaries = (group or {}).get("work-summary") or []
        if not summaries:
            continue
        work = summaries[0]
        title = _value((work.get("title") or {}).get("title"))
        year = _value((work.get("publication-date") or {}).get("year"))
        doi = ""
        for ext in ((work.get("external-ids") or {}).get("external-id") or []):
            if as_text(ext.get("external-id-type")).lower() == "doi":
                doi = _value(ext.get("external-id-normalized")) or as_text(ext.get("external-id-value"))
                break
        put_code = as_text(work.get("put-code"))
        rows.append(SourceRow(number=number, values={
            "title": title, "venue": _value(work.get("journal-title")), "year": year, "doi": doi,
            "external_id": f"orcid:{put_code}" if put_code else "",
        }))
    return Source(file_name=file_name, headers=dict(ORCID_HEADERS), rows=rows)
