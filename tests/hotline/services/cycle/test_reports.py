"""每月一通报: November 2026 worked out by hand, published as a frozen snapshot, exported, guarded.

The month's tickets (complaints: sign 2 working hours, reply 5 working days; consultations: sign 2 wh,
reply 1 working day; working hours 09:00–12:00 and 13:30–17:30; no holidays in November 2026). The report
is read at Tuesday 2026-12-01 10:00 ("as of"). zjj = 住建局, jtj = 交通局.

  T1  zjj complaint, dispatched Mon 11-16 09:00 (sign by 11:00, reply by Fri 11-20 17:30). Signed 10:00,
      replied Wed 11-18 10:00, callback Thu: reached, solved, 满意 → closed.
  T2  zjj complaint, Mon 09:00. Signed 13:45 (late), replied Thu 11-19 15:00, callback: solved, 基本满意.
  T3  zjj complaint, Mon 09:00. Signed 10:00, replied Mon 11-23 10:00 (late), callback Mon 11-23 15:00:
      unsolved, 不满意 → reopened (重办) to zjj with a new clock from 15:00: sign by 17:00, reply by
      Mon 11-30 15:00. Never touched again.
  T4  zjj consultation, Mon 09:00 (sign by 11:00, reply by Mon 17:30). Never signed.
  T5  zjj complaint, Mon 09:00. Signed 10:00, replied Tue 11-17 10:00, three unreached callbacks on
      Wednesday → closed as 无法联系.
  T6  zjj complaint, Wed 11-25 09:00 (reply by Tue 12-01 17:30). Signed 10:00. Not replied.
  T7  zjj complaint, Mon 11-23 09:00 (reply by Fri 11-27 17:30). Signed 09:30. Not replied.
  T8  zjj complaint, Mon 11-30 10:00 (sign by 12:00, reply by Mon 12-07 10:00). Signed 11:00.
  T9  zjj complaint, Mon 11-16 09:00, a repeat of T1. Signed 10:00, replied Tue 15:00, callback: 满意.
  T10 jtj complaint, Mon 11-16 09:00; jtj returns it (退单) at 09:30; the dispatcher assigns it to zjj at
      10:00 (sign by 12:00, reply by Mon 11-23 10:00). zjj signs 10:30, replies Fri 11-20 09:00,
      callback Fri 14:00: 满意.
  T11 jtj complaint, Mon 09:00. Signed 09:15, replied Tue 09:00, callback Tue 14:00: solved but 不满意 →
      reopened (sign by 16:00, reply by Tue 11-24 14:00); signed 15:00, replied Wed 10:00, callback Thu: 满意.
  T12 jtj consultation, Mon 09:00 (reply by Mon 17:30). Signed 09:30, replied Tue 11-17 14:00 (late),
      no callback yet.
  T13 jtj complaint dispatched Fri 10-30 (October): replied in November, but counts in October, not here.
  T14 answered on the call (即来即办): no unit, in no unit's line.
"""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from models import Ticket

from tests.builders import at, ticket_row
from tests.hotline.api.helpers import BY_HAND, Desk, local

pytestmark = BY_HAND
AS_OF = at(2026, 12, 1, 10)


