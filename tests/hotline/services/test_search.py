"""Ticket lookup and a unit's inbox as services: who sees what, and the inbox's filters and orders."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.services import search
from hotline.services.cycle import flags
from hotline.services.cycle.rules import CycleRules
from hotline.services.errors import InvalidInput
from models import Channel, TicketCoUnit, TicketStatus

from ...builders import department, make_ticket
from .conftest import NOW


def numbers(session, query) -> list[str]:
    return [t.number for t in session.scalars(query)]


def test_a_unit_user_finds_only_its_own_tickets_and_cannot_search_by_phone(session, user):
    zjj, jtj = department(session, "zjj"), department(session, "jtj")
    own = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj)
    make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=jtj)
    assert numbers(session, search.search_tickets(user("zjj"))) == [own.number]
    with pytest.raises(InvalidInput) as refused:
        search.search_tickets(user("zjj"), caller_phone="13800000000")
    assert refused.value.field == "caller_phone"


def test_the_centre_searches_by_every_filter_newest_first(session, user):
    zjj = department(session, "zjj")
    older = make_ticket(session, NOW - timedelta(hours=2), status=TicketStatus.DISPATCHED, department=zjj,
                        district="雁峰区", caller_phone="13911112222")
    newer = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, district="雁峰区")
    make_ticket(session, NOW, district="石鼓区")
    operator = user("operator")
    assert numbers(session, search.search_tickets(operator, department_code="zjj")) == [newer.number, older.number]
    assert numbers(session, search.search_tickets(operator, caller_phone="13911112222")) == [older.number]
    assert numbers(session, search.search_tickets(operator, district="雁峰区", number=newer.number)) == [newer.number]
    assert numbers(session, search.search_tickets(operator, department_code="nosuch")) == []
    assert len(numbers(session, search.search_tickets(operator, statuses=[TicketStatus.PENDING_DISPATCH]))) == 1


def test_the_inbox_orders_by_the_nearest_deadline_and_filters_by_flag(session, user):
    zjj = department(session, "zjj")
    late = make_ticket(session, NOW, status=TicketStatus.SIGNED, department=zjj, dispatched_at=NOW - timedelta(days=3),
                       sign_by=NOW - timedelta(days=3), reply_by=NOW - timedelta(hours=1))
    soon = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, dispatched_at=NOW,
                       sign_by=NOW + timedelta(hours=2), reply_by=NOW + timedelta(days=2))
    make_ticket(session, NOW, status=TicketStatus.CLOSED, department=zjj)
    rules = CycleRules()
    unit = user("zjj")
    assert numbers(session, search.inbox(unit, NOW, rules)) == [late.number, soon.number]
    assert numbers(session, search.inbox(unit, NOW, rules, sort="new")) == [soon.number, late.number]
    assert numbers(session, search.inbox(unit, NOW, rules, flag="red")) == [late.number]
    assert numbers(session, search.inbox(unit, NOW, rules, status="dispatched")) == [soon.number]
    assert len(numbers(session, search.inbox(unit, NOW, rules, status="all"))) == 3


def test_closed_tickets_sort_by_the_flag_the_daily_refresh_stored_and_open_ones_by_their_flag_now(session, user):
    zjj = department(session, "zjj")
    closed = {"status": TicketStatus.CLOSED, "department": zjj, "closed_at": NOW - timedelta(hours=1),
              "dispatched_at": NOW - timedelta(days=9)}
    # Final flags judged at the reply: no deadline (none), in time (green), late (red), days late (black).
    none = make_ticket(session, NOW, **closed)
    green = make_ticket(session, NOW, **closed, reply_by=NOW - timedelta(days=1), replied_at=NOW - timedelta(days=6),
                        reply_warn_at=NOW - timedelta(days=2), reply_black_at=NOW)
    red = make_ticket(session, NOW, **closed, reply_by=NOW - timedelta(days=3), replied_at=NOW - timedelta(days=2),
                      reply_warn_at=NOW - timedelta(days=4), reply_black_at=NOW - timedelta(days=1))
    black = make_ticket(session, NOW, **closed, reply_by=NOW - timedelta(days=5), replied_at=NOW - timedelta(days=1),
                        reply_warn_at=NOW - timedelta(days=6), reply_black_at=NOW - timedelta(days=4))
    open_red = make_ticket(session, NOW, status=TicketStatus.SIGNED, department=zjj, dispatched_at=NOW - timedelta(days=3),
                           reply_by=NOW - timedelta(hours=1), reply_warn_at=NOW - timedelta(days=1),
                           reply_black_at=NOW + timedelta(days=1))
    rules, unit = CycleRules(), user("zjj")
    assert {t.flag_rank for t in (none, green, red, black, open_red)} == {4}  # nothing stored yet
    flags.refresh_flags(session, NOW, rules)
    session.expire_all()
    assert numbers(session, search.inbox(unit, NOW, rules, status="closed", sort="flag")) == [
        black.number, red.number, green.number, none.number]
    # An open ticket is judged now, among them (the earlier deadline first among equal flags).
    assert numbers(session, search.inbox(unit, NOW, rules, status="all", sort="flag")) == [
        black.number, red.number, open_red.number, green.number, none.number]
    assert [t.flag_rank for t in (black, red, green, none)] == [0, 1, 3, 4]
    assert open_red.flag_rank == 4  # an open ticket's rank is not kept: the refresh leaves its row's indexes be
    # Pages: each set is cut at the page's last row, then merged in the order.
    page = search.inbox_page(session, unit, NOW, rules, status="all", sort="flag", page=2, per_page=2, cap=10)
    assert ([t.number for t in page.items], page.total) == ([open_red.number, green.number], 5)


def test_the_inbox_turns_black_at_the_configured_number_of_reopens(session, user):
    zjj = department(session, "zjj")
    reopened = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, dispatched_at=NOW,
                           sign_by=NOW + timedelta(hours=2), reply_by=NOW + timedelta(days=2), reopen_count=2)
    unit = user("zjj")
    assert numbers(session, search.inbox(unit, NOW, CycleRules(), flag="black")) == [reopened.number]
    assert numbers(session, search.inbox(unit, NOW, CycleRules(black_after_reopens=3), flag="black")) == []


def test_the_search_box_finds_a_ticket_by_a_word_of_its_content_cut_by_jieba(session, user):
    noisy = make_ticket(session, NOW, title="夜间施工", content="幸福路工地夜间施工噪音扰民，影响休息。",
                        address="雁峰区幸福路12号")
    make_ticket(session, NOW, content="小区路灯不亮，晚上出行不便。")
    operator = user("operator")
    for words in ("噪音", "扰民", "噪音扰民", "施工 噪音", "幸福路"):
        assert numbers(session, search.search_tickets(operator, q=words)) == [noisy.number], words
    assert numbers(session, search.search_tickets(operator, q="噪音 路灯")) == []  # every word must be there
    assert numbers(session, search.search_tickets(operator, q="垃圾")) == []


def test_the_words_follow_an_edit_of_the_content(session, user):
    ticket = make_ticket(session, NOW, content="路灯不亮")
    ticket.content = "井盖破损"
    session.flush()
    operator = user("operator")
    assert numbers(session, search.search_tickets(operator, q="井盖")) == [ticket.number]
    assert numbers(session, search.search_tickets(operator, q="路灯")) == []


def test_digits_find_a_number_by_its_start_and_a_phone_by_its_start_or_end(session, user):
    first = make_ticket(session, NOW, number="2026111600001", caller_phone="13912345678")
    second = make_ticket(session, NOW - timedelta(minutes=1), number="2026111600002", caller_phone="13800005678")
    make_ticket(session, NOW - timedelta(minutes=2), number="2026111500001", caller_phone="13700000000")
    operator = user("operator")
    assert numbers(session, search.search_tickets(operator, q="20261116")) == [first.number, second.number]
    assert numbers(session, search.search_tickets(operator, q="2026111600002")) == [second.number]
    assert numbers(session, search.search_tickets(operator, q="5678")) == [first.number, second.number]
    assert numbers(session, search.search_tickets(operator, q="139 1234")) == [first.number]
    assert numbers(session, search.search_tickets(operator, q="+86 139-1234-5678")) == [first.number]


def test_a_name_finds_its_caller(session, user):
    found = make_ticket(session, NOW, caller_name="张三丰")
    make_ticket(session, NOW, caller_name="李四")
    assert numbers(session, search.search_tickets(user("operator"), q="张三")) == [found.number]


def test_a_unit_searches_only_its_own_tickets_and_never_by_phone(session, user):
    zjj, jtj = department(session, "zjj"), department(session, "jtj")
    own = make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=zjj, content="井盖破损",
                      caller_phone="13912345678", number="2026111600011")
    make_ticket(session, NOW, status=TicketStatus.DISPATCHED, department=jtj, content="井盖丢失")
    unit = user("zjj")
    assert numbers(session, search.search_tickets(unit, q="井盖")) == [own.number]
    assert numbers(session, search.inbox(unit, NOW, CycleRules(), status="all", q="井盖")) == [own.number]
    assert numbers(session, search.search_tickets(unit, q="5678")) == []  # a phone's tail is no unit's search
    assert numbers(session, search.search_tickets(unit, q="202611160001")) == [own.number]


def test_the_filters_narrow_the_words(session, user, policy):
    zjj = department(session, "zjj")
    today = make_ticket(session, NOW, content="井盖破损", channel=Channel.WEB, department=zjj,
                        status=TicketStatus.SIGNED, dispatched_at=NOW, sign_by=NOW, reply_by=NOW - timedelta(hours=1))
    earlier = make_ticket(session, NOW - timedelta(days=3), content="井盖破损")
    operator = user("operator")

    def found(**filters):
        return numbers(session, search.search_tickets(operator, q="井盖", **filters))

    day = NOW.astimezone(policy.tz).date()
    assert found(period=search.Period(day, day, policy.tz)) == [today.number]
    assert found(period=search.Period(None, day - timedelta(days=1), policy.tz)) == [earlier.number]
    assert found(channels=[Channel.WEB]) == [today.number]
    assert found(department_code="zjj", statuses=[TicketStatus.SIGNED]) == [today.number]
    assert found(flag="red", now=NOW, rules=policy.cycle_rules) == [today.number]


def test_the_call_page_sees_the_callers_earlier_tickets(session, user):
    older = make_ticket(session, NOW - timedelta(days=9), caller_phone="13912345678")
    newer = make_ticket(session, NOW, caller_phone="13912345678")
    make_ticket(session, NOW, caller_phone="13900000000")
    history = search.caller_history(session, user("operator"), "139-1234-5678", limit=5)
    assert [t.number for t in history] == [newer.number, older.number]
    assert search.caller_history(session, user("operator"), "1391", limit=5) == []
    assert search.caller_history(session, user("zjj"), "13912345678", limit=5) == []


def test_a_page_of_few_matches_is_sorted_and_of_many_read_in_order_both_newest_first(session, user):
    from hotline.services.paging import page_of

    made = [make_ticket(session, NOW - timedelta(minutes=m), content="井盖破损").number for m in (5, 1, 3)]
    newest_first = [made[1], made[2], made[0]]
    query = search.search_tickets(user("operator"), q="井盖")
    for cap in (1, 10):  # 3 matches: more than a cap of 1 (index order), fewer than 10 (sorted)
        rows = page_of(session, query, 1, 10, cap=cap, few_order=search.SORTED_NEWEST_FIRST)
        assert [t.number for t in rows.items] == newest_first, cap


def test_a_units_search_pages_its_own_and_co_handled_matches_newest_first(session, user):
    """found_page reads the two sets apart; a few matches are sorted, many read off the index: the same list."""
    zjj, jtj = department(session, "zjj"), department(session, "jtj")
    own_old = make_ticket(session, NOW - timedelta(hours=3), department=zjj, content="井盖破损")
    co_new = make_ticket(session, NOW - timedelta(hours=1), department=jtj, content="井盖松动")
    own_new = make_ticket(session, NOW, department=zjj, content="井盖丢失")
    jtj_only = make_ticket(session, NOW - timedelta(hours=2), department=jtj, content="井盖缺失")  # not zjj's part
    make_ticket(session, NOW, department=zjj, content="路灯不亮")
    session.flush()
    session.add_all([TicketCoUnit(ticket_id=co_new.id, department_id=zjj.id, added_at=NOW),
                     TicketCoUnit(ticket_id=own_old.id, department_id=jtj.id, added_at=NOW)])
    session.flush()
    unit = user("zjj")
    where = search.search_where(unit, q="井盖")
    expected = [own_new.number, co_new.number, own_old.number]
    for few in (True, False):
        rows = search.found_page(session, unit, where, page=1, per_page=2, cap=10, few=few)
        deeper = search.found_page(session, unit, where, page=2, per_page=2, cap=10, few=few)
        assert [t.number for t in rows.items + deeper.items] == expected, few
        assert (rows.total, rows.capped) == (3, False)
    after = search.found_page(session, unit, where, page=1, per_page=5, cap=10, after=own_new.number)
    assert [t.number for t in after.items] == expected[1:] and after.page == 0
    capped = search.found_page(session, unit, where, page=1, per_page=1, cap=2)
    assert (capped.total, capped.capped, [t.number for t in capped.items]) == (2, True, expected[:1])
    # The same statements, cached, for another unit: its own co-handled tickets, not zjj's.
    other = user("jtj")
    theirs = search.found_page(session, other, search.search_where(other, q="井盖"), page=1, per_page=5, cap=10)
    assert [t.number for t in theirs.items] == [co_new.number, jtj_only.number, own_old.number]
