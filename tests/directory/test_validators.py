import pytest
from django.core.exceptions import ValidationError

from qiao.directory.validators import orcid_check_digit, uscc_check_char, validate_orcid, validate_uscc


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",  # a published example code (GB 32100-2015 check character verified by hand below)
    "91370200000000001" + uscc_check_char("91370200000000001"),
])
def test_valid_uscc(code):
    validate_uscc(code)


def test_uscc_check_character_by_hand():
    # 9*1 + 1*3 + 3*9 + 5*27 + 0*19 + 1*26 + 0*16 + 0*17 + M(21)*20 + 0*29 + 0*25 + 0*13 + 1*8 + 0*24 + 0*10 + Y(30)*30 + 4*28
    # = 9+3+27+135+26+420+8+900+112 = 1640; 1640 % 31 = 28; 31-28 = 3 → "3"
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(("code", "error"), [
    ("123", "uscc_length"),
    ("91350100M000100Y4I", "uscc_char"),
    ("91350100M000100Y44", "uscc_check"),
])
def test_invalid_uscc(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert exc.value.error_list[0].code == error


def test_orcid_check_digit_of_the_orcid_documentation_example():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize("value", ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1694-233X"])
def test_valid_orcid(value):
    validate_orcid(value)


@pytest.mark.parametrize("value", ["0000-0002-1825-0098", "0000000218250097", "abcd-0002-1825-0097", ""])
def test_invalid_orcid(value):
    with pytest.raises(ValidationError):
        validate_orcid(value)
