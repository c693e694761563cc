"""Blank templates to download: a bilingual header row, and (in Excel) a sheet of instructions and allowed values."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from qiao.directory.models import Discipline, IndustryCategory

from .base import BOOL, CHOICE, Column
from .kinds import IMPORTERS

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
GENERAL_NOTES = [
    ("第一行是表头，请勿修改；中文或英文表头均可识别。", "Row 1 is the header; keep it. Chinese or English headers are both recognised."),
    ("橙色表头为必填列。", "Orange headers are required."),
    ("整个文件先校验；只要有一行出错，就不导入任何一行。", "The whole file is checked first; if any row has an error, nothing is imported."),
    ("再次导入同一文件不会产生重复记录，只更新有变化的内容。", "Importing the same file again adds no duplicates; only changed values are updated."),
    ("多个值用分号（;）或顿号（、）分隔。", "Separate several values with ; or 、."),
    ("CSV 可用 UTF-8 或 GB18030（中文 Excel 默认）编码保存。", "CSV may be saved as UTF-8 or GB18030 (Chinese Excel's default)."),
]


def _allowed(column: Column) -> str:
    if column.kind == BOOL:
        return "是 / 否 (yes / no)"
    return "; ".join(f"{zh} ({value})" for value, zh, _en in column.allowed_choices())


def template_csv(kind: str) -> bytes:
    """The header row, UTF-8 with the BOM that makes Excel open Chinese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.header for c in IMPORTERS[kind].active_columns()])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    columns = IMPORTERS[kind].active_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据 Data"
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(column.header) + 6))
        if column.kind in (CHOICE, BOOL):
            options = ["是", "否"] if column.kind == BOOL else [zh for _v, zh, _en in column.allowed_choices()]
            if len(",".join(options)) < 250 and not any("," in o or '"' in o for o in options):
                validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                                            showErrorMessage=False)
                validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}5000")
                sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("说明 Instructions")
    notes.append(["列 Column", "必填 Required", "说明", "Notes", "允许的值 Allowed values"])
    for column in columns:
        notes.append([column.header, "是 yes" if column.required else "", column.note_zh, column.note_en,
                      _allowed(column)])
    notes.append([])
    for zh, en in GENERAL_NOTES:
        notes.append(["", "", zh, en])
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCDE", (28, 12, 48, 48, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    keys = {c.key for c in columns}
    for key, title, model in (("industries", "行业代码 Industries", IndustryCategory),
                              ("disciplines", "学科代码 Disciplines", Discipline)):
        if key in keys:
            codes = workbook.create_sheet(title)
            codes.append(["代码 Code", "名称", "Name"])
            for code, name, name_en in model.objects.order_by("code").values_list("code", "name", "name_en"):
                codes.append([code, name, name_en])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
