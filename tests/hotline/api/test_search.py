"""GET /api/v1/tickets?q=: the same search as the page, with the unit's limits and named 400s."""
from .helpers import BY_HAND, dispatched_ticket, new_ticket

NOISE = "幸福路工地夜间施工噪音扰民，严重影响休息，请尽快处理。"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [t["number"] for t in response.json["items"]]


@BY_HAND
def test_staff_find_a_ticket_by_a_word_its_phone_tail_or_its_number(api):
    noisy = new_ticket(api, content=NOISE, caller_phone="13912340001")["number"]
    other = new_ticket(api)["number"]
    assert numbers(api.get("/tickets?q=噪音", "dispatcher")) == [noisy]
    assert numbers(api.get("/tickets?q=0001", "supervisor")) == [noisy]
    assert numbers(api.get(f"/tickets?q={other}", "operator")) == [other]
    assert numbers(api.get("/tickets?q=噪音&channel=web", "operator")) == []


@BY_HAND
def test_a_unit_finds_its_own_tickets_by_a_word_with_the_phone_masked(api):
    mine = dispatched_ticket(api, "zjj", content=NOISE)["number"]
    dispatched_ticket(api, "jtj", content=NOISE)
    response = api.get("/tickets?q=扰民", "zjj")
    assert numbers(response) == [mine]
    assert response.json["items"][0]["caller_phone"] == "138****5678"
    assert numbers(api.get("/tickets?q=5678", "zjj")) == []


@BY_HAND
def test_bad_search_parameters_are_400s_naming_them(api):
    for query, field in (("created_from=2026-13-01", "created_from"), ("created_to=16/11/2026", "created_to"),
                         ("flag=purple", "flag"), ("channel=fax", "channel"), ("q=" + "字" * 101, "q")):
        response = api.get(f"/tickets?{query}", "operator")
        assert response.status_code == 400 and response.json["field"] == field, query


@BY_HAND
def test_a_search_lists_a_bounded_number_of_pages_and_says_when_its_count_is_capped(api):
    new_ticket(api, content=NOISE)
    answer = api.get("/tickets?q=噪音", "operator").json
    assert answer["total"] == 1 and answer["capped"] is False
    response = api.get("/tickets?q=噪音&page=26", "operator")
    assert response.status_code == 400 and response.json["field"] == "page"
