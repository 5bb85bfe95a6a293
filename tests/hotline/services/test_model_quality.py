"""The model page's figures on real outcomes: a return or a reassignment is a misroute."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.services import model_quality
from models import Category, EventAction, RetrainDecision, RetrainOutcome, TicketEvent, TicketStatus

from ...builders import department, make_ticket
from .conftest import NOW


@pytest.fixture
def category(session):
    return lambda name: session.scalar(select(Category).where(Category.name == name))


def routed(session, version, predicted, final, unit, final_unit, *, returns=0, auto=False, days_ago=1):
    """A ticket `version` predicted as `predicted` for `unit`, which ended as `final` at `final_unit`."""
    ticket = make_ticket(session, NOW - timedelta(days=days_ago), status=TicketStatus.DISPATCHED,
                         model_version=version, predicted_category=predicted,
                         predicted_department_id=department(session, unit).id,
                         category_id=session.scalar(select(Category.id).where(Category.name == final)),
                         department_id=department(session, final_unit).id, return_count=returns)
    if auto:
        session.add(TicketEvent(ticket_id=ticket.id, at=ticket.created_at, action=EventAction.ROUTED))
    session.flush()
    return ticket


def test_precision_recall_auto_share_and_costly_confusions_by_hand(session):
    v = "20261101T000000-aaaaaaaa-0001"
    for _ in range(6):
        routed(session, v, "城建", "城建", "zjj", "zjj", auto=True)  # right
    routed(session, v, "城建", "城建", "zjj", "zjj", returns=1)  # returned, then back to the same: a misroute
    for _ in range(2):
        routed(session, v, "城建", "交通", "zjj", "jtj", returns=1, auto=True)  # returned, went to 交通
    routed(session, v, "交通", "交通", "jtj", "jtj")  # right
    routed(session, v, "交通", "城建", "jtj", "zjj")  # reassigned by the dispatcher without a return
    routed(session, v, "交通", "交通", "jtj", "jtj", days_ago=31)  # outside the window
    routed(session, "other-version", "交通", "交通", "jtj", "jtj")
    make_ticket(session, NOW - timedelta(days=1), model_version=v, predicted_category="交通")  # not dispatched yet

    q = model_quality.version_quality(session, v, NOW)
    # 12 tickets of this version in the window, 11 with an outcome; 8 auto-dispatched.
    assert (q["tickets"], q["judged"], q["auto_share"]) == (12, 11, 8 / 12)
    by = {c["category"]: c for c in q["categories"]}
    # 城建: predicted 9 (6 right), actually 城建 8 (7 + the reassigned 交通 one), 6 right.
    assert (by["城建"]["precision"], by["城建"]["recall"]) == (6 / 9, 6 / 8)
    # 交通: predicted 2 (1 right), actually 交通 3 (2 from 城建 + 1), 1 right.
    assert (by["交通"]["precision"], by["交通"]["recall"]) == (1 / 2, 1 / 3)
    assert q["misroute_rate"] == 1 - 7 / 11
    assert q["confusions"] == [{"predicted": "城建", "actual": "交通", "tickets": 2, "returns": 2},
                               {"predicted": "交通", "actual": "城建", "tickets": 1, "returns": 0}]


def test_the_predecessor_is_the_champion_the_active_version_replaced(session, tmp_path):
    session.add(RetrainDecision(decided_at=NOW, outcome=RetrainOutcome.PROMOTED, reason="retrain_no_worse",
                                champion_version="v1", challenger_version="v3", holdout=200, history=900,
                                scores={"note": {"code": "retrain_no_worse",
                                                 "params": {"champion": "v1", "holdout": 200}}}))
    session.flush()
    for v in ("v1", "v2", "v3"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "metadata.json").write_text("{}", encoding="utf-8")
    assert model_quality.predecessor(session, tmp_path, "v3") == "v1"
    assert model_quality.predecessor(session, tmp_path, "v2") == "v1"  # no decision: the previous one on disk
    assert model_quality.predecessor(session, tmp_path, None) is None
    page = model_quality.overview(session, tmp_path, "v3", NOW)
    assert [q["version"] for q in page["quality"]] == ["v3", "v1"]
    assert page["decisions"][0]["outcome"] == "promoted"
    assert page["decisions"][0]["note_text"] == "promoted: no worse than v1 on 200 recent tickets"