def build_november(desk: Desk, session) -> dict[str, str]:
    """Play the month above through the API; returns the ticket numbers by name."""
    t: dict[str, str] = {}
    t["T13"] = desk.new(at(2026, 10, 30, 9), "jtj")
    desk.sign(t["T13"], at(2026, 10, 30, 9, 30), "jtj")
    desk.reply(t["T13"], at(2026, 11, 2, 10), "jtj")

    monday = at(2026, 11, 16, 9)
    for name in ("T1", "T2", "T3", "T5", "T9"):
        t[name] = desk.new(monday, "zjj")
    t["T4"] = desk.new(monday, "zjj", appeal_type="consultation")
    t["T10"] = desk.new(monday, "jtj")
    t["T11"] = desk.new(monday, "jtj")
    t["T12"] = desk.new(monday, "jtj", appeal_type="consultation")
    t["T14"] = desk.call("POST", "/tickets", "operator", monday, {
        "content": "请问公积金怎么提取？", "caller_phone": "13900009999", "appeal_type": "consultation",
        "resolved_on_call": True, "reply": "可在住房公积金中心网厅办理。"}, status=201)["number"]
    # T9 repeats T1 (linking repeats is the intake's job; here the link is set directly).
    session.execute(update(Ticket).where(Ticket.number == t["T9"]).values(repeat_of_id=ticket_row(session, t["T1"]).id))
    session.commit()

    desk.sign(t["T11"], at(2026, 11, 16, 9, 15), "jtj")
    desk.give_back(t["T10"], at(2026, 11, 16, 9, 30), "jtj")
    desk.sign(t["T12"], at(2026, 11, 16, 9, 30), "jtj")
    desk.assign(t["T10"], at(2026, 11, 16, 10), "zjj")
    for name in ("T1", "T3", "T5", "T9"):
        desk.sign(t[name], at(2026, 11, 16, 10))
    desk.sign(t["T10"], at(2026, 11, 16, 10, 30))
    desk.sign(t["T2"], at(2026, 11, 16, 13, 45))

    desk.reply(t["T11"], at(2026, 11, 17, 9), "jtj")
    desk.reply(t["T5"], at(2026, 11, 17, 10))
    assert desk.callback(t["T11"], at(2026, 11, 17, 14), "unsatisfied", solved=True)["status"] == "dispatched"
    desk.reply(t["T12"], at(2026, 11, 17, 14), "jtj")
    desk.sign(t["T11"], at(2026, 11, 17, 15), "jtj")
    desk.reply(t["T9"], at(2026, 11, 17, 15))

    desk.reply(t["T1"], at(2026, 11, 18, 10))
    desk.reply(t["T11"], at(2026, 11, 18, 10), "jtj")
    for hour in (10, 12, 14):  # unreached attempts at least CALLBACK_RETRY_HOURS apart
        desk.callback(t["T5"], at(2026, 11, 18, hour), reached=False)
    desk.callback(t["T9"], at(2026, 11, 18, 15))

    desk.callback(t["T1"], at(2026, 11, 19, 10))
    desk.callback(t["T11"], at(2026, 11, 19, 10))
    desk.reply(t["T2"], at(2026, 11, 19, 15))
    desk.reply(t["T10"], at(2026, 11, 20, 9))
    desk.callback(t["T2"], at(2026, 11, 20, 10), "basically_satisfied")
    desk.callback(t["T10"], at(2026, 11, 20, 14))

    t["T7"] = desk.new(at(2026, 11, 23, 9), "zjj")
    desk.sign(t["T7"], at(2026, 11, 23, 9, 30))
    desk.reply(t["T3"], at(2026, 11, 23, 10))
    assert desk.callback(t["T3"], at(2026, 11, 23, 15), "unsatisfied", solved=False)["status"] == "dispatched"
    t["T6"] = desk.new(at(2026, 11, 25, 9), "zjj")
    desk.sign(t["T6"], at(2026, 11, 25, 10))
    t["T8"] = desk.new(at(2026, 11, 30, 10), "zjj")
    desk.sign(t["T8"], at(2026, 11, 30, 11))
    desk.clock.set(AS_OF)
    return t


