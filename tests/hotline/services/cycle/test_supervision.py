"""每季一督办: the quarterly job opens cases for the four reasons; 三单; 销号 only with a written resolution."""
import pytest
from sqlalchemy import func, select, update

from models import SupervisionCase, Ticket

from tests.builders import at, ticket_row
from tests.hotline.api.helpers import BY_HAND, Desk

pytestmark = BY_HAND
RUN_AT = at(2027, 1, 6, 8)  # `cycle due` runs 2026Q4 five days after it ends, at 08:00


def build_quarter(desk: Desk, session) -> dict[str, str]:
    """One ticket per reason, plus near misses that must not open a case."""
    t = {}
    # Repeat complaints: `original` is repeated three times in Q4 (a case); `twice` only twice (no case).
    t["original"] = desk.new(at(2026, 9, 28, 9), "cgj")
    t["twice"] = desk.new(at(2026, 10, 12, 9), "cgj")
    repeats = [desk.new(at(2026, 10, 20 + i, 9), "cgj") for i in range(3)]
    repeats_of_twice = [desk.new(at(2026, 11, 2 + i, 9), "cgj") for i in range(2)]
    for number in repeats:
        session.execute(update(Ticket).where(Ticket.number == number)
                        .values(repeat_of_id=ticket_row(session, t["original"]).id))
    for number in repeats_of_twice:
        session.execute(update(Ticket).where(Ticket.number == number)
                        .values(repeat_of_id=ticket_row(session, t["twice"]).id))
    session.commit()
    for number in [t["original"], t["twice"], *repeats, *repeats_of_twice]:  # all handled in time: no other reason
        created = desk.ticket(number)["created_at"]
        day = at(int(created[:4]), int(created[5:7]), int(created[8:10]), 10)
        desk.sign(number, day, "cgj")
        desk.reply(number, day.replace(hour=15), "cgj")
    # Long overdue: dispatched Monday 11-16, never replied; more than 5 working days late from Monday 11-30 09:00.
    t["overdue"] = desk.new(at(2026, 11, 16, 9), "zjj")
    desk.sign(t["overdue"], at(2026, 11, 16, 10))
    # Late, but by less than 5 working days before the quarter ended: no case this quarter.
    t["late"] = desk.new(at(2026, 12, 21, 9), "zjj")
    desk.sign(t["late"], at(2026, 12, 21, 10))
    # Unsatisfied after a reopen: 不满意, reopened, replied again, 不满意 again.
    t["unsatisfied"] = desk.new(at(2026, 12, 1, 9), "jtj")
    desk.sign(t["unsatisfied"], at(2026, 12, 1, 9, 30), "jtj")
    desk.reply(t["unsatisfied"], at(2026, 12, 2, 9), "jtj")
    desk.callback(t["unsatisfied"], at(2026, 12, 2, 15), "unsatisfied", solved=False)
    desk.sign(t["unsatisfied"], at(2026, 12, 3, 9), "jtj")
    desk.reply(t["unsatisfied"], at(2026, 12, 4, 9), "jtj")
    desk.callback(t["unsatisfied"], at(2026, 12, 28, 15), "unsatisfied", solved=True)  # reopened: due in Q1
    # Unsatisfied once, without an earlier reopen: no case.
    t["once"] = desk.new(at(2026, 12, 1, 9), "jtj")
    desk.sign(t["once"], at(2026, 12, 1, 9, 30), "jtj")
    desk.reply(t["once"], at(2026, 12, 2, 9), "jtj")
    desk.callback(t["once"], at(2026, 12, 2, 15), "unsatisfied", solved=False)
    desk.sign(t["once"], at(2026, 12, 3, 9), "jtj")
    desk.reply(t["once"], at(2026, 12, 4, 9), "jtj")
    desk.callback(t["once"], at(2026, 12, 4, 15))  # satisfied the second time
    # Difficult (疑难), flagged in Q4; another flagged in Q3 has no Q4 case.
    t["difficult"] = desk.new(at(2026, 12, 7, 9), "gaj")
    desk.call("POST", f"/tickets/{t['difficult']}/difficult", "supervisor", at(2026, 12, 7, 10),
              {"reason": "涉及多个部门，职责不清"})
    desk.sign(t["difficult"], at(2026, 12, 7, 10, 30), "gaj")
    desk.reply(t["difficult"], at(2026, 12, 8, 10), "gaj")
    t["difficult_q3"] = desk.new(at(2026, 9, 7, 9), "gaj")
    desk.call("POST", f"/tickets/{t['difficult_q3']}/difficult", "supervisor", at(2026, 9, 7, 10), {"reason": "疑难"})
    return t


