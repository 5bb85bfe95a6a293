"""工单查询's one search box and filters, a unit's own search, and the call page's caller history."""
from .conftest import MANUAL, text

NOISE = "幸福路工地夜间施工噪音扰民，严重影响休息，请尽快处理。"


@MANUAL
def test_the_search_box_finds_a_ticket_by_a_content_word(pages):
    noisy = pages.new_call(content=NOISE, caller_phone="13912340001")
    other = pages.new_call()
    body = text(pages.get("dispatcher", "/tickets/?q=噪音"))
    assert noisy in body and other not in body and "共 1 条" in body
    assert noisy in text(pages.get("operator", "/tickets/?q=0001"))
    assert other in text(pages.get("operator", f"/tickets/?q={other[:8]}"))
    assert noisy not in text(pages.get("operator", "/tickets/?q=噪音&channel=web"))


@MANUAL
def test_a_reversed_date_range_is_refused_on_the_page(pages):
    response = pages.get("supervisor", "/tickets/?created_from=2026-11-16&created_to=2026-11-01")
    assert response.status_code == 400 and "结束日期不能早于开始日期" in text(response)


@MANUAL
def test_a_unit_searches_its_own_inbox(pages):
    mine = pages.dispatched_call("zjj", content=NOISE)
    theirs = pages.dispatched_call("jtj", content=NOISE)
    body = text(pages.get("zjj", "/department/?q=噪音&status=all"))
    assert mine in body and theirs not in body


@MANUAL
def test_the_call_page_lists_the_callers_earlier_tickets(pages):
    earlier = pages.new_call(caller_phone="13912340001")
    answer = pages.get("operator", "/operator/caller-tickets?phone=139-1234-0001").json
    assert [t["number"] for t in answer["items"]] == [earlier]
    assert answer["items"][0]["status"] and answer["all"].startswith("/tickets/?q=")
    assert pages.get("operator", "/operator/caller-tickets?phone=139").json["items"] == []
    assert 'id="caller-history"' in text(pages.get("operator", "/operator/"))
    assert pages.get("zjj", "/operator/caller-tickets?phone=13912340001").status_code == 403


@MANUAL
def test_a_search_shows_a_bounded_number_of_pages(pages):
    response = pages.get("operator", "/tickets/?q=噪音&page=26")
    assert response.status_code == 400 and "最多显示前 25 页" in text(response)
