"""每月一通报's sections for 回头看, 集中交办 and the hosted channels: November 2026 worked out by hand.

Every closed ticket with a unit is re-visited (REVISIT_SHARE=1) once it is 14 to 42 days closed.
Complaints: sign within 2 working hours, reply within 5 working days (09:00–12:00, 13:30–17:30).
The daily job runs on 10-20, 11-02, 11-03 and 12-01 at 08:00; the report is read on 12-01 at 10:00.

回头看
  R1 R2 R5 (zjj) and R3 (jtj) are closed on Fri 10-16 at 14:00 (callback 满意). On 10-20 they are only
  4 days closed: nothing is drawn. On 11-02 they are 16.75 days closed: all four are drawn (selected in
  November); the run on 11-03 adds nothing. R4 is answered on the call (no unit): never drawn.
  11-03 10:00 R1 held; 11-03 11:00 R3 not held (back to jtj); 11-04 10:00 R5 not held (back to zjj);
  R2 is never called.
    zjj: sampled 3, called 2 (R1 R5), held 1, not held 1, held rate 1/2
    jtj: sampled 1, called 1 (R3), held 0, not held 1, held rate 0
    city: sampled 4, called 3, held 1, not held 2, held rate 1/3 = 0.3333

集中交办
  C1 (to zjj, 11-05) is repeated by C1a (11-06) and C1b (11-09), both waiting for dispatch: a cluster of
  three calls. C2 (11-05) has one repeat: two calls, not a cluster. B1 (11-10): C1 C1a C1b to zjj, due
  11-20; all three are signed, replied and closed by 11-18; closed (销号) on 11-19: on time. B2 (11-12):
  X1 to jtj, due 11-20; X1 is never replied: open and overdue on 12-01.
    zjj: 1 batch, 3 tickets, closed 1, on time 1, open 0, overdue 0 (on-time rate 1)
    jtj: 1 batch, 1 ticket, closed 0, on time 0, open 1, overdue 1 (on-time rate 0)
    city: 2 batches, 4 tickets, closed 1, on time 1, open 1, overdue 1 (on-time rate 1/2)

Channels
  L1 领导接听日 (host 张市长) Mon 11-16 09:00 to zjj (sign by 11:00, reply by Fri 11-20 17:30): signed
  10:00, replied Tue 10:00, callback 满意 → closed (rolled up on 12-01).
  L2 领导接听日 Mon 11-16 09:00 to jtj: signed 13:45 (late), replied Tue 11-24 10:00 (late), callback
  基本满意 → closed (rolled up on 12-01).
  E1 企业家接待日 Wed 11-18 09:00 to zjj (reply by Tue 11-24 17:30): signed 09:30, never replied (open).
  E2 企业家接待日 answered on the call: received, no unit's work.
  P1 an ordinary phone call to zjj: in no channel section.
    leader_day: received 2, assigned 2, sign on time 1/2, reply on time 1/2, reached 2, satisfied 1,
                basically satisfied 1, satisfaction 2/2
    entrepreneur_day: received 2, assigned 1, sign on time 1/1, reply on time 0/1, reached 0,
                satisfaction none
"""
import pytest
from sqlalchemy import update

from hotline.services.cycle import jobs, periods
from models import Ticket
from tests.builders import at, ticket_row
from tests.hotline.api.helpers import Desk

pytestmark = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01, REPEAT_SIMILARITY=1.1,
                                    REPEAT_CALLER_SIMILARITY=1.1, REVISIT_SHARE=1.0)
AS_OF = at(2026, 12, 1, 10)


def run_daily(session, policy, when) -> dict:
    """The daily job at `when`, committed as the CLI commits it."""
    outcome = jobs.run(session, "daily", periods.containing("daily", when, policy.tz), policy, when)
    session.commit()
    return outcome.result


def closed_ticket(desk: Desk, when, unit: str) -> str:
    """A ticket dispatched, signed, replied and called back (满意) on the day of `when`."""
    number = desk.new(when, unit)
    desk.sign(number, when.replace(hour=10), unit)
    desk.reply(number, when.replace(hour=11), unit)
    desk.callback(number, when.replace(hour=14))
    return number


def link(session, repeat: str, root: str) -> None:
    """Make `repeat` a repeat of `root` (linking is the intake's job; here it is set directly)."""
    root_row = ticket_row(session, root)
    session.execute(update(Ticket).where(Ticket.number == repeat).values(repeat_of_id=root_row.id))
    session.execute(update(Ticket).where(Ticket.id == root_row.id).values(repeat_count=Ticket.repeat_count + 1))
    session.commit()


