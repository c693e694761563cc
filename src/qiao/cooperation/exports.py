"""Exports: a meeting as an iCalendar entry (RFC 5545, written by hand), minutes as PDF (weasyprint) and Word
(.docx built with zipfile + WordprocessingML), and lists as Excel (openpyxl). Callers pass rows they already
restricted; confidential columns are filled only when ``show_terms`` says so."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.core.exports import Column, xlsx  # noqa: F401  (re-exported for the views)

from .models import Meeting

# --------------------------------------------------------------------------------------------- iCalendar


def ics_escape(text: str) -> str:
    """TEXT value escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newlines."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def ics_fold(line: str) -> str:
    """Fold a content line into 75-octet pieces (RFC 5545 §3.1), never splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting: Meeting, *, host: str = "qiao.local", url: str = "") -> bytes:
    end = meeting.ends_at or meeting.starts_at + timedelta(hours=2)
    location = meeting.display_place or meeting.online_url
    description = "\n".join(filter(None, [
        meeting.agenda and _("Agenda") + ":\n" + meeting.agenda,
        meeting.online_url and _("Online") + ": " + meeting.online_url,
        url,
    ]))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Qiao//Cooperation//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{ics_escape(meeting.display_title)}",
    ]
    if location:
        lines.append(f"LOCATION:{ics_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{ics_escape(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode("utf-8")


# --------------------------------------------------------------------------------------------- minutes


def minutes_context(meeting: Meeting, action_items: Iterable[Any]) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "participants": list(meeting.participants.select_related("organization")),
        "organizations": list(meeting.participant_organizations.all()),
        "external": meeting.external_people(),
        "agenda": meeting.lines("agenda"),
        "decisions": meeting.lines("decisions"),
        "action_items": list(action_items),
    }


def minutes_pdf(meeting: Meeting, action_items: Iterable[Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("cooperation/minutes_print.html", minutes_context(meeting, action_items))
    return HTML(string=html).write_pdf()


_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _para(text: str, *, bold: bool = False, size: int = 22) -> str:
    props = ('<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="SimSun"/>'
             + ("<w:b/>" if bold else "") + f'<w:sz w:val="{size}"/></w:rPr>')
    runs = []
    for i, line in enumerate(text.split("\n")):
        if i:
            runs.append(f"<w:r>{props}<w:br/></w:r>")
        runs.append(f'<w:r>{props}<w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>')
    return f"<w:p>{''.join(runs)}</w:p>"


def minutes_docx(meeting: Meeting, action_items: Iterable[Any]) -> bytes:
    """A minimal WordprocessingML document: headings as bold paragraphs, lists as lines."""
    ctx = minutes_context(meeting, action_items)
    body = [_para(meeting.display_title, bold=True, size=32)]
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    facts = [f"{_('Date')}: {when}"]
    if meeting.display_place:
        facts.append(f"{_('Place')}: {meeting.display_place}")
    if meeting.online_url:
        facts.append(f"{_('Online')}: {meeting.online_url}")
    if meeting.organizer:
        facts.append(f"{_('Organizer')}: {meeting.organizer}")
    body.append(_para("\n".join(facts)))
    people = [f"{p.display_name}（{p.organization}）" for p in ctx["participants"]]
    people += [f"{name}（{org}）" if org else name for name, org in ctx["external"]]
    sections = [
        (_("Participants"), people + [str(o) for o in ctx["organizations"]]),
        (_("Agenda"), ctx["agenda"]),
        (_("Minutes"), [meeting.display_minutes] if meeting.display_minutes else []),
        (_("Decisions"), ctx["decisions"]),
        (_("Action items"), [f"{a.display_title} — {a.owner_display or '—'} — {a.due or '—'} — "
                             f"{a.get_status_display()}" for a in ctx["action_items"]]),
    ]
    for heading, items in sections:
        if items:
            body.append(_para(heading, bold=True, size=26))
            body += [_para(item) for item in items]
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
                + "".join(body) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------- Excel



