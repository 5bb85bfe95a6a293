"""每年一考核: a score per unit from the year's response, solved and satisfaction rates, ranked."""
import pytest

from tests.builders import at
from tests.hotline.api.helpers import BY_HAND, Desk

pytestmark = BY_HAND


def build_year(desk: Desk) -> None:
    """2026: four units; every ticket a complaint dispatched on a Monday 09:00 (sign by 11:00)."""
    # zjj and rsj alike: one signed on time, one late (response 1/2); zjj's both solved and 满意 (2/2, 2/2).
    for unit in ("zjj", "rsj"):
        for day, signed in ((16, at(2026, 11, 16, 10)), (23, at(2026, 11, 23, 14))):
            number = desk.new(at(2026, 11, day, 9), unit)
            desk.sign(number, signed, unit)
            desk.reply(number, at(2026, 11, day + 1, 10), unit)
            if unit == "rsj" and day == 23:
                # Every callback judges its round: unsolved and 不满意 11-25 → 重办 (sign by 12:00), signed
                # 11:00, replied 11-26, then 满意 11-27. rsj: 3 callbacks, 2 solved and 满意 (2/3, 2/3).
                desk.callback(number, at(2026, 11, 25, 10), "unsatisfied", solved=False)
                desk.sign(number, at(2026, 11, 25, 11), unit)
                desk.reply(number, at(2026, 11, 26, 10), unit)
                desk.callback(number, at(2026, 11, 27, 10))
            else:
                desk.callback(number, at(2026, 11, day + 2, 10))
    # jtj: signed on time, solved, 基本满意: 1/1 everywhere.
    number = desk.new(at(2026, 3, 2, 9), "jtj")
    desk.sign(number, at(2026, 3, 2, 9, 30), "jtj")
    desk.reply(number, at(2026, 3, 3, 9), "jtj")
    desk.callback(number, at(2026, 3, 4, 9), "basically_satisfied")
    # gaj: nobody could be reached (无法联系): no solved or satisfaction rate, so no score and no rank.
    number = desk.new(at(2026, 6, 1, 9), "gaj")
    desk.sign(number, at(2026, 6, 1, 9, 30), "gaj")
    desk.reply(number, at(2026, 6, 2, 9), "gaj")
    for hour in (9, 11, 14):  # unreached attempts at least CALLBACK_RETRY_HOURS apart
        desk.callback(number, at(2026, 6, 3, hour), reached=False)
    # Dispatched in 2025: not in 2026's assessment.
    number = desk.new(at(2025, 12, 29, 9), "jtj")
    desk.sign(number, at(2025, 12, 29, 15), "jtj")
    desk.clock.set(at(2027, 1, 11, 9))


def scores(report: dict) -> dict[str, tuple]:
    """code → (score, rank, response, solved, satisfaction) of the units with work."""
    return {line["department"]["code"]: (line["score"], line["rank"], line["rates"]["sign_on_time"],
                                         line["rates"]["solved"], line["rates"]["satisfaction"])
            for line in report["departments"] if line["assigned"]}


def test_scores_and_ranks_with_the_default_weights(api, clock, runner):
    build_year(Desk(api, clock))
    report = api.get("/assessment/2026", "supervisor").json
    assert report["source"] == "live" and report["weights"] == {"response": 20, "solved": 40, "satisfaction": 40}
    # zjj: 100 × (20 × 1/2 + 40 × 1 + 40 × 1) / 100 = 90; jtj: 100; rsj: 10 + 40 × 2/3 + 40 × 2/3 = 63.33
    # (its reopened round is not a clean record: judged on the latest callback only it would tie zjj's 90).
    assert scores(report) == {
        "jtj": (100.0, 1, 1.0, 1.0, 1.0),
        "rsj": (63.33, 3, 0.5, 0.6667, 0.6667),
        "zjj": (90.0, 2, 0.5, 1.0, 1.0),
        "gaj": (None, None, 1.0, None, None),
    }
    assert [line["department"]["code"] for line in report["departments"][:4]] == ["jtj", "zjj", "rsj", "gaj"]
    assert report["city"]["assigned"] == 6  # 2 + 2 + 1 + 1; the 2025 ticket is not counted
    # The annual job publishes it; GET then answers with the snapshot.
    result = runner.invoke(args=["cycle", "annual"])
    assert "annual 2026: done" in result.output and '"published_revision": 1' in result.output
    published = api.get("/assessment/2026", "supervisor").json
    assert published["source"] == "snapshot" and published["published"]["published_by"] is None
    assert scores(published) == scores(report)
    assert api.get("/assessment/2026", "zjj").json["departments"][0]["rank"] == 2
    assert len(api.get("/assessment/2026", "zjj").json["departments"]) == 1
    assert api.get("/assessment/2026", "dispatcher").status_code == 403
    assert api.get("/assessment/2026?format=html", "admin").data.decode().count("<svg") == 3


@pytest.mark.app_config(ASSESSMENT_WEIGHTS={"response": 50, "solved": 25, "satisfaction": 25})
def test_weights_are_configuration(api, clock):
    build_year(Desk(api, clock))
    report = api.get("/assessment/2026", "supervisor").json
    # zjj: 100 × (50 × 1/2 + 25 + 25) / 100 = 75.
    assert scores(report)["zjj"][:2] == (75.0, 2)
    assert scores(report)["jtj"][:2] == (100.0, 1)
    # rsj: 50 × 1/2 + 25 × 2/3 + 25 × 2/3 = 58.33.
    assert scores(report)["rsj"][:2] == (58.33, 3)


def test_the_current_year_cannot_be_published(api, clock):
    clock.set(at(2026, 12, 31, 23))
    response = api.post("/assessment/2026/publish", "supervisor", {})
    assert (response.status_code, response.json["field"]) == (400, "period")
    assert api.get("/assessment/2027", "supervisor").json["field"] == "period"  # not started
