"""Bad input is a 4xx naming the field, never a 500, and never a half-saved ticket."""
import pytest
from sqlalchemy import func, select

from models import Ticket

from .helpers import CALL


def count_tickets(session) -> int:
    return session.scalar(select(func.count()).select_from(Ticket))


@pytest.mark.parametrize(("change", "field"), [
    ({"content": None}, "content"),
    ({"content": ""}, "content"),
    ({"content": "   "}, "content"),
    ({"content": "长" * 5001}, "content"),
    ({"content": 42}, "content"),
    ({"caller_phone": None}, "caller_phone"),
    ({"caller_phone": "12345"}, "caller_phone"),
    ({"caller_phone": "1381234567a"}, "caller_phone"),
    ({"caller_phone": 13812345678}, "caller_phone"),
    ({"appeal_type": None}, "appeal_type"),
    ({"appeal_type": "grumble"}, "appeal_type"),
    ({"urgency": "very"}, "urgency"),
    ({"channel": "fax"}, "channel"),
    ({"resolved_on_call": "true"}, "resolved_on_call"),
    ({"resolved_on_call": True}, "reply"),
    ({"district": "朝阳区"}, "district"),
    ({"caller_name": "名" * 65}, "caller_name"),
    ({"enterprise_credit_code": "123"}, "enterprise_credit_code"),
    ({"enterprise_credit_code": "91430400MA4L8XXXOJ"}, "enterprise_credit_code"),
    ({"colour": "red"}, "colour"),
])
def test_bad_ticket_field_is_400_naming_it(api, session, change, field):
    body = {**CALL, **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = api.post("/tickets", "operator", body)
    assert response.status_code == 400, response.json
    assert response.json["field"] == field
    assert response.json["message"]
    assert count_tickets(session) == 0


def test_content_of_exactly_5000_characters_is_accepted(api):
    response = api.post("/tickets", "operator", {**CALL, "content": "噪" * 5000})
    assert response.status_code == 201


def test_malformed_json_is_400(api, session):
    response = api.call("POST", "/tickets", "operator", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json["field"] == "body"
    assert count_tickets(session) == 0


def test_json_array_body_is_400(api):
    response = api.call("POST", "/tickets", "operator", data="[]", content_type="application/json")
    assert response.status_code == 400


def test_form_body_is_400(api):
    response = api.call("POST", "/tickets", "operator", data={"content": "x"})
    assert response.status_code == 400
    assert response.json["field"] == "body"


def test_landline_with_area_code_is_accepted(api):
    response = api.post("/tickets", "operator", {**CALL, "caller_phone": "0734-8222345"})
    assert response.status_code == 201


@pytest.mark.parametrize("body", [{"reason": "需要时间", "working_days": 0}, {"reason": "需要时间", "working_days": "3"},
                                  {"reason": "", "working_days": 3}, {"working_days": 3}])
def test_bad_extension_request_is_400(api, body):
    from .helpers import dispatched_ticket

    number = dispatched_ticket(api, "zjj")["number"]
    api.post(f"/tickets/{number}/sign", "zjj")
    response = api.post(f"/tickets/{number}/extension", "zjj", body)
    assert response.status_code == 400
    assert response.json["field"] in {"reason", "working_days"}


def test_unknown_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_wrong_method_is_405_json(client):
    response = client.delete("/api/v1/tickets")
    assert response.status_code == 405
    assert "message" in response.json


def test_enterprise_code_is_accepted_in_lower_case_and_stored_upper(api):
    response = api.post("/tickets", "operator", {**CALL, "enterprise_name": "衡阳某某机械有限公司",
                                                 "enterprise_credit_code": "91430400ma4l12345x"})
    assert response.status_code == 201
    assert response.json["enterprise"] == {"name": "衡阳某某机械有限公司", "credit_code": "91430400MA4L12345X"}


def test_non_ascii_digits_in_numbers_are_400_not_500(api):
    assert api.get("/reports/monthly/2026-02?revision=²", "supervisor").json["field"] == "revision"
    assert api.get("/admin/holidays?year=²²²²", "admin").json["field"] == "year"


def test_a_phone_typed_with_spaces_or_plus_86_is_normalised_not_refused(api):
    response = api.post("/tickets", "operator", {**CALL, "caller_phone": "+86 (0734) 822 2345"})
    assert response.status_code == 201, response.json
    assert response.json["caller_phone"] == "0734-8222345"
