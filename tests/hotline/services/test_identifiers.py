"""One rule for credit codes and phone numbers, shared by the API schema, the call form and the enterprise page."""
import pytest

from hotline.services.cycle.enterprise import normalise_code
from hotline.services.errors import InvalidInput
from hotline.services.identifiers import PHONE, normalise_credit_code


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
