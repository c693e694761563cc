"""Small helpers for the gettext catalogues (no polib needed).

``python -m qiao.core.po_tools fill-en PATH`` copies each msgid into an empty msgstr of the English catalogue
(the source strings are English), so that both catalogues are complete; ``check PATH`` lists entries that are
untranslated or fuzzy and exits 1 if there are any.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    obsolete: bool = False


def _unquote(lines: list[str]) -> str:
    out = []
    for line in lines:
        match = re.match(r'^\s*"(.*)"\s*$', line)
        if match:
            out.append(match.group(1).encode("raw_unicode_escape").decode("unicode_escape") if "\\" in match.group(1)
                       else match.group(1))
    return "".join(out)


def parse(text: str) -> list[Entry]:
    """Parse a .po file into entries (header included, msgid "")."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        entry = Entry()
        entry.fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        entry.obsolete = all(line.startswith("#") for line in lines)
        current: str | None = None
        buffers: dict[str, list[str]] = {}
        for line in lines:
            if line.startswith("#"):
                continue
            head = re.match(r"^(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt)\s+(\".*\")\s*$", line)
            if head:
                current = head.group(1)
                buffers[current] = [head.group(2)]
            elif current is not None:
                buffers[current].append(line)
        if "msgid" not in buffers:
            continue
        entry.msgid = _unquote(buffers["msgid"])
        entry.msgid_plural = _unquote(buffers.get("msgid_plural", []))
        for key, value in buffers.items():
            if key == "msgstr":
                entry.msgstr[0] = _unquote(value)
            elif key.startswith("msgstr["):
                entry.msgstr[int(key[7:-1])] = _unquote(value)
        entries.append(entry)
    return entries


def problems(path: Path) -> list[str]:
    """Untranslated or fuzzy entries of a catalogue."""
    out = []
    for entry in parse(path.read_text(encoding="utf-8")):
        if entry.obsolete or entry.msgid == "":
            continue
        if entry.fuzzy:
            out.append(f"fuzzy: {entry.msgid[:80]!r}")
        elif not entry.msgstr or any(not v for v in entry.msgstr.values()):
            out.append(f"untranslated: {entry.msgid[:80]!r}")
    return out


def fill_english(path: Path) -> int:
    """Make the English catalogue an identity mapping: every msgstr (and plural form) = its English source.

    Fuzzy matches that makemessages suggests are dropped with their (wrong) msgstr. Returns the entries written.
    """
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(\n\s*\n)", text)
    filled = 0
    for i, block in enumerate(blocks):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid or (msgid.group(1).strip() == '""' and "msgid_plural" not in block):
            continue  # separators and the header
        plural = re.search(r'^msgid_plural ((?:".*"\n?)+)', block, re.M)
        lines = [line for line in block.split("\n") if not line.startswith("#|")]
        lines = [line.replace("#, fuzzy, ", "#, ").replace(", fuzzy", "") for line in lines if line != "#, fuzzy"]
        head = []
        for line in lines:
            if line.startswith("msgstr"):
                break
            head.append(line)
        source = msgid.group(1).rstrip("\n")
        if plural is None:
            tail = [f"msgstr {source}"]
        else:
            tail = [f"msgstr[0] {source}", f"msgstr[1] {plural.group(1).rstrip(chr(10))}"]
        new = "\n".join(head + tail)
        if new != block:
            filled += 1
            blocks[i] = new
    path.write_text("".join(blocks), encoding="utf-8")
    return filled


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"fill-en", "check"}:
        print("usage: python -m qiao.core.po_tools fill-en|check PATH", file=sys.stderr)
        return 2
    path = Path(argv[1])
    if argv[0] == "fill-en":
        print(f"{path}: {fill_english(path)} entries filled")
        return 0
    found = problems(path)
    for line in found:
        print(f"{path}: {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
