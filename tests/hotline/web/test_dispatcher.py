"""The dispatcher's queue: candidates and return reasons, one-click assignment, merging repeats."""
import re

from hotline.web.labels import percent

from models import EventAction, TicketStatus
from tests.builders import ticket_row

from .conftest import MANUAL, SMALL_PAGES, text

pytestmark = MANUAL  # every call waits for the dispatcher


def test_queue_lists_waiting_tickets_with_one_click_candidates(pages):
    number = pages.new_call()
    body = text(pages.get("dispatcher", "/dispatcher/"))
    assert number in body
    assert "低于自动派单阈值" in body
    buttons = re.findall(r'name="department" value="(\w+)"', body)
    assert buttons, "each queued ticket offers the router's candidates as buttons"


def test_the_queue_shows_the_threshold_and_confidences_cut_down_not_rounded_up(pages):
    pages.new_call()
    body = text(pages.get("dispatcher", "/dispatcher/"))
    assert "自动派单阈值 101.0%" in body
    assert re.search(r"\d+\.\d%</button>", body)


def test_percentages_are_cut_towards_the_side_that_cannot_mislead():
    assert percent(0.61996) == "61.9%" and percent(0.62, "up") == "62.0%"
    assert percent(0.62001, "up") == "62.1%" and percent(0.62) == "62.0%"
    assert percent(0.99996) == "99.9%" and percent(1.0) == "100.0%" and percent(None) == "—"


def test_the_queue_and_the_history_say_the_system_notes_in_chinese(pages, session):
    original = pages.new_call()
    repeat = pages.new_call(content="小区楼道墙皮脱落物业还是不维修，请尽快处理。")
    queued = ticket_row(session, original)
    assert queued.routing_reason["code"] == "below_threshold"
    probability = percent(queued.routing_reason["params"]["probability"])
    body = text(pages.get("dispatcher", "/dispatcher/"))
    assert f"置信度 {probability} 低于自动派单阈值 101.0%" in body and "below threshold" not in body
    history = text(pages.get("dispatcher", f"/tickets/{repeat}"))
    assert f"重复件：原工单 {original}（同一来电人）" in history and "repeat of" not in history
    assert f"被工单 {repeat} 重复反映（同一来电人）" in text(pages.get("dispatcher", f"/tickets/{original}"))
    # A ticket queued before notes had codes shows its English note as written.
    queued.routing_reason, queued.routing_note = None, "confidence 0.12 below threshold 0.34"
    session.commit()
    assert "confidence 0.12 below threshold 0.34" in text(pages.get("dispatcher", "/dispatcher/"))