# zjj — work orders first dispatched to it in November: T1–T10 (T10 arrived on 11-16 after jtj returned it).
ZJJ = {
    "assigned": 10, "returned": 0, "repeat_complaints": 1,  # T9
    "handled": 10,
    # Due to sign: all ten (T3 and T4 are unsigned past their sign-by). On time: T1 T5 T6 T7 T8 T9 T10 = 7
    # (T2 signed late; T3's new round and T4 never signed).
    "due_to_sign": 10, "signed_on_time": 7,
    # Due to reply: replied (T1 T2 T5 T9 T10) or past reply-by unreplied (T3 since 11-30 15:00, T4, T7) = 8;
    # T6 (due 12-01 17:30) and T8 (due 12-07) are not due yet. On time: T1 T2 T5 T9 T10 = 5; overdue 3.
    "due_to_reply": 8, "replied_on_time": 5, "overdue": 3,
    # Replied at least once: T1 T2 T3 T5 T9 T10 = 6. Called back: T1 T2 T3 T9 T10 reached + T5 无法联系 = 6.
    "replied": 6, "called_back": 6, "unreachable": 1,
    # Reached callbacks made in November for zjj, one per round: T9 11-18, T1 11-19, T2 11-20, T10 11-20
    # (with zjj by then), T3 11-23 = 5 (T5's three unreached attempts judge nothing).
    "reached": 5,
    "solved": 4,  # all but T3's
    "satisfied": 3, "basically_satisfied": 1, "unsatisfied": 1,  # T1 T9 T10 / T2 / T3
    "reopened": 1,  # T3
    # Flags at 12-01 10:00. T1 T2 T5 T9 T10 replied before 80 % of their time (green); T8 has used 7 of 35 h
    # (green). T6 has used 29 of 35 h ≥ 80 % (yellow). T7 is 8 working hours late (red). T3 has been unsigned
    # since 11-23 17:00, 36.5 working hours > 5 days (black); T4 likewise since 11-16 11:00 (black).
    "flags": {"green": 6, "yellow": 1, "red": 1, "black": 2},
    "rates": {"sign_on_time": 0.7, "reply_on_time": 0.625, "callback": 1.0, "solved": 0.8,
              "satisfaction": 0.8, "return": 0.0, "reopen": 0.1667},
    # 100 × (20 × 0.7 + 40 × 0.8 + 40 × 0.8) / 100 = 14 + 32 + 32.
    "score": 78.0, "rank": 2,
    "paused": 0, "paused_minutes": 0,  # 挂起: none this month (tests/hotline/services/cycle/test_practice_figures.py)
}
# jtj — T10 (returned, so not handled), T11, T12. T13 counts in October.
JTJ = {
    "assigned": 3, "returned": 1, "repeat_complaints": 0, "handled": 2,
    "due_to_sign": 2, "signed_on_time": 2,  # T11 re-signed 15:00 ≤ 16:00; T12 09:30 ≤ 11:00
    "due_to_reply": 2, "replied_on_time": 1, "overdue": 1,  # T12 replied a day late
    "replied": 2, "called_back": 1, "unreachable": 0,  # T12 awaits its callback
    # Every round judged: T11 不满意 (but solved) 11-17 → 重办, then 满意 11-19 → 2 reached, 2 solved,
    # 1 satisfied, 1 unsatisfied; 满意率 1/2, not a clean record.
    "reached": 2, "solved": 2, "satisfied": 1, "basically_satisfied": 0, "unsatisfied": 1,
    "reopened": 1,
    "flags": {"green": 1, "yellow": 0, "red": 1, "black": 0},  # T12 replied late, less than 5 days: red
    "rates": {"sign_on_time": 1.0, "reply_on_time": 0.5, "callback": 0.5, "solved": 1.0,
              "satisfaction": 0.5, "return": 0.3333, "reopen": 0.5},
    # 100 × (20 × 1 + 40 × 1 + 40 × 0.5) / 100 = 20 + 40 + 20: still above zjj's 78.
    "score": 80.0, "rank": 1,
    "paused": 0, "paused_minutes": 0,
}
# City-wide = the sum of the units' counts; rates from the sums.
CITY = {
    "assigned": 13, "returned": 1, "repeat_complaints": 1, "handled": 12,
    "due_to_sign": 12, "signed_on_time": 9, "due_to_reply": 10, "replied_on_time": 6, "overdue": 4,
    # Callbacks: zjj's 5 + jtj's 2 = 7 reached, 4 + 2 = 6 solved; T14 (即来即办) has no callback yet.
    "replied": 8, "called_back": 7, "unreachable": 1, "reached": 7, "solved": 6,
    "satisfied": 4, "basically_satisfied": 1, "unsatisfied": 2, "reopened": 2,
    "flags": {"green": 7, "yellow": 1, "red": 2, "black": 2},
    # 9/12, 6/10, 7/8, 6/7, 5/7, 1/13, 2/8.
    "rates": {"sign_on_time": 0.75, "reply_on_time": 0.6, "callback": 0.875, "solved": 0.8571,
              "satisfaction": 0.7143, "return": 0.0769, "reopen": 0.25},
    "score": 77.86,  # 15 + 40 × 6/7 + 40 × 5/7 = 15 + 440/7 = 77.857…
    "paused": 0, "paused_minutes": 0,
}


def line_of(report: dict, code: str) -> dict:
    """The report line of one unit, without its department label."""
    line = next(line for line in report["departments"] if line["department"]["code"] == code)
    return {k: v for k, v in line.items() if k != "department"}