@pytest.fixture
def quarter(api, clock, session, runner) -> dict[str, str]:
    """The quarter built and its job run."""
    numbers = build_quarter(Desk(api, clock), session)
    clock.set(RUN_AT)
    result = runner.invoke(args=["cycle", "quarterly"])
    assert result.exit_code == 0, result.output
    assert "quarterly 2026Q4: done" in result.output
    return numbers


def cases_by_number(api, user="supervisor", query="?quarter=2026Q4") -> dict[str, dict]:
    """The listed cases keyed by ticket number."""
    response = api.get(f"/supervision{query}", user)
    assert response.status_code == 200, response.json
    return {case["ticket"]["number"]: case for case in response.json["items"]}


def test_the_quarterly_job_opens_a_case_per_reason(api, quarter, runner, session):
    cases = cases_by_number(api)
    assert set(cases) == {quarter[name] for name in ("original", "overdue", "unsatisfied", "difficult")}
    assert cases[quarter["original"]]["reasons"] == ["repeat_complaint"]
    assert cases[quarter["original"]]["details"] == {"repeats_in_quarter": 3}
    assert "本季度重复来电3次" in cases[quarter["original"]]["lists"]["problem"]
    assert cases[quarter["overdue"]]["reasons"] == ["long_overdue"]
    assert cases[quarter["unsatisfied"]]["reasons"] == ["unsatisfied_after_reopen"]
    assert cases[quarter["difficult"]]["reasons"] == ["difficult"]
    # 分级解决: difficult tickets go to a city leader; the others to the head of the unit.
    assert {n: c["level"] for n, c in cases.items()} == {
        quarter["original"]: "department_head", quarter["overdue"]: "department_head",
        quarter["unsatisfied"]: "department_head", quarter["difficult"]: "city_leader"}
    case = cases[quarter["overdue"]]
    assert case["lists"]["responsibility"]["department"]["code"] == "zjj"
    assert (case["status"], case["quarter"], case["opened_by"]) == ("open", "2026Q4", None)
    # Ten working days from Wednesday 2027-01-06 08:00 (before opening): 01-06 … 01-19, to Tuesday's close.
    assert case["deadline"] == "2027-01-19T17:30:00+08:00"
    events = api.get(f"/tickets/{quarter['overdue']}", "supervisor").json["events"]
    assert events[-1]["action"] == "supervised" and events[-1]["data"]["quarter"] == "2026Q4"
    # A second run changes nothing.
    assert "already run" in runner.invoke(args=["cycle", "quarterly", "--period", "2026Q4"]).output
    assert session.scalar(select(func.count()).select_from(SupervisionCase)) == 4


