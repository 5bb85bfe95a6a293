"""One rule for credit codes and phone numbers, shared by the API schema, the call form and the enterprise page."""
import pytest

from hotline.services.cycle.enterprise import normalise_code
from hotline.services.errors import InvalidInput
from hotline.services.identifiers import PHONE, normalise_credit_code, normalise_phone


def test_credit_codes_are_upper_cased_and_checked():
    assert normalise_credit_code(" 91430400ma4l12345x ") == "91430400MA4L12345X"
    assert normalise_credit_code("91430400MA4L1234OX") is None  # O is not used in credit codes
    assert normalise_credit_code("91430400MA4L12345") is None


def test_the_enterprise_page_applies_the_same_rule():
    assert normalise_code("91430400ma4l12345x") == "91430400MA4L12345X"
    with pytest.raises(InvalidInput) as refused:
        normalise_code("91430400MA4L1234IX")
    assert refused.value.field == "credit_code"


@pytest.mark.parametrize(("phone", "valid"), [("13812345678", True), ("0734-8888888", True), ("12812345678", False),
                                              ("8888888", False)])
def test_phone_numbers(phone, valid):
    assert bool(PHONE.match(phone)) is valid


@pytest.mark.parametrize(("typed", "stored"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"), ("+86-13812345678", "13812345678"), ("0086 13812345678", "13812345678"),
    ("８６ １３８１２３４５６７８", "13812345678"),  # full-width, as a Chinese input method types them
    ("0734-8888888", "0734-8888888"), ("07348888888", "0734-8888888"), ("(0734) 888 8888", "0734-8888888"),
    ("+86 734 8888888", "0734-8888888"), ("010 6512 3456", "010-65123456"), ("020-12345678", "020-12345678"),
])
def test_phone_numbers_are_normalised_however_typed(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "12812345678", "138123456789", "1381234567a", "+1 415 555 0100", ""])
def test_what_is_no_phone_number_stays_refused(typed):
    assert normalise_phone(typed) is None
