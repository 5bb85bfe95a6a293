"""每月一通报's 分级 section: November 2026 by hand, tickets received in the month counted by their grade.

  G0  created Sat 10-31 23:30 (October, in Hengyang's zone): B, counts in October only.
  G1  Mon 11-02 09:00, answered on the call (即来即办): A.
  G2  Mon 11-02 09:05, answered on the call: A.
  G3  Mon 11-16 09:00, dispatched to zjj: B (every dispatch's default).
  G4  Mon 11-16 09:00, dispatched to zjj: B at first, then the dispatcher grades it C with jtj co-handling.
  G5  Mon 11-16 09:00, entered as D by the operator (a city leader must decide).
  G6  Mon 11-16 09:00, B, then the supervisor changes it to D: a change counts with the grade it has now.
  G7  Mon 11-30 23:59: B, the month's last minute.
  G8  Tue 12-01 00:00: December, not counted.

November: A 2, B 2 (G3, G7), C 1 (G4), D 2 (G5, G6), total 7. October: B 1.
"""
from tests.builders import at
from tests.hotline.api.helpers import BY_HAND, Desk

pytestmark = BY_HAND


def test_november_by_grade_matches_the_hand_count(api, clock):
    desk = Desk(api, clock)
    desk.new(at(2026, 10, 31, 23, 30), None)
    for minute in (0, 5):
        desk.new(at(2026, 11, 2, 9, minute), None, resolved_on_call=True, reply="已当场答复。")
    g3 = desk.new(at(2026, 11, 16, 9), "zjj")
    g4 = desk.new(at(2026, 11, 16, 9), "zjj")
    desk.call("POST", f"/tickets/{g4}/grade", "dispatcher", at(2026, 11, 16, 10),
              {"grade": "C", "lead": "zjj", "co_units": ["jtj"]})
    g5 = desk.new(at(2026, 11, 16, 9), "zjj", grade="D")
    g6 = desk.new(at(2026, 11, 16, 9), "zjj")
    desk.call("POST", f"/tickets/{g6}/grade", "supervisor", at(2026, 11, 17, 10), {"grade": "D"})
    desk.new(at(2026, 11, 30, 23, 59), None)
    desk.new(at(2026, 12, 1, 0, 0), None)
    assert [desk.ticket(n)["grade"] for n in (g3, g4, g5, g6)] == ["B", "C", "D", "D"]
    clock.set(at(2026, 12, 1, 10))
    report = api.get("/reports/monthly/2026-11", "supervisor").json
    assert report["grades"] == {"A": 2, "B": 2, "C": 1, "D": 2, "total": 7}
    october = api.get("/reports/monthly/2026-10", "supervisor").json
    assert october["grades"] == {"A": 0, "B": 1, "C": 0, "D": 0, "total": 1}
    # Published, the section is frozen with the rest of the report.
    published = api.post("/reports/monthly/2026-11/publish", "supervisor", {"note": ""})
    assert published.status_code == 201, published.json
    assert published.json["grades"]["total"] == 7