@pytest.fixture
def november(api, clock, session, policy) -> dict[str, str]:
    """The month above, played through the API and the daily job."""
    desk, t = Desk(api, clock), {}
    for name, unit in (("R1", "zjj"), ("R2", "zjj"), ("R5", "zjj"), ("R3", "jtj")):
        t[name] = closed_ticket(desk, at(2026, 10, 16, 9), unit)
    t["R4"] = desk.call("POST", "/tickets", "operator", at(2026, 10, 16, 9), {
        "content": "请问公积金怎么提取？", "caller_phone": "13900009999", "appeal_type": "consultation",
        "resolved_on_call": True, "reply": "可在住房公积金中心网厅办理。"}, status=201)["number"]
    desk.callback(t["R4"], at(2026, 10, 16, 14))
    assert run_daily(session, policy, at(2026, 10, 20, 8))["revisits_sampled"] == 0
    assert run_daily(session, policy, at(2026, 11, 2, 8))["revisits_sampled"] == 4
    assert run_daily(session, policy, at(2026, 11, 3, 8))["revisits_sampled"] == 0
    desk.call("POST", f"/tickets/{t['R1']}/revisit", "supervisor", at(2026, 11, 3, 10), {"held": True})
    back = desk.call("POST", f"/tickets/{t['R3']}/revisit", "supervisor", at(2026, 11, 3, 11),
                     {"held": False, "comment": "路面又塌陷了"})
    assert back["status"] == "not_held"
    desk.call("POST", f"/tickets/{t['R5']}/revisit", "supervisor", at(2026, 11, 4, 10),
              {"held": False, "comment": "墙皮又脱落"})

    t["C1"] = desk.new(at(2026, 11, 5, 9), "zjj")
    t["C2"] = desk.new(at(2026, 11, 5, 9), "jtj")
    t["C1a"] = desk.new(at(2026, 11, 6, 9), None)
    t["C2a"] = desk.new(at(2026, 11, 6, 9), None)
    t["C1b"] = desk.new(at(2026, 11, 9, 9), None)
    for repeat, root in (("C1a", "C1"), ("C1b", "C1"), ("C2a", "C2")):
        link(session, t[repeat], t[root])
    clusters = desk.call("GET", "/batches/clusters?period=2026-11", "supervisor", at(2026, 11, 10, 9))["items"]
    assert [(c["root"], c["calls"], c["open_tickets"]) for c in clusters] == [
        (t["C1"], 3, [t["C1"], t["C1a"], t["C1b"]])]
    b1 = desk.call("POST", "/batches", "supervisor", at(2026, 11, 10, 10), {
        "department": "zjj", "tickets": clusters[0]["open_tickets"], "deadline": "2026-11-20"}, status=201)
    t["X1"] = desk.new(at(2026, 11, 12, 9), None)
    desk.call("POST", "/batches", "supervisor", at(2026, 11, 12, 10), {
        "department": "jtj", "tickets": [t["X1"]], "deadline": "2026-11-20"}, status=201)
    for name in ("C1", "C1a", "C1b"):
        desk.sign(t[name], at(2026, 11, 16, 9, 30))
        desk.reply(t[name], at(2026, 11, 17, 10))
        desk.callback(t[name], at(2026, 11, 18, 10))
    desk.call("POST", f"/batches/{b1['id']}/close", "supervisor", at(2026, 11, 19, 9))

    monday = at(2026, 11, 16, 9)
    t["L1"] = desk.new(monday, "zjj", channel="leader_day", channel_host="张市长")
    t["L2"] = desk.new(monday, "jtj", channel="leader_day", channel_host="张市长")
    t["P1"] = desk.new(monday, "zjj")
    desk.sign(t["L1"], at(2026, 11, 16, 10))
    desk.sign(t["L2"], at(2026, 11, 16, 13, 45), "jtj")
    desk.reply(t["L1"], at(2026, 11, 17, 10))
    desk.callback(t["L1"], at(2026, 11, 17, 14))
    t["E1"] = desk.new(at(2026, 11, 18, 9), "zjj", channel="entrepreneur_day", channel_host="十一月企业家接待日")
    desk.sign(t["E1"], at(2026, 11, 18, 9, 30))
    t["E2"] = desk.call("POST", "/tickets", "operator", at(2026, 11, 18, 9), {
        "content": "请问企业开办补贴怎么申请？", "caller_phone": "13900008888", "appeal_type": "consultation",
        "channel": "entrepreneur_day", "channel_host": "十一月企业家接待日",
        "resolved_on_call": True, "reply": "可在政务服务网申请。"}, status=201)["number"]
    desk.reply(t["L2"], at(2026, 11, 24, 10), "jtj")
    desk.callback(t["L2"], at(2026, 11, 24, 14), "basically_satisfied")
    run_daily(session, policy, at(2026, 12, 1, 8))
    clock.set(AS_OF)
    return t