@pytest.fixture
def november(api, clock, session) -> dict[str, str]:
    """The month above, played through the API."""
    return build_november(Desk(api, clock), session)


def test_november_figures_match_the_hand_worked_ones(api, november):
    report = api.get("/reports/monthly/2026-11", "supervisor").json
    assert (report["source"], report["published"], report["revisions"]) == ("live", None, [])
    assert report["as_of"] == "2026-12-01T10:00:00+08:00"
    assert (report["start"], report["end"]) == ("2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00")
    assert line_of(report, "zjj") == ZJJ
    assert line_of(report, "jtj") == JTJ
    assert report["city"] == CITY
    # Ranked by score: jtj, zjj; units without work have no rates (null, not 0 or 100 %) and no rank.
    assert [line["department"]["code"] for line in report["departments"][:2]] == ["jtj", "zjj"]
    idle = line_of(report, "wjw")
    assert (idle["assigned"], idle["rates"]["satisfaction"], idle["score"], idle["rank"]) == (0, None, None, None)
    october = api.get("/reports/monthly/2026-10?live=1", "supervisor").json
    assert line_of(october, "jtj")["assigned"] == 1  # T13


def test_published_snapshot_is_frozen_and_republishing_is_a_new_revision(api, clock, november):
    desk = Desk(api, clock)
    published = api.post("/reports/monthly/2026-11/publish", "supervisor", {"note": "第一版"})
    assert published.status_code == 201, published.json
    assert published.json["published"]["revision"] == 1
    assert published.json["published"]["published_by"] == "supervisor"
    first = api.get("/reports/monthly/2026-11", "supervisor").json
    assert first["source"] == "snapshot" and line_of(first, "zjj") == ZJJ

    # Tickets change after publication: T7 is replied (late), T12 is called back, T6 becomes overdue.
    desk.reply(november["T7"], at(2026, 12, 1, 11))
    desk.callback(november["T12"], at(2026, 12, 2, 9), "basically_satisfied")
    clock.set(at(2026, 12, 3, 9))
    live = api.get("/reports/monthly/2026-11?live=1", "supervisor").json
    assert live["source"] == "live" and live["published"] is None
    assert line_of(live, "jtj")["called_back"] == 2 and line_of(live, "zjj")["due_to_reply"] == 9
    # T12's callback on 12-02 judges its round in December, not November: November's jtj keeps 1/2.
    assert line_of(live, "jtj")["rates"]["satisfaction"] == 0.5 and line_of(live, "jtj")["basically_satisfied"] == 0
    december = api.get("/reports/monthly/2026-12?live=1", "supervisor").json
    assert (line_of(december, "jtj")["reached"], line_of(december, "jtj")["basically_satisfied"]) == (1, 1)
    assert line_of(december, "jtj")["assigned"] == 0 and line_of(december, "jtj")["rates"]["satisfaction"] == 1.0

    # The published report does not move: same figures, same as_of.
    again = api.get("/reports/monthly/2026-11", "supervisor").json
    assert again["source"] == "snapshot"
    assert {k: v for k, v in again.items() if k != "revisions"} == {k: v for k, v in first.items() if k != "revisions"}

    second = api.post("/reports/monthly/2026-11/publish", "supervisor", {"note": "更正"}).json
    assert second["published"]["revision"] == 2
    latest = api.get("/reports/monthly/2026-11", "supervisor").json
    assert latest["published"]["revision"] == 2 and line_of(latest, "jtj")["called_back"] == 2
    assert [(r["revision"], r["note"]) for r in latest["revisions"]] == [(1, "第一版"), (2, "更正")]
    old = api.get("/reports/monthly/2026-11?revision=1", "supervisor").json
    assert line_of(old, "zjj") == ZJJ and old["published"]["revision"] == 1
    assert api.get("/reports/monthly/2026-11?revision=3", "supervisor").status_code == 404


