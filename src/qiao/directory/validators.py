"""Validators for Chinese and international identifiers used in the directory."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: unified social credit code (统一社会信用代码), 18 characters, the last a check character.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="uscc_length")
    bad = [ch for ch in code if ch not in USCC_ALPHABET]
    if bad:
        raise ValidationError(
            _("Invalid character %(char)s in the unified social credit code (I, O, Z, S, V are never used)."),
            code="uscc_char",
            params={"char": bad[0]},
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("The check character of the unified social credit code is wrong."), code="uscc_check")


# ISO 7064 MOD 11-2, as ORCID uses it.
def orcid_check_digit(base15: str) -> str:
    total = 0
    for ch in base15:
        total = (total + int(ch)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    raw = (value or "").strip()
    for prefix in ("https://orcid.org/", "http://orcid.org/", "orcid.org/"):
        if raw.lower().startswith(prefix):
            raw = raw[len(prefix):]
    return raw.upper()


def validate_orcid(value: str) -> None:
    raw = normalize_orcid(value)
    digits = raw.replace("-", "")
    if len(raw) != 19 or raw.count("-") != 3 or len(digits) != 16 or not digits[:15].isdigit():
        raise ValidationError(_("An ORCID iD looks like 0000-0002-1825-0097."), code="orcid_format")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(_("The check digit of the ORCID iD is wrong."), code="orcid_check")
