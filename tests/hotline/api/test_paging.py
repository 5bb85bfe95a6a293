"""Ticket lists bounded by an index however long the history: keyset pages and capped counts (issue 9 item 4)."""
from datetime import timedelta

from models import TicketCoUnit
from tests.builders import at, department, make_ticket

START = at(2026, 11, 10)


def tickets(session, count: int, **fields) -> list[str]:
    """`count` tickets an hour apart, two of them at the same instant (the id breaks the tie); numbers, newest first."""
    made = [make_ticket(session, START + timedelta(hours=max(i, 1)), **fields) for i in range(count)]
    session.commit()
    return [t.number for t in sorted(made, key=lambda t: (t.created_at, t.id), reverse=True)]


def test_keyset_pages_walk_the_whole_list_newest_first(api, session):
    numbers = tickets(session, 5)
    seen, after = [], None
    while True:
        body = api.get("/tickets?per_page=2" + (f"&after={after}" if after else ""), "supervisor").json
        seen += [t["number"] for t in body["items"]]
        after = body["next_after"]
        if after is None:
            break
    assert seen == numbers  # every ticket once, in order, the tie at one instant included
    assert body["total"] == 5 and body["total_capped"] is False


def test_a_unit_pages_its_own_inbox_by_keyset(api, session):
    zjj = department(session, "zjj")
    mine = tickets(session, 3, department_id=zjj.id)
    theirs = tickets(session, 2, department_id=department(session, "jtj").id)
    body = api.get(f"/department/tickets?per_page=2&after={mine[0]}", "zjj").json
    assert [t["number"] for t in body["items"]] == mine[1:] and body["next_after"] == mine[2]
    refused = api.get(f"/department/tickets?after={theirs[0]}", "zjj")  # another unit's ticket is no cursor here
    assert (refused.status_code, refused.json["field"]) == (404, "after")


def test_a_units_own_and_co_handled_tickets_page_as_one_list(api, session):
    """The two sets are read apart (each off its index up to the page's end) but page as one newest-first list."""
    zjj, jtj = department(session, "zjj"), department(session, "jtj")
    made = [make_ticket(session, START + timedelta(hours=h), department_id=(zjj if h % 2 else jtj).id)
            for h in range(1, 8)]  # zjj's own at odd hours, jtj's at even ones
    session.flush()
    co_handled = made[1::2][:2]  # two of jtj's, zjj co-handling them; jtj's third is none of zjj's
    session.add_all(TicketCoUnit(ticket_id=t.id, department_id=zjj.id, added_at=START) for t in co_handled)
    session.commit()
    expected = [t.number for t in sorted(made[0::2] + co_handled, key=lambda t: t.created_at, reverse=True)]
    seen, after = [], None
    while True:
        body = api.get("/department/tickets?per_page=2" + (f"&after={after}" if after else ""), "zjj").json
        assert body["total"] == 6
        seen += [t["number"] for t in body["items"]]
        after = body["next_after"]
        if after is None:
            break
    assert seen == expected  # own and co-handled interleaved by time, each once
    by_number = [api.get(f"/department/tickets?per_page=4&page={n}", "zjj").json for n in (1, 2)]
    assert [t["number"] for b in by_number for t in b["items"]] == expected


def test_counts_stop_at_the_cap(api, session, monkeypatch):
    monkeypatch.setattr("hotline.services.search.COUNT_CAP", 3)  # the ticket list is the search's, with its cap
    tickets(session, 5)
    body = api.get("/tickets?per_page=2", "supervisor").json
    assert (body["total"], body["total_capped"], len(body["items"])) == (3, True, 2)
