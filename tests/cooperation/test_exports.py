"""Exports: ICS (RFC 5545), minutes as PDF and .docx, Excel lists restricted to what the user may see."""

import io
import zipfile
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qiao.cooperation import exports, services


def test_ics_escaping_and_folding():
    assert exports.ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "青澜新区生态环保装备产业校企合作座谈会" * 4
    folded = exports.ics_fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0]] + [p[1:] for p in pieces[1:]]) == line  # unfolding gives the line back


def test_meeting_ics(world, chain, frozen_clock):
    chain.meeting.place = "研究院三楼, 会议室; A座"
    chain.meeting.ends_at = timezone.make_aware(datetime(2026, 9, 18, 11, 30))
    with frozen_clock(2026, 9, 1, 12):
        data = exports.meeting_ics(chain.meeting, host="qiao.example", url="https://qiao.example/m/1")
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:meeting-{chain.meeting.pk}@qiao.example" in unfolded
    # Asia/Shanghai 09:00 is 01:00 UTC
    assert "DTSTART:20260918T010000Z" in unfolded and "DTEND:20260918T033000Z" in unfolded
    assert "DTSTAMP:20260901T040000Z" in unfolded
    assert "LOCATION:研究院三楼\\, 会议室\\; A座" in unfolded
    assert "SUMMARY:校企座谈会" in unfolded and "DESCRIPTION:" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_ics_view(world, chain, client):
    client.force_login(world.users["researcher"])
    response = client.get(reverse("cooperation:meeting_ics", args=[chain.meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in response.content
    client.force_login(world.users["outsider_enterprise"])
    assert client.get(reverse("cooperation:meeting_ics", args=[chain.meeting.pk])).status_code == 404


def test_minutes_pdf(world, chain, client):
    client.force_login(world.users["broker"])
    response = client.get(reverse("cooperation:meeting_pdf", args=[chain.meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_minutes_docx_opens(world, chain, client):
    client.force_login(world.users["broker"])
    response = client.get(reverse("cooperation:meeting_docx", args=[chain.meeting.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(archive.namelist())
    document = archive.read("word/document.xml").decode("utf-8")
    from xml.dom import minidom

    minidom.parseString(document)  # noqa: S318 - our own output; checks it is well-formed XML
    assert "会议纪要" in document and "提交联合攻关方案" in document and "王外宾" in document


def _sheet_values(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("url_name", ["cooperation_export", "meeting_export", "action_item_export"])
def test_excel_exports_apply_restrict(world, chain, client, url_name):
    other = services.cooperation_create(by=world.users["outsider_enterprise"], title="电子公司自己的合作",
                                        parties=[world.other_enterprise])
    services.action_item_create(by=world.users["outsider_enterprise"], cooperation=other, title="外部事项",
                                owner_user=world.users["outsider_enterprise"])
    url = reverse(f"cooperation:{url_name}") + ("?scope=all" if url_name == "action_item_export" else "")
    client.force_login(world.users["outsider_enterprise"])
    outsider = str(_sheet_values(client.get(url).content))
    client.force_login(world.users["broker"])
    broker = str(_sheet_values(client.get(url).content))
    for secret in ("高盐废水联合攻关", "校企座谈会", "提交联合攻关方案"):
        assert secret not in outsider
    assert any(s in broker for s in ("Zero liquid discharge", "高盐废水联合攻关", "校企座谈会", "提交联合攻关方案"))
    assert "电子公司自己的合作" not in broker


def test_cooperation_export_hides_values_from_brokers(world, chain, client):
    client.force_login(world.users["broker"])
    rows = _sheet_values(client.get(reverse("cooperation:cooperation_export")).content)
    assert rows[1][-1] in ("", None)
    client.force_login(world.users["enterprise"])
    rows = _sheet_values(client.get(reverse("cooperation:cooperation_export")).content)
    assert float(rows[1][-1]) == 1200000