def test_three_lists_and_closing_with_a_written_resolution(api, quarter, clock):
    case = cases_by_number(api)[quarter["overdue"]]
    path = f"/supervision/{case['id']}"
    # Closing needs a resolution …
    assert api.post(f"{path}/close", "supervisor", {}).json["field"] == "resolution"
    assert api.post(f"{path}/close", "supervisor", {"resolution": "   "}).json["field"] == "resolution"
    # … a responsible person (责任清单) …
    refused = api.post(f"{path}/close", "supervisor", {"resolution": "已整改"})
    assert (refused.status_code, refused.json["field"]) == (409, "responsible_person")
    # … and every rectification step done (整改清单).
    steps = [{"action": "约谈承办科室负责人", "deadline": "2027-01-08", "done": True},
             {"action": "现场复查整改结果", "deadline": "2027-01-15"}]
    updated = api.call("PATCH", path, "supervisor", json={"responsible_person": "住建局 李科长", "rectification": steps})
    assert updated.status_code == 200, updated.json
    assert updated.json["lists"]["rectification"][1] == {"action": "现场复查整改结果", "deadline": "2027-01-15",
                                                         "done": False}
    refused = api.post(f"{path}/close", "supervisor", {"resolution": "已整改"})
    assert (refused.status_code, refused.json["field"]) == (409, "rectification")
    assert "现场复查整改结果" in refused.json["message"]
    steps[1]["done"] = True
    api.call("PATCH", path, "supervisor", json={"rectification": steps, "level": "city_leader"})
    clock.set(at(2027, 1, 12, 10))
    # The ticket itself is still open (signed, never replied): closing the case anyway needs a reason.
    refused = api.post(f"{path}/close", "supervisor", {"resolution": "已督促住建局完成维修，群众认可。"})
    assert (refused.status_code, refused.json["error"], refused.json["field"]) == (
        409, "supervision_ticket_open", "open_ticket_reason")
    closed = api.post(f"{path}/close", "supervisor", {"resolution": "已督促住建局完成维修，群众认可。",
                                                      "open_ticket_reason": "整改措施已落实，工单待住建局回复"})
    assert closed.status_code == 200, closed.json
    assert closed.json["details"]["closed_while_ticket_open"] == {"status": "signed",
                                                                  "reason": "整改措施已落实，工单待住建局回复"}
    assert (closed.json["status"], closed.json["closed_by"], closed.json["level"]) == ("closed", "supervisor",
                                                                                        "city_leader")
    assert closed.json["closed_at"] == "2027-01-12T10:00:00+08:00"
    assert api.post(f"{path}/close", "supervisor", {"resolution": "再次"}).status_code == 409
    assert api.call("PATCH", path, "supervisor", json={"problem": "改"}).status_code == 409
    events = api.get(f"/tickets/{quarter['overdue']}", "supervisor").json["events"]
    assert events[-1]["action"] == "supervision_closed" and events[-1]["data"]["on_time"] is True
    assert events[-1]["data"]["ticket_open"]["status"] == "signed"
    assert cases_by_number(api, query="?quarter=2026Q4&status=closed").keys() == {quarter["overdue"]}
    assert quarter["overdue"] not in cases_by_number(api, query="")  # the default list: open cases


def test_a_case_past_its_deadline_makes_the_ticket_black(api, quarter, clock):
    number = quarter["difficult"]  # replied in time: green until its case misses its deadline
    clock.set(at(2027, 1, 19, 17, 30))
    assert api.get(f"/tickets/{number}", "supervisor").json["flag"] == "green"
    clock.set(at(2027, 1, 19, 17, 31))
    assert api.get(f"/tickets/{number}", "supervisor").json["flag"] == "black"
    assert cases_by_number(api)[number]["overdue"] is True


def test_departments_see_their_own_cases(api, quarter):
    assert set(cases_by_number(api, "zjj")) == {quarter["overdue"]}
    other = cases_by_number(api)[quarter["difficult"]]["id"]
    assert api.get(f"/supervision/{other}", "zjj").status_code == 404
    assert api.post(f"/supervision/{other}/close", "zjj", {"resolution": "x"}).status_code == 403
    assert api.get("/supervision", "operator").status_code == 403
    assert api.get("/supervision/999999", "supervisor").status_code == 404
    assert api.get("/supervision/99999999999999999999", "supervisor").status_code == 404


@pytest.mark.parametrize("query", ["2026Q5", "2026Q0", "2026-4", "Q4", "fourth", "2026q4x"])
def test_impossible_quarters_are_400(api, query):
    response = api.get(f"/supervision?quarter={query}", "supervisor")
    assert response.status_code == 400 and response.json["field"] == "quarter"


def test_bad_case_updates_are_400(api, quarter):
    case_id = cases_by_number(api)[quarter["overdue"]]["id"]
    for body, field in [({"level": "mayor"}, "level"),
                        ({"rectification": [{"action": "x", "deadline": "2027-02-30"}]}, "rectification.0.deadline"),
                        ({"rectification": [{"deadline": "2027-02-03"}]}, "rectification.0.action"),
                        ({"responsible_person": 7}, "responsible_person")]:
        response = api.call("PATCH", f"/supervision/{case_id}", "supervisor", json=body)
        assert (response.status_code, response.json["field"]) == (400, field)