def test_exports(api, november):
    api.post("/reports/monthly/2026-11/publish", "supervisor", {})
    response = api.get("/reports/monthly/2026-11?format=csv", "supervisor")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "hotline-monthly-2026-11-r1.csv" in response.headers["Content-Disposition"]
    rows = {row["单位代码"]: row for row in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))}
    assert rows["zjj"]["派单量"] == "10" and rows["zjj"]["按时办结率"] == "0.625"
    assert rows["city"]["满意率"] == "0.7143" and rows["city"]["承办单位"] == "全市"  # 5 of 7 callbacks
    assert rows["wjw"]["满意率"] == "" and rows["wjw"]["排名"] == ""

    book = load_workbook(io.BytesIO(api.get("/reports/monthly/2026-11?format=xlsx", "supervisor").data))
    sheet = book["通报"]
    assert "2026年11月" in sheet["A1"].value
    headings = [cell.value for cell in sheet[4]]
    by_unit = {row[0]: dict(zip(headings, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert by_unit["市住房和城乡建设局"]["满意率"] == 0.8 and by_unit["全市"]["派单量"] == 13
    assert "口径" in book.sheetnames

    page = api.get("/reports/monthly/2026-11?format=html", "supervisor")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.data.decode()
    assert "12345政务服务便民热线 2026年11月月度通报" in html
    assert html.count("<svg") == 3 and "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "按时办结率" in html and "62.50%" in html and "已发布第 1 版" in html


def test_a_department_sees_its_own_line_only(api, november):
    mine = api.get("/reports/monthly/2026-11", "zjj").json
    assert [line["department"]["code"] for line in mine["departments"]] == ["zjj"]
    assert mine["city"] is None and line_of(mine, "zjj") == ZJJ
    api.post("/reports/monthly/2026-11/publish", "supervisor", {})
    published = api.get("/reports/monthly/2026-11", "jtj").json
    assert [line["department"]["code"] for line in published["departments"]] == ["jtj"]
    assert published["city"] is None and published["source"] == "snapshot"
    assert api.post("/reports/monthly/2026-11/publish", "zjj", {}).status_code == 403
    assert api.get("/reports/monthly/2026-11", "operator").status_code == 403
    assert api.get("/reports/monthly/2026-11", "admin").status_code == 200


@pytest.mark.parametrize(("path", "field"), [
    ("/reports/monthly/2026-13", "period"),
    ("/reports/monthly/2026-00", "period"),
    ("/reports/monthly/2026-1", "period"),
    ("/reports/monthly/November", "period"),
    ("/reports/monthly/2026Q4", "period"),
    ("/reports/monthly/1999-12", "period"),
    ("/reports/monthly/2027-01", "period"),  # not started yet
    ("/reports/monthly/2026-11?format=pdf", "format"),
    ("/reports/monthly/2026-11?live=yes", "live"),
    ("/reports/monthly/2026-11?revision=0", "revision"),
    ("/reports/monthly/2026-11?revision=one", "revision"),
    ("/reports/monthly/2026-11?revision=99999999999999999999", "revision"),
    ("/reports/monthly/2026-11?revision=1&live=1", "revision"),
    ("/assessment/2026Q4", "period"),
    ("/assessment/twenty", "period"),
    ("/assessment/20266", "period"),
])
def test_impossible_periods_and_parameters_are_400(api, path, field):
    response = api.get(path, "supervisor")
    assert response.status_code == 400, response.json
    assert response.json["field"] == field


def test_publishing_needs_a_finished_month(api, clock):
    clock.set(at(2026, 11, 30, 17))
    response = api.post("/reports/monthly/2026-11/publish", "supervisor", {})
    assert response.status_code == 400 and response.json["field"] == "period"
    assert api.post("/reports/monthly/2026-11/publish", "supervisor", {"colour": 1}).json["field"] == "colour"


def test_a_reopened_work_order_is_judged_on_every_round_of_its_unit(api, clock):
    """A reopen (重办) clears signed_at / replied_at and starts a new clock; the first round still counts.

    Three zjj complaints dispatched Mon 11-16 09:00 (sign by 11:00, reply by Fri 11-20 17:30), read at
    Tue 12-01 10:00. Each is reopened once after an unsatisfied callback, so the ticket's columns only hold
    the second round; the first round's verdict comes from its SIGNED / REPLIED events (docs/metrics.md §4).

      R1  Round 1: signed 10:00 (on time), replied Mon 11-23 10:00 — LATE (reply-by was Fri 11-20 17:30).
          Callback 11-23 15:00 不满意 → reopened, new clock from 15:00: sign by 17:00, reply by Mon 11-30
          15:00. Round 2: signed 16:00, replied Tue 11-24 10:00, both on time; callback 满意 → closed.
          Judged on round 2 alone it would be on time for both; the late first reply makes it overdue.
      R2  Round 1: signed 13:45 — LATE (sign-by 11:00), replied Wed 11-18 10:00 (on time). Callback 11-18
          15:00 不满意 → reopened: sign by 17:00, reply by Wed 11-25 15:00. Round 2: signed 15:30, replied
          Thu 11-19 10:00, both on time; callback 满意. Signed late once, so not signed on time.
      R3  Round 1: signed 10:00, replied Tue 11-17 10:00, both on time. Callback Mon 11-30 17:00 不满意 →
          reopened: the new clock has 30 min left on Monday, so sign by Tue 12-01 10:30 (after as_of) and
          reply by Mon 12-07 17:00 (0.5 h + 4 × 7 h + 6.5 h = 35 h). Round 2 is not due yet, but round 1 was
          due and on time, so R3 is due to sign and to reply, and on time for both. (Judged on the latest
          round alone, R3 was due for neither.)

    due_to_sign 3 (every one signed at least once), signed_on_time 2 (R1 R3); due_to_reply 3,
    replied_on_time 2 (R2 R3), overdue 1 (R1). sign_on_time = reply_on_time = 2/3 = 0.6667.
    Before this rule (latest round only): due_to_sign 2 / on time 2, due_to_reply 2 / on time 2.
    """
    desk = Desk(api, clock)
    monday = at(2026, 11, 16, 9)
    r1, r2, r3 = (desk.new(monday, "zjj") for _ in range(3))
    desk.sign(r1, at(2026, 11, 16, 10))
    desk.sign(r3, at(2026, 11, 16, 10))
    desk.sign(r2, at(2026, 11, 16, 13, 45))
    desk.reply(r3, at(2026, 11, 17, 10))
    desk.reply(r2, at(2026, 11, 18, 10))
    assert desk.callback(r2, at(2026, 11, 18, 15), "unsatisfied", solved=False)["status"] == "dispatched"
    desk.sign(r2, at(2026, 11, 18, 15, 30))
    desk.reply(r2, at(2026, 11, 19, 10))
    desk.callback(r2, at(2026, 11, 20, 10))
    desk.reply(r1, at(2026, 11, 23, 10))
    assert desk.callback(r1, at(2026, 11, 23, 15), "unsatisfied", solved=False)["status"] == "dispatched"
    desk.sign(r1, at(2026, 11, 23, 16))
    desk.reply(r1, at(2026, 11, 24, 10))
    desk.callback(r1, at(2026, 11, 25, 10))
    assert desk.callback(r3, at(2026, 11, 30, 17), "unsatisfied", solved=False)["status"] == "dispatched"
    r3_now = desk.ticket(r3, AS_OF)
    assert (local(r3_now["sign_by"]), local(r3_now["reply_by"])) == (at(2026, 12, 1, 10, 30), at(2026, 12, 7, 17))
    assert r3_now["signed_at"] is None and r3_now["replied_at"] is None  # the reopen cleared round 1

    zjj = line_of(api.get("/reports/monthly/2026-11", "supervisor").json, "zjj")
    figures = {k: zjj[k] for k in ("handled", "due_to_sign", "signed_on_time", "due_to_reply", "replied_on_time",
                                    "overdue", "replied", "reopened")}
    assert figures == {"handled": 3, "due_to_sign": 3, "signed_on_time": 2, "due_to_reply": 3,
                       "replied_on_time": 2, "overdue": 1, "replied": 3, "reopened": 3}
    assert (zjj["rates"]["sign_on_time"], zjj["rates"]["reply_on_time"]) == (0.6667, 0.6667)
    # Every callback judges its round too: R1 不满意 11-23 then 满意 11-25, R2 不满意 11-18 then 满意 11-20,
    # R3 不满意 11-30 → 5 reached, 2 solved and satisfied, 3 unsatisfied: 满意率 2/5 (latest only: 2/3).
    callbacks = {k: zjj[k] for k in ("reached", "solved", "satisfied", "basically_satisfied", "unsatisfied")}
    assert callbacks == {"reached": 5, "solved": 2, "satisfied": 2, "basically_satisfied": 0, "unsatisfied": 3}
    assert (zjj["rates"]["satisfaction"], zjj["rates"]["solved"], zjj["called_back"]) == (0.4, 0.4, 3)
