"""一企一档: all the appeals of one enterprise on one page."""
import pytest

from tests.builders import at
from tests.hotline.api.helpers import BY_HAND, Desk

pytestmark = BY_HAND
CODE = "91430400MA4L8XXX0J"


def test_one_history_per_enterprise(api, clock):
    desk = Desk(api, clock)
    first = desk.new(at(2026, 11, 16, 9), "gxj", enterprise_name="衡阳某某机械有限公司", enterprise_credit_code=CODE)
    desk.sign(first, at(2026, 11, 16, 10), "gxj")
    desk.reply(first, at(2026, 11, 18, 10), "gxj")
    desk.callback(first, at(2026, 11, 19, 10))
    second = desk.new(at(2026, 11, 20, 9), "sthjj", enterprise_name="衡阳某某机械股份有限公司",
                      enterprise_credit_code=CODE)
    desk.new(at(2026, 11, 20, 9), "gxj", enterprise_name="别的公司", enterprise_credit_code="91430400MA4L8YYY1K")
    desk.new(at(2026, 11, 20, 10), "gxj")  # not an enterprise appeal
    clock.set(at(2026, 11, 20, 11))
    body = api.get(f"/enterprises/{CODE}", "operator").json
    assert [t["number"] for t in body["tickets"]] == [second, first]  # newest first
    assert body["name"] == "衡阳某某机械股份有限公司"
    assert body["names"] == ["衡阳某某机械有限公司", "衡阳某某机械股份有限公司"]
    assert body["totals"] == {"appeals": 2, "open": 1, "replied": 1, "replied_on_time": 1, "closed": 1,
                              "reached": 1, "satisfied_or_basically": 1}
    assert body["first_appeal_at"] == "2026-11-16T09:00:00+08:00"
    assert body["tickets"][0]["flag"] == "green"
    assert api.get(f"/enterprises/{CODE.lower()}", "supervisor").json["credit_code"] == CODE
    page = api.get(f"/enterprises/{CODE}?format=html", "supervisor")
    assert page.mimetype == "text/html"
    html = page.data.decode()
    assert "一企一档：衡阳某某机械股份有限公司" in html and first in html and second in html and "<script" not in html
    # A unit sees its own part of the history only.
    assert [t["number"] for t in api.get(f"/enterprises/{CODE}", "gxj").json["tickets"]] == [first]
    assert api.get(f"/enterprises/{CODE}", "jtj").status_code == 404


@pytest.mark.parametrize("code", ["123", "91430400MA4L8XXXOJ", "9143040OMA4L8XXX0J", "not-a-code"])
def test_a_malformed_credit_code_is_400(api, code):
    response = api.get(f"/enterprises/{code}", "supervisor")
    assert (response.status_code, response.json["field"]) == (400, "credit_code")


def test_an_enterprise_without_appeals_is_404(api):
    response = api.get(f"/enterprises/{CODE}", "supervisor")
    assert (response.status_code, response.json["field"]) == (404, "credit_code")
    assert api.get(f"/enterprises/{CODE}?format=pdf", "supervisor").json["field"] == "format"