def test_assign_in_one_click_sends_the_ticket_and_returns_to_the_queue(pages, session):
    number = pages.new_call()
    response = pages.post("dispatcher", f"/dispatcher/tickets/{number}/assign",
                          {"department": "yfq", "category": "城建", "next": "/dispatcher/?kind=new"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/dispatcher/?kind=new"
    ticket = ticket_row(session, number)
    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.department.code == "yfq"
    assert ticket.category.name == "城建"
    queue = text(pages.get("dispatcher", "/dispatcher/?kind=new"))
    assert f"工单 {number} 已派往雁峰区人民政府" in queue
    assert "队列已清空" in queue


def test_assign_to_an_unknown_unit_shows_the_form_again_with_the_message(pages):
    number = pages.new_call()
    response = pages.post("dispatcher", f"/dispatcher/tickets/{number}/assign",
                          {"department": "nosuch", "note": "打错了"})
    assert response.status_code == 400
    body = text(response)
    assert "没有单位「nosuch」" in body
    assert 'value="打错了"' in body


def test_assign_without_a_unit_says_so(pages):
    number = pages.new_call()
    response = pages.post("dispatcher", f"/dispatcher/tickets/{number}/assign", {"department": ""})
    assert response.status_code == 400
    assert "请选择承办单位" in text(response)


def test_returned_ticket_shows_the_unit_and_reason_in_the_queue(pages):
    number = pages.dispatched_call("jtj")
    pages.post("jtj", f"/department/tickets/{number}/return", {"ret-reason_code": "not_ours", "ret-reason": "属于住建部门职责，非交通问题"})
    body = text(pages.get("dispatcher", "/dispatcher/?kind=returned"))
    assert number in body
    assert "退单 · 市交通运输局：属于住建部门职责，非交通问题" in body


def test_merge_a_repeat_into_its_original(pages, session):
    original = pages.new_call()
    repeat = pages.new_call(content="小区楼道墙皮脱落物业还是不维修，请尽快处理。")
    assert ticket_row(session, repeat).repeat_of.number == original  # linked at intake
    body = text(pages.get("dispatcher", "/dispatcher/?kind=repeat"))
    assert "并入原工单" in body
    response = pages.post("dispatcher", f"/dispatcher/tickets/{repeat}/merge", {"original": original})
    assert response.status_code == 302
    merged, first = ticket_row(session, repeat), ticket_row(session, original)
    assert merged.status == TicketStatus.CLOSED and merged.closed_at is not None
    assert merged.repeat_of_id == first.id
    assert first.repeat_count == 1  # counted once, at intake
    assert merged.events[-1].action == EventAction.MERGED
    assert merged.events[-1].data["original"] == original
    assert first.events[-1].data["merged"] is True
    history = text(pages.get("dispatcher", f"/tickets/{repeat}"))
    assert f"已并入工单 {original}" in history


def test_merge_into_itself_or_an_unknown_ticket_is_refused_with_the_typed_number_kept(pages):
    number = pages.new_call()
    response = pages.post("dispatcher", f"/dispatcher/tickets/{number}/merge", {"original": number})
    assert response.status_code == 400
    assert "不能把工单合并到它自己" in text(response)
    response = pages.post("dispatcher", f"/dispatcher/tickets/{number}/merge", {"original": "2099010100001"})
    assert response.status_code == 404
    body = text(response)
    assert "找不到工单 2099010100001" in body and 'value="2099010100001"' in body


def test_merge_a_dispatched_ticket_is_refused(pages):
    original, other = pages.new_call(), pages.dispatched_call("jtj", caller_phone="13900000000", content="公交车站台破损")
    response = pages.post("dispatcher", f"/dispatcher/tickets/{other}/merge", {"original": original})
    assert response.status_code == 409
    assert "不能合并" in text(response)


def test_queue_filters_are_checked_and_kept(pages):
    response = pages.get("dispatcher", "/dispatcher/?kind=bogus&page=x")
    assert response.status_code == 400
    body = text(response)
    assert "不是有效的选择" in body and "页码" in body
    assert "筛选条件有误" in body


@SMALL_PAGES
def test_queue_pages_on_the_server(pages):
    for index in range(5):
        pages.new_call(caller_phone=f"139{index:08d}", content=f"第{index}号测试诉求：路灯不亮，影响夜间出行安全。")
    first = text(pages.get("dispatcher", "/dispatcher/"))
    assert "共 5 条" in first and "第 1/2 页" in first and len(re.findall(r'<tr id="t-', first)) == 3
    second = text(pages.get("dispatcher", "/dispatcher/?page=2"))
    assert "第 2/2 页" in second and len(re.findall(r'<tr id="t-', second)) == 2
    assert "第 1/2 页" in text(pages.get("dispatcher", "/dispatcher/?page=1&kind=new"))


@SMALL_PAGES
def test_counting_stops_at_the_cap(pages, monkeypatch):
    monkeypatch.setattr("hotline.web.common.COUNT_CAP", 3)  # stands in for 10 000 at a million tickets
    for index in range(5):
        pages.new_call(caller_phone=f"136{index:08d}", content=f"第{index}号：下水道堵塞，污水漫到路面。")
    body = text(pages.get("dispatcher", "/dispatcher/"))
    assert "共 3+ 条" in body and "第 1/1+ 页" in body and 'rel="next"' in body
    second = text(pages.get("dispatcher", "/dispatcher/?page=2"))
    assert len(re.findall(r'<tr id="t-', second)) == 2


def test_bulk_assign_sends_every_ticked_ticket_to_one_unit(pages, session):
    numbers = [pages.new_call(caller_phone=f"1370000000{i}") for i in range(3)]
    assert 'form="bulk-assign"' in text(pages.get("dispatcher", "/dispatcher/"))
    response = pages.post("dispatcher", "/dispatcher/bulk-assign", {"numbers": numbers[:2], "department": "zjj",
                                                                  "next": "/dispatcher/"}, follow_redirects=True)
    assert "已将 2 张工单派往市住房和城乡建设局" in text(response)
    assert [ticket_row(session, n).status for n in numbers] == [TicketStatus.DISPATCHED] * 2 + [TicketStatus.PENDING_DISPATCH]
    assert ticket_row(session, numbers[0]).department.code == "zjj"


def test_bulk_assign_refuses_the_lot_when_one_was_dispatched_meanwhile(pages, session):
    first, second = pages.new_call(caller_phone="13700000001"), pages.new_call(caller_phone="13700000002")
    pages.post("dispatcher", f"/dispatcher/tickets/{second}/assign", {"department": "jtj"})
    response = pages.post("dispatcher", "/dispatcher/bulk-assign", {"numbers": [first, second], "department": "zjj"},
                          follow_redirects=True)
    assert f"工单 {second} 当前状态为" in text(response)
    assert ticket_row(session, first).status == TicketStatus.PENDING_DISPATCH  # nothing half done
    assert ticket_row(session, second).department.code == "jtj"
    nothing = pages.post("dispatcher", "/dispatcher/bulk-assign", {"department": "zjj"}, follow_redirects=True)
    assert "「要派的工单」不能为空" in text(nothing)
