"""Browser journey: a university office imports its researchers, meets a row error, fixes it, imports again."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from qiao.catalog.import_models import ImportJob, ImportStatus
from qiao.directory.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("QIAO_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts"))


@pytest.fixture
def page(browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/accounts/login/'] [type=submit]")
    page.wait_for_url(f"{base_url}/")


def workbook(tmp_path: Path, name: str, orcid: str) -> Path:
    book = Workbook()
    book.active.append(["外部编号 External id", "姓名 Name", "所在单位 Organization", "ORCID"])
    book.active.append(["B1", "林晓", "机械学院", orcid])
    book.active.append(["B2", "高远", "机械学院", ""])
    path = tmp_path / name
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_staff_imports_researchers_fixes_an_error_and_imports(transactional_db, world, live_server, page, tmp_path):
    log_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/imports/")
    assert page.locator("a[href$='/imports/templates/researchers.xlsx']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "imports-start-zh.png"), full_page=True)

    page.select_option("select[name=kind]", "researchers")
    page.set_input_files("input[name=file]", str(workbook(tmp_path, "教师名单.xlsx", "0000-0002-1825-0098")))
    page.click("form[enctype] [type=submit]")
    page.wait_for_url("**/imports/*/")
    assert "ORCID" in page.locator("table.data").inner_text()
    page.screenshot(path=str(ARTIFACTS / "imports-errors-zh.png"), full_page=True)
    assert not Person.objects.filter(external_id__in=["B1", "B2"]).exists()

    page.goto(f"{live_server.url}/imports/")
    page.select_option("select[name=kind]", "researchers")
    page.set_input_files("input[name=file]", str(workbook(tmp_path, "教师名单.xlsx", "0000-0002-1825-0097")))
    # the matching index update that follows each write runs in-process in tests, and may take a while
    page.click("form[enctype] [type=submit]", timeout=120_000)
    page.wait_for_url("**/imports/*/", timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "imports-done-zh.png"), full_page=True)
    assert Person.objects.filter(external_id__in=["B1", "B2"]).count() == 2


def test_job_page_follows_a_running_job(transactional_db, world, live_server, page):
    job = ImportJob.objects.create(created_by=world.users["staff"], kind="researchers", file="imports/x.xlsx",
                                   file_name="x.xlsx", status=ImportStatus.VALIDATING, total_rows=400,
                                   processed_rows=100)
    log_in(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    page.screenshot(path=str(ARTIFACTS / "imports-running-zh.png"), full_page=True)

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, processed_rows=400,
                                               summary={"total": 400, "created": 390, "updated": 10, "unchanged": 0})

    page.wait_for_selector("text=390")
    assert page.locator("#job-status[hx-trigger]").count() == 0  # polling stopped