REVISITS = {
    "departments": [
        {"department": {"code": "jtj", "name": "市交通运输局"}, "sampled": 1, "called": 1, "held": 0, "not_held": 1,
         "held_rate": 0.0},
        {"department": {"code": "zjj", "name": "市住房和城乡建设局"}, "sampled": 3, "called": 2, "held": 1,
         "not_held": 1, "held_rate": 0.5},
    ],
    "city": {"sampled": 4, "called": 3, "held": 1, "not_held": 2, "held_rate": 0.3333},
}
BATCHES = {
    "departments": [
        {"department": {"code": "jtj", "name": "市交通运输局"}, "batches": 1, "tickets": 1, "closed": 0,
         "closed_on_time": 0, "open": 1, "open_overdue": 1, "on_time_rate": 0.0},
        {"department": {"code": "zjj", "name": "市住房和城乡建设局"}, "batches": 1, "tickets": 3, "closed": 1,
         "closed_on_time": 1, "open": 0, "open_overdue": 0, "on_time_rate": 1.0},
    ],
    "city": {"batches": 2, "tickets": 4, "closed": 1, "closed_on_time": 1, "open": 1, "open_overdue": 1,
             "on_time_rate": 0.5},
}
CHANNEL_KEYS = ("received", "assigned", "due_to_sign", "signed_on_time", "due_to_reply", "replied_on_time", "reached",
                "satisfied", "basically_satisfied", "unsatisfied")
CHANNELS = {
    "leader_day": ({"received": 2, "assigned": 2, "due_to_sign": 2, "signed_on_time": 1, "due_to_reply": 2,
                    "replied_on_time": 1, "reached": 2, "satisfied": 1, "basically_satisfied": 1, "unsatisfied": 0},
                   {"sign_on_time": 0.5, "reply_on_time": 0.5, "satisfaction": 1.0}),
    "entrepreneur_day": ({"received": 2, "assigned": 1, "due_to_sign": 1, "signed_on_time": 1, "due_to_reply": 1,
                          "replied_on_time": 0, "reached": 0, "satisfied": 0, "basically_satisfied": 0,
                          "unsatisfied": 0},
                         {"sign_on_time": 1.0, "reply_on_time": 0.0, "satisfaction": None}),
}


def channel_figures(report: dict) -> dict:
    """Each channel section's counts and its three headline rates."""
    return {section["channel"]: ({k: section[k] for k in CHANNEL_KEYS},
                                 {k: section["rates"][k] for k in ("sign_on_time", "reply_on_time", "satisfaction")})
            for section in report["channels"]}




def test_november_sections_match_the_hand_worked_ones(api, november):
    report = api.get("/reports/monthly/2026-11", "supervisor").json
    assert report["source"] == "live"
    units = {line["department"]["code"]: line["department"]["name"] for line in report["departments"]}
    for expected in (REVISITS, BATCHES):
        for line in expected["departments"]:
            line["department"]["name"] = units[line["department"]["code"]]
    assert report["revisits"] == REVISITS
    assert report["batches"] == BATCHES
    assert channel_figures(report) == CHANNELS
    # The closed channel tickets were read from channel_rollups, the open one (E1) as open work.
    published = api.post("/reports/monthly/2026-11/publish", "supervisor", {"note": "含回头看"})
    assert published.status_code == 201, published.json
    assert published.json["revisits"] == REVISITS and channel_figures(published.json) == CHANNELS
    # ?channel= keeps one channel's section; an unknown one is a 400 naming it.
    one = api.get("/reports/monthly/2026-11?channel=entrepreneur_day", "supervisor").json
    assert [section["channel"] for section in one["channels"]] == ["entrepreneur_day"]
    assert api.get("/reports/monthly/2026-11?channel=phone", "supervisor").json["field"] == "channel"


def test_a_unit_reads_its_own_lines_of_the_sections(api, november):
    live = api.get("/reports/monthly/2026-11?live=1", "zjj").json
    assert [line["department"]["code"] for line in live["revisits"]["departments"]] == ["zjj"]
    assert live["revisits"]["city"] is None and live["channels"] is None
    assert [line["batches"] for line in live["batches"]["departments"]] == [1]
    api.post("/reports/monthly/2026-11/publish", "supervisor", {})
    published = api.get("/reports/monthly/2026-11", "jtj").json
    assert [line["department"]["code"] for line in published["batches"]["departments"]] == ["jtj"]
    assert published["channels"] is None and published["batches"]["city"] is None


def test_the_revisit_that_did_not_hold_went_back_to_the_unit(api, november):
    desk = Desk(api)
    r3 = desk.ticket(november["R3"])
    assert (r3["status"], r3["department"]["code"]) == ("dispatched", "jtj")
    actions = [event["action"] for event in r3["events"]]
    i = actions.index("revisited")
    assert actions[i:i + 2] == ["revisited", "reopened"]  # then the daily job's 催办 of the new round
    l1 = desk.ticket(november["L1"])
    assert (l1["channel"], l1["channel_host"]) == ("leader_day", "张市长")
