"""Imports: templates, validation row by row, all-or-nothing writes, idempotent re-imports, jobs and pages."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from qiao.catalog import imports
from qiao.catalog.import_models import ImportJob, ImportStatus
from qiao.catalog.importers.templates import template_csv, template_xlsx
from qiao.catalog.models import Achievement, Need, NeedStatus, Publication
from qiao.directory.models import Organization, Person
from qiao.directory.validators import orcid_check_digit
from tests.directory.factories import make_uscc

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def orcid(n: int) -> str:
    base = f"0000000{n:08d}"
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def taxonomies(db) -> None:
    from qiao.directory.models import IndustryCategory

    if not IndustryCategory.objects.exists():
        from qiao.directory.taxonomies import load_all

        load_all()


def xlsx(headers: list[str], rows: list[list[Any]], name: str = "file.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(headers: list[str], rows: list[list[Any]], name: str = "file.csv", encoding: str = "utf-8-sig"
             ) -> SimpleUploadedFile:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding))


def run(user: Any, kind: str, upload: SimpleUploadedFile, person: Person | None = None) -> ImportJob:
    upload.seek(0)
    job = imports.import_job_create(by=user, kind=kind, file=upload, person=person)
    return imports.import_job_start(job=job)


RESEARCHER_HEADERS = ["外部编号 External id", "姓名 Name", "英文姓名 English name", "所在单位 Organization",
                      "职称 Title", "邮箱 Email", "ORCID", "研究方向关键词 Expertise keywords",
                      "学科代码 Discipline codes"]


def researcher_rows(bad_orcid: bool = False) -> list[list[Any]]:
    return [
        ["T001", "王海洋", "Wang Haiyang", "机械学院", "教授", "wang@example.edu.cn", orcid(1),
         "海水淡化；膜分离、反渗透", "0802;0830"],
        ["T002", "陈静", "Chen Jing", "测试大学/机械学院", "副教授", "chen@example.edu.cn",
         "0000-0001-0000-0000" if bad_orcid else orcid(2), "工业机器人", "0802"],
        [1003, "刘洋", "", "机械学院", "讲师", "", "", "", ""],
    ]


# --- researchers ---

def test_researchers_xlsx_imports_and_reimport_changes_nothing(world):
    staff = world.users["staff"]
    upload = xlsx(RESEARCHER_HEADERS, researcher_rows())

    job = run(staff, "researchers", upload)

    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary == {"total": 3, "created": 3, "updated": 0, "unchanged": 0}
    wang = Person.objects.get(external_id="T001")
    assert wang.organization == world.college
    assert wang.orcid == orcid(1)
    assert wang.expertise_keywords == ["海水淡化", "膜分离", "反渗透"]
    assert sorted(d.code for d in wang.disciplines.all()) == ["0802", "0830"]
    assert Person.objects.get(external_id="1003").name == "刘洋"  # a number typed in Excel is an id, not 1003.0

    again = run(staff, "researchers", upload)

    assert again.summary == {"total": 3, "created": 0, "updated": 0, "unchanged": 3}
    assert Person.objects.filter(external_id__in=["T001", "T002", "1003"]).count() == 3


def test_researcher_with_bad_orcid_reports_row_and_column_and_writes_nothing(world):
    staff = world.users["staff"]
    before = Person.objects.count()

    job = run(staff, "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows(bad_orcid=True), name="教师.xlsx"))

    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"file": "教师.xlsx", "row": 3, "column": "ORCID",
                           "message": "The check digit of the ORCID iD is wrong."}]
    assert Person.objects.count() == before

    fixed = run(staff, "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows(), name="教师.xlsx"))

    assert fixed.status == ImportStatus.DONE
    assert fixed.summary["created"] == 3


def test_researcher_errors_unknown_org_and_codes_and_duplicates(world):
    rows = [
        ["T001", "王海洋", "", "不存在学院", "", "", "", "", "0802"],
        ["T002", "陈静", "", "机械学院", "", "not-an-email", "", "", "9999"],
        ["T003", "刘洋", "", "机械学院", "", "", "", "", ""],
        ["T003", "刘洋", "", "机械学院", "", "", "", "", ""],
        ["", "赵敏", "", "机械学院", "", "", "", "", ""],
    ]

    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, rows))

    got = {(e["row"], e["column"]) for e in job.errors}
    assert got == {(2, "所在单位 Organization"), (3, "学科代码 Discipline codes"), (3, "邮箱 Email"),
                   (5, "外部编号 External id"), (6, "外部编号 External id")}
    assert "row 4" in next(e["message"] for e in job.errors if e["row"] == 5)
    assert not Person.objects.filter(external_id__startswith="T").exists()


def test_headers_in_one_language_only_are_recognised(world):
    upload = csv_file(["External id", "name", "ORGANIZATION", "职称"], [["E1", "孙力", "机械学院", "教授"]])

    job = run(world.users["staff"], "researchers", upload)

    assert job.status == ImportStatus.DONE, job.errors
    assert Person.objects.get(external_id="E1").title == "教授"


def test_missing_required_column_is_reported_on_header_row(world):
    job = run(world.users["staff"], "researchers", xlsx(["外部编号 External id", "姓名 Name"], [["E1", "孙力"]]))

    assert job.status == ImportStatus.FAILED
    assert {"row": 1, "column": "所在单位 Organization"}.items() <= job.errors[0].items()


def test_staff_may_not_add_people_to_another_university(world):
    rows = [["X1", "外校老师", "", "化工学院", "", "", "", "", ""]]

    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, rows))

    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["column"] == "所在单位 Organization"
    assert not Person.objects.filter(external_id="X1").exists()


# --- publications ---

PUBLICATION_HEADERS = ["研究人员外部编号 Researcher external id", "研究人员ORCID Researcher ORCID", "题名 Title",
                       "摘要 Abstract", "期刊/会议 Venue", "年份 Year", "作者 Authors", "DOI",
                       "外部编号 External id"]


def test_publications_xlsx_by_external_id_or_orcid(world):
    researcher = world.researcher_person
    researcher.external_id, researcher.orcid = "R9", orcid(9)
    researcher.save()
    rows = [
        ["R9", "", "反渗透膜污染的在线监测", "研究了……", "膜科学与技术", 2023, "张研究, 王海洋",
         "https://doi.org/10.1234/MEM.2023.01", ""],
        ["", orcid(9), "Robotic grinding of turbine blades", "", "Robotics", "2021", "Zhang Y", "", "P-2"],
        ["", orcid(9), "无DOI的会议论文", "", "", "", "", "", ""],
    ]
    upload = xlsx(PUBLICATION_HEADERS, rows)

    job = run(world.users["staff"], "publications", upload)

    assert job.status == ImportStatus.DONE, job.errors
    assert researcher.publications.count() == 3
    assert researcher.publications.get(doi="10.1234/mem.2023.01").year == 2023
    assert run(world.users["staff"], "publications", upload).summary["unchanged"] == 3


def test_publication_bad_year_and_unknown_researcher(world):
    rows = [["NOPE", "", "论文", "", "", "", "", "", ""],
            ["", world.researcher_person.orcid or orcid(5), "论文2", "", "", "二〇二三", "", "bad-doi", ""]]
    world.researcher_person.orcid = orcid(5)
    world.researcher_person.save()

    job = run(world.users["staff"], "publications", xlsx(PUBLICATION_HEADERS, rows, name="papers.xlsx"))

    assert [(e["file"], e["row"], e["column"]) for e in job.errors] == [
        ("papers.xlsx", 2, "研究人员外部编号 Researcher external id"), ("papers.xlsx", 3, "年份 Year")]
    assert not Publication.objects.exists()


def test_researcher_imports_own_works_but_not_a_colleagues(world):
    colleague = Person.objects.create(name="同事", organization=world.college, external_id="C1")
    rows = [["C1", "", "同事的论文", "", "", 2020, "", "", ""]]

    job = run(world.users["researcher"], "publications", xlsx(PUBLICATION_HEADERS, rows))

    assert job.status == ImportStatus.FAILED
    assert "may not" in job.errors[0]["message"]
    assert not colleague.publications.exists()


def test_openalex_works_of_one_researcher(world):
    upload = SimpleUploadedFile("openalex.json", (DATA / "openalex_works.json").read_bytes())

    job = run(world.users["researcher"], "publications", upload, person=world.researcher_person)

    assert job.status == ImportStatus.DONE, job.errors
    pubs = {p.external_id: p for p in world.researcher_person.publications.all()}
    assert set(pubs) == {"openalex:W4385123401", "openalex:W4310987652", "openalex:W3198765403"}
    first = pubs["openalex:W4385123401"]
    assert first.abstract.startswith("Membrane fouling limits the efficiency of reverse osmosis")
    assert first.venue == "Journal of Membrane Science"
    assert first.doi == "10.1016/j.memsci.2023.121876"
    assert first.authors == "Zhang Yan, Wang Haiyang, Li Na"
    assert first.keywords == ["Membrane fouling", "Reverse osmosis"]
    assert pubs["openalex:W3198765403"].venue == ""  # no primary source
    assert run(world.users["researcher"], "publications", upload,
               person=world.researcher_person).summary["unchanged"] == 3


def test_orcid_works_then_openalex_match_on_doi(world):
    orcid_file = SimpleUploadedFile("orcid.json", (DATA / "orcid_works.json").read_bytes())
    openalex_file = SimpleUploadedFile("openalex.json", (DATA / "openalex_works.json").read_bytes())

    job = run(world.users["staff"], "publications", orcid_file, person=world.researcher_person)

    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary["created"] == 3
    pub = world.researcher_person.publications.get(doi="10.1016/j.memsci.2023.121876")
    assert pub.external_id == "orcid:138877001" and pub.year == 2023 and pub.venue == "Journal of Membrane Science"

    second = run(world.users["staff"], "publications", openalex_file, person=world.researcher_person)

    assert second.status == ImportStatus.DONE, second.errors
    assert second.summary["created"] == 2  # the shared DOI matched
    assert world.researcher_person.publications.count() == 5
    pub.refresh_from_db()
    assert pub.external_id == "orcid:138877001" and pub.abstract  # enriched, keeps the id it came in with


def test_works_file_needs_a_researcher(world):
    upload = SimpleUploadedFile("openalex.json", (DATA / "openalex_works.json").read_bytes())

    with pytest.raises(imports.ValidationError):
        imports.import_job_create(by=world.users["staff"], kind="publications", file=upload)


# --- needs ---

NEED_HEADERS = ["外部编号 External id", "企业 Enterprise", "需求类型 Kind", "标题 Title", "描述 Description",
                "行业代码 Industry codes", "合作方式 Cooperation modes", "预算下限（万元） Budget from (10k CNY)",
                "预算上限（万元） Budget to (10k CNY)", "截止日期 Deadline", "公开范围 Confidentiality", "发布 Publish"]


def need_rows(budget_max: Any = 80) -> list[list[Any]]:
    return [
        ["N-1", "", "技术难题", "高盐废水零排放", "蒸发结晶能耗高，寻求低能耗工艺。", "C35；N77", "联合研发、咨询", 30,
         budget_max, "2026-12-31", "公开", "是"],
        ["N-2", "环保装备公司", "Talent / internship", "招收膜材料方向实习生", "暑期实习两名。", "", "", "", "", "",
         "", "否"],
    ]


def test_needs_xlsx_by_enterprise_manager(world):
    world.enterprise.kind = "enterprise"
    world.enterprise.save()

    job = run(world.users["enterprise"], "needs", xlsx(NEED_HEADERS, need_rows()))

    assert job.status == ImportStatus.DONE, job.errors
    need = Need.objects.get(external_id="N-1")
    assert need.owner == world.enterprise and need.status == NeedStatus.PUBLISHED
    assert need.budget_max == Decimal("80") and str(need.deadline) == "2026-12-31"
    assert need.cooperation_modes == ["joint_rnd", "consulting"]
    assert sorted(i.code for i in need.industries.all()) == ["35", "77"]
    assert Need.objects.get(external_id="N-2").status == NeedStatus.DRAFT


def test_need_budget_below_lower_end_then_fixed_then_updated(world):
    manager = world.users["enterprise"]
    bad = run(manager, "needs", xlsx(NEED_HEADERS, need_rows(budget_max=10), name="needs.xlsx"))

    assert bad.status == ImportStatus.FAILED
    assert bad.errors == [{"file": "needs.xlsx", "row": 2, "column": "预算上限（万元） Budget to (10k CNY)",
                           "message": "The upper end of the budget is below the lower end."}]
    assert not Need.objects.exists()

    assert run(manager, "needs", xlsx(NEED_HEADERS, need_rows())).summary["created"] == 2
    changed = run(manager, "needs", xlsx(NEED_HEADERS, need_rows(budget_max=90)))

    assert changed.summary == {"total": 2, "created": 0, "updated": 1, "unchanged": 1}
    assert Need.objects.get(external_id="N-1").budget_max == Decimal("90")


def test_bad_date_and_choice_in_needs(world):
    rows = need_rows()
    rows[0][9] = "明年"
    rows[1][2] = "不知道"

    job = run(world.users["enterprise"], "needs", xlsx(NEED_HEADERS, rows))

    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "截止日期 Deadline"), (3, "需求类型 Kind")]


def test_enterprise_may_not_post_needs_for_another_enterprise(world):
    rows = need_rows()
    rows[1][1] = "电子公司"

    job = run(world.users["enterprise"], "needs", xlsx(NEED_HEADERS, rows))

    assert job.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "企业 Enterprise")]


# --- enterprises ---

ENTERPRISE_HEADERS = ["名称 Name", "英文名称 English name", "统一社会信用代码 Unified social credit code",
                      "企业规模 Size", "高新技术企业 High-tech enterprise", "专精特新 Specialised & innovative",
                      "行业代码 Industry codes", "行政区划代码 Region code", "所属园区 Parent zone",
                      "员工人数 Employees", "简介 Description"]


def enterprise_rows() -> list[list[Any]]:
    return [
        ["青岛蓝海膜科技有限公司", "Qingdao Blue Sea Membrane", make_uscc(501), "小型", "是", "专精特新小巨人",
         "C35、C29", "370200", "测试开发区", "120", "反渗透膜组件"],
        ["烟台精工机器人有限公司", "", make_uscc(502), "medium", "否", "", "C34", "370600", "", "", ""],
    ]


def test_enterprises_gb18030_csv_by_broker(world):
    upload = csv_file(ENTERPRISE_HEADERS, enterprise_rows(), name="企业名单.csv", encoding="gb18030")
    assert upload.read().decode("gb18030")  # saved the way Chinese Excel saves "CSV (comma delimited)"

    job = run(world.users["broker"], "enterprises", upload)

    assert job.status == ImportStatus.DONE, job.errors
    blue = Organization.objects.get(credit_code=make_uscc(501))
    assert blue.name == "青岛蓝海膜科技有限公司" and blue.kind == "enterprise"
    assert blue.size == "small" and blue.is_high_tech and blue.specialised_level == "little_giant"
    assert blue.parent == world.zone and blue.region.code == "370200" and blue.employees == 120
    assert sorted(i.code for i in blue.industries.all()) == ["29", "35"]
    assert run(world.users["broker"], "enterprises", upload).summary["unchanged"] == 2


def test_enterprise_bad_credit_code_checksum(world):
    rows = enterprise_rows()
    rows[1][2] = rows[1][2][:-1] + ("0" if rows[1][2][-1] != "0" else "1")

    job = run(world.users["broker"], "enterprises", xlsx(ENTERPRISE_HEADERS, rows, name="企业.xlsx"))

    assert job.errors == [{"file": "企业.xlsx", "row": 3, "column": "统一社会信用代码 Unified social credit code",
                           "message": "The check character of the unified social credit code is wrong."}]
    assert not Organization.objects.filter(credit_code=make_uscc(501)).exists()


def test_enterprise_manager_updates_own_enterprise_but_not_others(world):
    world.enterprise.credit_code = make_uscc(600)
    world.enterprise.save()
    world.other_enterprise.credit_code = make_uscc(601)
    world.other_enterprise.save()
    rows = [["环保装备公司", "Eco Equipment Co.", make_uscc(600), "", "", "", "", "", "", "", ""],
            ["电子公司", "Hacked", make_uscc(601), "", "", "", "", "", "", "", ""]]

    job = run(world.users["enterprise"], "enterprises", xlsx(ENTERPRISE_HEADERS, rows))

    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "统一社会信用代码 Unified social credit code")]
    world.other_enterprise.refresh_from_db()
    assert world.other_enterprise.name_en != "Hacked"

    ok = run(world.users["enterprise"], "enterprises", xlsx(ENTERPRISE_HEADERS, rows[:1]))

    assert ok.summary["updated"] == 1
    world.enterprise.refresh_from_db()
    assert world.enterprise.name_en == "Eco Equipment Co."


# --- achievements ---

ACHIEVEMENT_HEADERS = ["外部编号 External id", "成果类型 Kind", "名称 Title", "简介 Description",
                       "负责人外部编号 Owner external id", "专利号 Patent number", "法律状态 Legal status",
                       "技术成熟度 TRL", "转化方式 Transfer modes", "参考价格下限（万元） Price from (10k CNY)",
                       "学科代码 Discipline codes"]


def test_achievements_by_staff_with_trl_out_of_range(world):
    world.researcher_person.external_id = "R1"
    world.researcher_person.save()
    rows = [["A-1", "发明专利", "一种抗污染反渗透膜", "在膜表面接枝两性离子聚合物。", "R1", "ZL202310000001.2", "授权", 6,
             "许可；转让", "50", "0830"],
            ["A-2", "software_copyright", "膜污染监测软件", "在线监测。", "R1", "", "", 12, "", "", ""]]

    bad = run(world.users["staff"], "achievements", xlsx(ACHIEVEMENT_HEADERS, rows))

    assert [(e["row"], e["column"]) for e in bad.errors] == [(3, "技术成熟度 TRL")]
    rows[1][7] = 7
    job = run(world.users["staff"], "achievements", xlsx(ACHIEVEMENT_HEADERS, rows))

    assert job.status == ImportStatus.DONE, job.errors
    patent = Achievement.objects.get(external_id="A-1")
    assert patent.owner == world.researcher_person and patent.organization == world.college
    assert patent.patent_status == "granted" and patent.transfer_modes == ["licence", "assignment"]
    assert patent.price_min == Decimal("50")


# --- permissions ---

@pytest.mark.parametrize(("role", "kind", "allowed"), [
    ("admin", "enterprises", True), ("admin", "researchers", True), ("admin", "needs", True),
    ("broker", "enterprises", True), ("broker", "needs", True), ("broker", "researchers", False),
    ("enterprise", "enterprises", True), ("enterprise", "needs", True), ("enterprise", "researchers", False),
    ("enterprise", "publications", False),
    ("staff", "researchers", True), ("staff", "publications", True), ("staff", "achievements", True),
    ("staff", "needs", False), ("staff", "enterprises", False),
    ("researcher", "publications", True), ("researcher", "achievements", True), ("researcher", "researchers", False),
    ("officer", "researchers", False), ("nobody", "publications", False), ("nobody", "needs", False),
])
def test_who_may_import_what(world, role, kind, allowed):
    assert imports.may_import(world.users[role], kind) is allowed


def test_refused_upload_creates_no_job(world):
    with pytest.raises(imports.PermissionDenied):
        run(world.users["researcher"], "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows()))
    assert not ImportJob.objects.exists()


# --- jobs and pages ---

def test_large_file_runs_as_background_job(world, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 2)
    upload = xlsx(RESEARCHER_HEADERS, researcher_rows())

    with django_capture_on_commit_callbacks() as callbacks:
        job = run(world.users["staff"], "researchers", upload)
    assert job.status == ImportStatus.QUEUED
    assert len(callbacks) == 1  # queued for once the upload is committed

    callbacks[0]()  # the commit happens: the task is enqueued (ImmediateBackend runs it at once)

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.processed_rows == job.total_rows == 3
    assert job.finished is not None


def test_a_big_file_is_not_even_read_in_the_request(world, monkeypatch):
    monkeypatch.setattr(imports, "INLINE_MAX_BYTES", 10)
    monkeypatch.setattr(imports, "read_source", lambda **kwargs: pytest.fail("read in the request"))

    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows()))

    assert job.status == ImportStatus.QUEUED


def test_running_a_job_twice_does_nothing_the_second_time(world):
    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows()))

    imports.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.summary["created"] == 3


def test_upload_page_and_job_page(world, login):
    client = login(world.users["staff"])
    page = client.get(reverse("imports:start"))
    assert page.status_code == 200
    assert b"researchers.xlsx" in page.content and b"needs.xlsx" not in page.content

    upload = xlsx(RESEARCHER_HEADERS, researcher_rows(bad_orcid=True), name="teachers.xlsx")
    response = client.post(reverse("imports:start"), {"kind": "researchers", "file": upload})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    detail = client.get(job.get_absolute_url())
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "teachers.xlsx" in html and "The check digit of the ORCID iD is wrong." in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    errors = client.get(reverse("imports:job_errors", args=[job.pk]))
    assert errors.content.decode("utf-8-sig").splitlines()[1] == (
        "teachers.xlsx,3,ORCID,The check digit of the ORCID iD is wrong.")


def test_job_page_polls_while_running_and_answers_htmx_with_the_status_only(world, login):
    job = ImportJob.objects.create(created_by=world.users["staff"], kind="researchers", file="imports/x.xlsx",
                                   file_name="x.xlsx", status=ImportStatus.VALIDATING, total_rows=200,
                                   processed_rows=50)
    client = login(world.users["staff"])

    full = client.get(job.get_absolute_url()).content.decode()
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 1s"' in full and '<meta http-equiv="refresh"' in full
    assert "Checked 50 of 200 rows." in partial and "<html" not in partial
    assert 'value="25"' in partial


def test_others_cannot_see_my_job(world, login):
    job = ImportJob.objects.create(created_by=world.users["staff"], kind="researchers", file="imports/x.xlsx",
                                   file_name="x.xlsx")
    assert login(world.users["dean"]).get(job.get_absolute_url()).status_code == 404


def test_upload_form_refuses_unknown_kind_for_user(world, login):
    client = login(world.users["enterprise"])
    response = client.post(reverse("imports:start"), {"kind": "researchers",
                                                      "file": xlsx(RESEARCHER_HEADERS, researcher_rows())})
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_nobody_may_not_open_the_import_page(world, login):
    assert login(world.users["nobody"]).get(reverse("imports:start")).status_code == 403


# --- templates ---

@pytest.mark.parametrize("kind", ["enterprises", "researchers", "publications", "achievements", "needs"])
def test_templates_are_bilingual_with_instructions_and_round_trip(world, kind):
    workbook = load_workbook(io.BytesIO(template_xlsx(kind)))
    headers = [c.value for c in workbook.worksheets[0][1]]
    assert workbook.sheetnames[1] == "说明 Instructions"
    assert all(" " in h for h in headers)  # "名称 Name"
    csv_headers = template_csv(kind).decode("utf-8-sig").strip().split(",")
    assert csv_headers == headers


def test_filled_in_template_imports(world):
    workbook = load_workbook(io.BytesIO(template_xlsx("researchers")))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    values = {"外部编号 External id": "TPL-1", "姓名 Name": "模板老师", "所在单位 Organization": "机械学院",
              "学科代码 Discipline codes": "0802"}
    sheet.append([values.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = run(world.users["staff"], "researchers", SimpleUploadedFile("filled.xlsx", buffer.getvalue()))

    assert job.status == ImportStatus.DONE, job.errors
    assert Person.objects.filter(external_id="TPL-1").exists()


def test_template_download(world, login):
    client = login(world.users["enterprise"])
    response = client.get(reverse("imports:template", args=["needs", "xlsx"]))
    assert response.status_code == 200
    assert "qiao-needs-template.xlsx" in response["Content-Disposition"]
    assert client.get(reverse("imports:template", args=["researchers", "csv"])).status_code == 403


def test_unreadable_file_is_one_error(world):
    job = run(world.users["staff"], "researchers", SimpleUploadedFile("broken.xlsx", b"not a zip"))

    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["row"] == 1 and "Excel" in job.errors[0]["message"]


def test_errors_are_in_the_uploaders_language(world):
    from django.utils import translation

    with translation.override("zh-hans"):
        job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows(bad_orcid=True)))

    assert job.language == "zh-hans" and job.status == ImportStatus.FAILED


def test_headers_the_other_way_round_and_a_title_row_above_them(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年机械学院教师名单"])
    sheet.append(["External id 外部编号", "Name 姓名", "单位（Organization）"])
    sheet.append(["H1", "周平", "机械学院"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = run(world.users["staff"], "researchers", SimpleUploadedFile("list.xlsx", buffer.getvalue()))

    assert job.status == ImportStatus.DONE, job.errors
    assert Person.objects.get(external_id="H1").name == "周平"


def test_tab_separated_utf8_text_without_bom(world):
    content = "工号\t姓名\t学院\nT9\t吴刚\t机械学院\n".encode()

    job = run(world.users["staff"], "researchers", SimpleUploadedFile("list.txt", content))

    assert job.status == ImportStatus.DONE, job.errors
    assert Person.objects.get(external_id="T9").organization == world.college


def test_every_error_of_a_row_is_reported(world):
    rows = [["T1", "王", "", "机械学院", "", "bad-email", orcid(1)[:-1] + "Y", "", "0802;9999"]]

    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, rows))

    assert {e["column"] for e in job.errors} == {"邮箱 Email", "ORCID", "学科代码 Discipline codes"}
    assert all(e["row"] == 2 for e in job.errors)


def test_works_file_with_a_bad_doi_names_the_work_and_the_field(world):
    works = {"results": [
        {"id": "https://openalex.org/W1", "title": "Good", "doi": "https://doi.org/10.1/ok", "publication_year": 2020},
        {"id": "https://openalex.org/W2", "title": "Bad", "doi": "not a doi", "publication_year": 2020},
    ]}
    upload = SimpleUploadedFile("works.json", json.dumps(works).encode())

    job = run(world.users["researcher"], "publications", upload, person=world.researcher_person)

    assert [(e["file"], e["row"], e["column"]) for e in job.errors] == [("works.json", 2, "doi")]
    assert not Publication.objects.exists()


def test_broken_json_and_json_for_the_wrong_kind(world):
    broken = run(world.users["researcher"], "publications", SimpleUploadedFile("w.json", b"{oops"),
                 person=world.researcher_person)
    assert broken.status == ImportStatus.FAILED and "JSON" in broken.errors[0]["message"]

    wrong = run(world.users["staff"], "achievements", SimpleUploadedFile("w.json", b"{}"),
                person=world.researcher_person)
    assert wrong.status == ImportStatus.FAILED and "publications" in wrong.errors[0]["message"]


def test_a_failure_while_writing_rolls_back_every_row(world, monkeypatch):
    from django.core.exceptions import ValidationError

    from qiao.catalog.importers.kinds import ResearcherImporter

    original = ResearcherImporter.create
    calls = []

    def fail_on_second(self, data):
        calls.append(data["external_id"])
        if len(calls) == 2:
            raise ValidationError({"email": "taken meanwhile"})
        original(self, data)

    monkeypatch.setattr(ResearcherImporter, "create", fail_on_second)

    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows()))

    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["row"] == 3 and job.errors[0]["column"] == "邮箱 Email"
    assert not Person.objects.filter(external_id="T001").exists()  # the first row was written, then rolled back


def test_an_unexpected_error_fails_the_job_and_writes_nothing(world, monkeypatch):
    from qiao.catalog.importers.kinds import ResearcherImporter

    def boom(self, data):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ResearcherImporter, "create", boom)

    job = run(world.users["staff"], "researchers", xlsx(RESEARCHER_HEADERS, researcher_rows()))

    assert job.status == ImportStatus.FAILED and "internal error" in job.errors[0]["message"]
    assert not Person.objects.filter(external_id__startswith="T00").exists()
