"""Every refusal answers {error: code, message: English, field?, params?, details?} over the API, Chinese on a page."""
import pytest

from .api.helpers import CALL, dispatched_ticket

MANUAL = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)  # every call waits for the dispatcher


@MANUAL
def test_a_third_return_answers_its_code_message_and_parameters(api):
    number = dispatched_ticket(api, "jtj")["number"]
    for unit, then in (("jtj", "jyj"), ("jyj", "zjj")):
        assert api.post(f"/tickets/{number}/return", unit, {"reason": "不属于本单位"}).status_code == 200
        assert api.post(f"/tickets/{number}/assign", "dispatcher", {"department": then}).status_code == 200
    response = api.post(f"/tickets/{number}/return", "zjj", {"reason": "还是不属于"})
    assert response.status_code == 409
    assert response.json == {
        "error": "return_limit_reached",
        "message": f"ticket {number} was already returned 2 times (at most 2); it must be handled",
        "params": {"number": number, "count": 2, "limit": 2},
    }


@MANUAL
def test_too_long_an_extension_names_the_field_and_the_limit(api):
    number = dispatched_ticket(api, "zjj")["number"]
    response = api.post(f"/tickets/{number}/extension", "zjj", {"reason": "需协调多个部门", "working_days": 30})
    assert response.status_code == 400
    assert response.json == {
        "error": "extension_days_out_of_range",
        "message": "working_days must be between 1 and 15",
        "field": "working_days",
        "params": {"limit": 15},
    }


def test_a_body_failing_its_schema_is_invalid_input_with_details(api):
    response = api.post("/tickets", "operator", {**CALL, "caller_phone": "12345"})
    assert response.status_code == 400
    body = response.json
    assert (body["error"], body["field"], body["params"]["name"]) == ("invalid_input", "caller_phone", "caller_phone")
    assert body["message"] == f"caller_phone: {body['params']['problem']}"
    assert body["details"][0]["field"] == "caller_phone"


def test_a_message_without_parameters_has_no_params_key(api):
    response = api.call("POST", "/tickets", "operator", data="x", content_type="text/plain")
    assert response.status_code == 400
    assert response.json == {"error": "json_body_required", "field": "body",
                             "message": "send the body as JSON (Content-Type: application/json)"}


def test_http_errors_answer_their_code(client):
    assert client.get("/api/v1/nothing-here").json == {"error": "not_found", "message": "nothing is at this address"}
    wrong_method = client.delete("/api/v1/tickets").json
    assert wrong_method == {"error": "method_not_allowed", "params": {"method": "DELETE"},
                            "message": "this address does not accept the DELETE method"}


def test_a_role_refusal_names_the_roles(api):
    response = api.get("/dispatch/queue", "operator")
    assert response.status_code == 403
    assert response.json["error"] == "role_required"
    assert response.json["params"]["role"] == "operator"
    assert "dispatcher" in response.json["params"]["roles"]


def test_pages_say_http_errors_in_chinese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "您要找的页面或记录不存在" in response.get_data(as_text=True)
    response = client.get("/logout")  # a link cannot log anyone out
    assert response.status_code == 405
    assert "此地址不支持该操作（GET）" in response.get_data(as_text=True)
