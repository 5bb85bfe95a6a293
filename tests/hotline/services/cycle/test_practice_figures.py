"""September 2026 worked by hand: a pause, emergency hand-offs and an accepted 申诉/核减 in the monthly report.

zjj gets three complaints on Tue 22 Sep 09:00, signs them at 09:30 (reply-by Tue 29 Sep 17:30, see
test_pauses.py for the calendar):
  A  paused Wed 23 Sep 14:00 (approved), resumed Tue 29 Sep 10:00 → 1110 working minutes, reply-by Fri 9 Oct 15:00;
     replied Thu 8 Oct 10:00: on time (without the pause it would be late);
  B  replied Thu 8 Oct 10:00: late;
  C  replied Wed 23 Sep 10:00, called back satisfied Thu 24 Sep 10:00 (closed, so rolled up by the daily job).
Emergency hand-offs: 110 on 10 Sep, 120 on 30 Sep 23:00, 119 on 1 Oct 00:30 (October's).
So zjj's September line: assigned 3, due to reply 3, on time 2 (overdue 1, rate 0.6667), paused 1 for 1110
minutes; city-wide 2 hand-offs (110: 1, 120: 1). Published 8 Oct 12:00; zjj appeals B's late reply on 9 Oct
and the supervisor accepts on 10 Oct: revision 2 has due to reply 2, on time 2 (overdue 0, rate 1.0);
revision 1 still reads as before, and the live figures leave B's late reply out too.
"""
import pytest

from hotline.services import count_appeals, emergency, pauses, workflow
from hotline.services.cycle import assessment, periods, publishing, rollups
from hotline.services.errors import InvalidInput, InvalidTransition, NotFound
from models import CountAppealItem, CountAppealStatus, EventAction, PauseReason, ReportKind, Satisfaction
from tests.builders import REPLY, actions, at, dispatched, received, signed, user

MONTHLY = ReportKind.MONTHLY
PUBLISHED, FILED, DECIDED = at(2026, 10, 8, 12), at(2026, 10, 9, 10), at(2026, 10, 10, 10)


@pytest.fixture
def september(session, policy):
    """The month above, up to its publication; returns tickets A, B, C."""
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    a, b, c = (signed(session, policy, at(2026, 9, 22, 9)) for _ in range(3))
    pauses.request_pause(session, a, PauseReason.WAITING_CITIZEN, "等待市民提供材料", 3, zjj, policy, at(2026, 9, 23, 10))
    pauses.decide_pause(session, a, True, supervisor, policy, at(2026, 9, 23, 14))
    pauses.resume(session, a, zjj, policy, at(2026, 9, 29, 10))
    workflow.reply(session, c, REPLY, zjj, at(2026, 9, 23, 10), policy=policy)
    workflow.record_callback(session, c, supervisor, policy, at(2026, 9, 24, 10), reached=True, solved=True,
                             satisfaction=Satisfaction.SATISFIED)
    for ticket in (a, b):
        workflow.reply(session, ticket, REPLY, zjj, at(2026, 10, 8, 10), policy=policy)
    for moment, service in ((at(2026, 9, 10, 15), "110"), (at(2026, 9, 30, 23), "120"), (at(2026, 10, 1, 0, 30), "119")):
        emergency.hand_off(session, received(session, moment), service, "已告知报警人位置", user(session, "operator"),
                           policy, moment)
    rollups.roll_up(session, at(2026, 10, 8, 11))  # C is closed: its figures come from the rollup row
    session.flush()
    return a, b, c


def zjj_line(body):
    return next(line for line in body["departments"] if line["department"]["code"] == "zjj")


def test_the_month_counts_the_pause_and_the_hand_offs(session, policy, september):
    body = publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, user(session, "supervisor"))
    line = zjj_line(body)
    assert (line["assigned"], line["due_to_reply"], line["replied_on_time"], line["overdue"]) == (3, 3, 2, 1)
    assert line["rates"]["reply_on_time"] == 0.6667
    assert (line["paused"], line["paused_minutes"]) == (1, 1110)
    assert (body["city"]["paused"], body["city"]["paused_minutes"]) == (1, 1110)
    assert body["emergency"] == {"total": 2, "by_service": {"110": 1, "120": 1}}
    assert body["count_appeals"] == []


def test_an_accepted_appeal_makes_a_new_revision_and_the_old_one_stays(session, policy, september):
    a, b, c = september
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, supervisor)
    appeal = count_appeals.file_appeal(session, b.number, "2026-09", CountAppealItem.LATE_REPLY, "市民要求延后上门",
                                       zjj, policy, FILED)
    assert appeal.status == CountAppealStatus.PENDING and actions(b)[-1] == EventAction.COUNT_APPEAL_FILED
    count_appeals.decide(session, appeal.id, True, supervisor, policy, DECIDED, "情况属实")
    assert appeal.status == CountAppealStatus.ACCEPTED and appeal.revision == 2
    assert appeal.excluded == {"due_to_reply": 1}
    assert actions(b)[-1] == EventAction.COUNT_APPEAL_ACCEPTED and b.events[-1].data["revision"] == 2
    latest = publishing.show(session, MONTHLY, "2026-09", policy, DECIDED)
    line = zjj_line(latest)
    assert latest["published"]["revision"] == 2 and [r["revision"] for r in latest["revisions"]] == [1, 2]
    assert (line["due_to_reply"], line["replied_on_time"], line["overdue"]) == (2, 2, 0)
    assert line["rates"]["reply_on_time"] == 1.0
    assert latest["city"]["due_to_reply"] == 2 and latest["city"]["overdue"] == 0
    assert [x["ticket"] for x in latest["count_appeals"]] == [b.number]
    first = zjj_line(publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, revision=1))
    assert (first["due_to_reply"], first["overdue"]) == (3, 1)
    live = zjj_line(publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, live_figures=True))
    assert (live["due_to_reply"], live["replied_on_time"], live["paused_minutes"]) == (2, 2, 1110)


def test_a_rejected_appeal_changes_nothing_but_is_an_event(session, policy, september):
    _, b, _ = september
    publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, user(session, "supervisor"))
    appeal = count_appeals.file_appeal(session, b.number, "2026-09", CountAppealItem.LATE_REPLY, "理由",
                                       user(session, "zjj"), policy, FILED)
    count_appeals.decide(session, appeal.id, False, user(session, "supervisor"), policy, DECIDED, "不属实")
    assert appeal.status == CountAppealStatus.REJECTED and actions(b)[-1] == EventAction.COUNT_APPEAL_REJECTED
    assert publishing.show(session, MONTHLY, "2026-09", policy, DECIDED)["published"]["revision"] == 1
    with pytest.raises(InvalidTransition, match="already rejected"):
        count_appeals.decide(session, appeal.id, True, user(session, "supervisor"), policy, DECIDED)


def test_what_may_be_appealed_and_when(session, policy, september):
    a, b, c = september
    zjj = user(session, "zjj")
    late = CountAppealItem.LATE_REPLY
    with pytest.raises(InvalidTransition, match="not published"):
        count_appeals.file_appeal(session, b.number, "2026-09", late, "理由", zjj, policy, FILED)
    publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, user(session, "supervisor"))
    with pytest.raises(InvalidInput) as error:  # A was on time thanks to its pause
        count_appeals.file_appeal(session, a.number, "2026-09", late, "理由", zjj, policy, FILED)
    assert error.value.code == "item_not_counted" and error.value.field == "item"
    with pytest.raises(InvalidInput) as error:
        count_appeals.file_appeal(session, b.number, "2026-08", late, "理由", zjj, policy, FILED)
    assert error.value.field == "period"
    with pytest.raises(InvalidInput) as error:
        count_appeals.file_appeal(session, b.number, "2026-09", late, " ", zjj, policy, FILED)
    assert error.value.field == "reason"
    with pytest.raises(NotFound):  # another unit's work order is no ticket of its
        count_appeals.file_appeal(session, b.number, "2026-09", late, "理由", user(session, "jtj"), policy, FILED)
    with pytest.raises(InvalidTransition, match="closed at"):  # 10 days after the first publication
        count_appeals.file_appeal(session, b.number, "2026-09", late, "理由", zjj, policy, at(2026, 10, 18, 12, 1))
    count_appeals.file_appeal(session, b.number, "2026-09", late, "理由", zjj, policy, FILED)
    with pytest.raises(InvalidTransition, match="already appealed"):
        count_appeals.file_appeal(session, b.number, "2026-09", late, "理由", zjj, policy, FILED)


def test_a_unit_sees_only_its_own_appeals(session, policy, september):
    _, b, _ = september
    publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, user(session, "supervisor"))
    appeal = count_appeals.file_appeal(session, b.number, "2026-09", CountAppealItem.LATE_REPLY, "理由",
                                       user(session, "zjj"), policy, FILED)
    assert list(session.scalars(count_appeals.listing(user(session, "zjj")))) == [appeal]
    assert list(session.scalars(count_appeals.listing(user(session, "jtj")))) == []
    assert list(session.scalars(count_appeals.listing(user(session, "supervisor")))) == [appeal]
    with pytest.raises(NotFound):
        count_appeals.get(session, appeal.id, user(session, "jtj"))


def test_an_emergency_hand_off_is_closed_with_no_clock(session, policy):
    ticket = received(session, at(2026, 9, 10, 15))
    emergency.hand_off(session, ticket, "119", "厨房起火，已告知地址", user(session, "operator"), policy,
                       at(2026, 9, 10, 15))
    assert ticket.status.value == "closed" and ticket.department_id is None and ticket.reply_by is None
    assert ticket.emergency_service == "119" and actions(ticket)[-1] == EventAction.EMERGENCY_HANDED_OFF
    assert list(session.scalars(emergency.handed_off("119"))) == [ticket]
    with pytest.raises(InvalidInput) as error:
        emergency.check("999", "x", policy)
    assert error.value.field == "emergency.service"
    with pytest.raises(InvalidInput) as error:
        emergency.check("110", " ", policy)
    assert error.value.field == "emergency.note"


def test_a_unit_reads_its_own_appeals_and_no_city_wide_hand_offs(session, policy, september):
    _, b, _ = september
    supervisor = user(session, "supervisor")
    publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, supervisor)
    appeal = count_appeals.file_appeal(session, b.number, "2026-09", CountAppealItem.LATE_REPLY, "理由",
                                       user(session, "zjj"), policy, FILED)
    count_appeals.decide(session, appeal.id, True, supervisor, policy, DECIDED)
    jtj = user(session, "jtj").department_id
    for live in (False, True):
        theirs = publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, live_figures=live, department_id=jtj)
        assert theirs["count_appeals"] == [] and theirs["emergency"] is None and theirs["city"] is None
    zjj = user(session, "zjj").department_id
    ours = publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, department_id=zjj)
    assert [a["ticket"] for a in ours["count_appeals"]] == [b.number]


def test_unsatisfied_and_returned_items_worked_by_hand(session, policy):
    """zjj in September: U replied 23 Sep, called back 24 Sep solved but 不满意 (reopened); R returned by zjj
    22 Sep 09:30; S replied 23 Sep and called back 满意. Line: assigned 3, returned 1, reached 2 (U, S),
    solved 2, unsatisfied 1 → satisfaction 1/2, return rate 1/3. Accepting U's 不满意 leaves reached 1, solved 1,
    unsatisfied 0 (satisfaction 1/1, solved 1/1, called back stays 2); accepting R's return leaves returned 0."""
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    u, s = (signed(session, policy, at(2026, 9, 22, 9)) for _ in range(2))
    r = dispatched(session, policy, at(2026, 9, 22, 9))
    workflow.return_ticket(session, r, "不属于本单位职责", zjj, policy, at(2026, 9, 22, 9, 30))
    for ticket, rating in ((u, Satisfaction.UNSATISFIED), (s, Satisfaction.SATISFIED)):
        workflow.reply(session, ticket, REPLY, zjj, at(2026, 9, 23, 10), policy=policy)
        workflow.record_callback(session, ticket, supervisor, policy, at(2026, 9, 24, 10), reached=True, solved=True,
                                 satisfaction=rating)
    session.flush()
    unit, september = zjj.department_id, periods.parse("monthly", "2026-09", policy.tz)
    assert count_appeals.counted_items(session, u.id, unit, september, policy, PUBLISHED) == {
        CountAppealItem.UNSATISFIED: {"unsatisfied": 1, "reached": 1, "solved": 1}}
    assert count_appeals.counted_items(session, r.id, unit, september, policy, PUBLISHED) == {
        CountAppealItem.RETURNED: {"returned": 1}}
    assert count_appeals.counted_items(session, s.id, unit, september, policy, PUBLISHED) == {}
    first = zjj_line(publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, supervisor))
    assert (first["assigned"], first["returned"], first["reached"], first["solved"], first["unsatisfied"]) == (3, 1, 2, 2, 1)
    assert (first["rates"]["satisfaction"], first["rates"]["return"]) == (0.5, 0.3333)
    for ticket, item in ((u, CountAppealItem.UNSATISFIED), (r, CountAppealItem.RETURNED)):
        appeal = count_appeals.file_appeal(session, ticket.number, "2026-09", item, "理由", zjj, policy, FILED)
        count_appeals.decide(session, appeal.id, True, supervisor, policy, DECIDED)
    latest = publishing.show(session, MONTHLY, "2026-09", policy, DECIDED)
    line = zjj_line(latest)
    assert latest["published"]["revision"] == 3
    assert (line["returned"], line["reached"], line["solved"], line["unsatisfied"], line["called_back"]) == (0, 1, 1, 0, 2)
    assert (line["rates"]["satisfaction"], line["rates"]["solved"], line["rates"]["return"]) == (1.0, 1.0, 0.0)
    live = zjj_line(publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, live_figures=True))
    assert (live["returned"], live["reached"], live["unsatisfied"]) == (0, 1, 0)


ANNUAL = ReportKind.ANNUAL


def test_the_years_assessment_leaves_out_the_accepted_appeals_of_its_months(session, policy, september):
    """The year as its months count it. zjj's 2026 up to 10 Oct: September's A, B, C above, R returned by zjj on
    22 Sep 09:30 (before signing: no reply due), and D of August (signed Mon 3 Aug 09:00, reply-by Fri 7 Aug 17:30,
    replied Fri 14 Aug: late). Before the appeals: assigned 5, returned 1 (return rate 1/5), due to reply 4 (A, B,
    C, D), on time 2 (A, C), overdue 2 (rate 0.5). Accepting B's late reply and R's return leaves due to reply 3,
    on time 2, overdue 1 (0.6667) and returned 0, as September's revision (2, 2, 0) plus August's D (1, 0, 1)."""
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    a, b, c = september
    r = dispatched(session, policy, at(2026, 9, 22, 9))
    workflow.return_ticket(session, r, "不属于本单位职责", zjj, policy, at(2026, 9, 22, 9, 30))
    d = signed(session, policy, at(2026, 8, 3, 9))
    assert d.reply_by == at(2026, 8, 7, 17, 30)
    workflow.reply(session, d, REPLY, zjj, at(2026, 8, 14, 10), policy=policy)
    session.flush()
    year = periods.parse("annual", "2026", policy.tz)
    publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, supervisor)
    before = zjj_line(assessment.compute(session, year, policy, FILED))
    assert (before["assigned"], before["returned"], before["due_to_reply"], before["replied_on_time"],
            before["overdue"]) == (5, 1, 4, 2, 2)
    assert (before["rates"]["reply_on_time"], before["rates"]["return"]) == (0.5, 0.2)
    for ticket, item in ((b, CountAppealItem.LATE_REPLY), (r, CountAppealItem.RETURNED)):
        appeal = count_appeals.file_appeal(session, ticket.number, "2026-09", item, "理由", zjj, policy, FILED)
        count_appeals.decide(session, appeal.id, True, supervisor, policy, DECIDED)
        assert "annual_revision" not in ticket.events[-1].data  # the year is not published yet
    body = assessment.compute(session, year, policy, DECIDED)
    line = zjj_line(body)
    assert (line["assigned"], line["returned"], line["due_to_reply"], line["replied_on_time"], line["overdue"]) == (
        5, 0, 3, 2, 1)
    assert (line["rates"]["reply_on_time"], line["rates"]["return"]) == (0.6667, 0.0)
    assert (body["city"]["due_to_reply"], body["city"]["overdue"], body["city"]["returned"]) == (3, 1, 0)
    assert sorted(x["ticket"] for x in body["count_appeals"]) == sorted([b.number, r.number])
    month = zjj_line(publishing.show(session, MONTHLY, "2026-09", policy, DECIDED))
    assert (month["due_to_reply"], month["replied_on_time"], month["returned"]) == (2, 2, 0)
    # A unit's own view is cut from the whole: the same figures and rank, no city line, only its appeals.
    own = assessment.compute(session, year, policy, DECIDED, zjj.department_id)
    assert [x["department"]["code"] for x in own["departments"]] == ["zjj"] and own["city"] is None
    assert (zjj_line(own)["due_to_reply"], zjj_line(own)["rank"]) == (3, line["rank"])
    assert assessment.compute(session, year, policy, DECIDED, user(session, "jtj").department_id)["count_appeals"] == []


def test_an_appeal_accepted_after_the_year_was_published_makes_a_new_revision_of_it(session, policy):
    """zjj's December: L and O signed Mon 7 Dec 09:00 (reply-by Fri 11 Dec 17:30); O replied Wed 9 Dec, L Tue 15 Dec
    (late). December and the year are published Mon 4 Jan 2027; L's late reply is appealed on 5 Jan and accepted
    on 6 Jan: both reports get revision 2 with due to reply 1, on time 1, overdue 0 (revision 1: 2, 1, 1)."""
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    late, on_time = (signed(session, policy, at(2026, 12, 7, 9)) for _ in range(2))
    assert late.reply_by == at(2026, 12, 11, 17, 30)
    workflow.reply(session, on_time, REPLY, zjj, at(2026, 12, 9, 10), policy=policy)
    workflow.reply(session, late, REPLY, zjj, at(2026, 12, 15, 10), policy=policy)
    published = at(2027, 1, 4, 12)
    publishing.publish(session, MONTHLY, "2026-12", policy, published, supervisor)
    publishing.publish(session, ANNUAL, "2026", policy, published, supervisor)
    appeal = count_appeals.file_appeal(session, late.number, "2026-12", CountAppealItem.LATE_REPLY, "市民要求延后上门",
                                       zjj, policy, at(2027, 1, 5, 10))
    decided = at(2027, 1, 6, 10)
    count_appeals.decide(session, appeal.id, True, supervisor, policy, decided)
    assert appeal.revision == 2 and late.events[-1].data["annual_revision"] == 2
    for kind, label in ((MONTHLY, "2026-12"), (ANNUAL, "2026")):
        latest = publishing.show(session, kind, label, policy, decided)
        assert latest["published"]["revision"] == 2, kind
        assert (zjj_line(latest)["due_to_reply"], zjj_line(latest)["replied_on_time"], zjj_line(latest)["overdue"]) \
            == (1, 1, 0)
        first = zjj_line(publishing.show(session, kind, label, policy, decided, revision=1))
        assert (first["due_to_reply"], first["replied_on_time"], first["overdue"]) == (2, 1, 1)
    live = zjj_line(publishing.show(session, ANNUAL, "2026", policy, decided, live_figures=True))
    assert (live["due_to_reply"], live["overdue"]) == (1, 0)
def test_an_accepted_appeal_takes_off_one_callback_of_a_reopened_ticket(session, policy):
    """Every round counts (docs/metrics.md §4), so an appeal excludes that one callback, not the ticket.

    zjj in September: V signed Tue 22 Sep 09:00, replied 23 Sep, called back 24 Sep unsolved and 不满意 →
    重办; signed and replied again 25 Sep, called back 28 Sep solved and 满意. Line: reached 2 (V's two
    callbacks), solved 1, satisfied 1, unsatisfied 1 → 满意率 1/2, 解决率 1/2. (Judged on the latest callback
    alone V was a clean 满意, with nothing to appeal.) Accepting the 不满意 leaves reached 1, solved 1 (the
    excluded callback was unsolved), satisfied 1, unsatisfied 0 → 1/1 and 1/1.
    W signed 22 Sep, replied 29 Sep (on time), called back Thu 8 Oct 10:00 solved but 不满意: the callback
    counts in October, so it is no September item, and it is one in October. 回访率 stays per work order:
    September's called back is 2 (V and W, both reached by the publication) and stays 2 after the appeal.
    """
    zjj, supervisor = user(session, "zjj"), user(session, "supervisor")
    v, w = (signed(session, policy, at(2026, 9, 22, 9)) for _ in range(2))
    workflow.reply(session, v, REPLY, zjj, at(2026, 9, 23, 10), policy=policy)
    workflow.record_callback(session, v, supervisor, policy, at(2026, 9, 24, 10), reached=True, solved=False,
                             satisfaction=Satisfaction.UNSATISFIED)
    workflow.sign(session, v, zjj, at(2026, 9, 25, 9))
    workflow.reply(session, v, REPLY, zjj, at(2026, 9, 25, 10), policy=policy)
    workflow.record_callback(session, v, supervisor, policy, at(2026, 9, 28, 10), reached=True, solved=True,
                             satisfaction=Satisfaction.SATISFIED)
    workflow.reply(session, w, REPLY, zjj, at(2026, 9, 29, 10), policy=policy)
    workflow.record_callback(session, w, supervisor, policy, at(2026, 10, 8, 10), reached=True, solved=True,
                             satisfaction=Satisfaction.UNSATISFIED)
    session.flush()
    unit = zjj.department_id
    september, october = (periods.parse("monthly", label, policy.tz) for label in ("2026-09", "2026-10"))
    assert count_appeals.counted_items(session, w.id, unit, september, policy, FILED) == {}
    assert count_appeals.counted_items(session, w.id, unit, october, policy, FILED) == {
        CountAppealItem.UNSATISFIED: {"unsatisfied": 1, "reached": 1, "solved": 1}}

    first = zjj_line(publishing.publish(session, MONTHLY, "2026-09", policy, PUBLISHED, supervisor))
    counts = ("reached", "solved", "satisfied", "unsatisfied", "called_back")
    assert tuple(first[name] for name in counts) == (2, 1, 1, 1, 2)
    assert (first["rates"]["satisfaction"], first["rates"]["solved"]) == (0.5, 0.5)
    with pytest.raises(InvalidInput) as error:  # W's 不满意 is October's
        count_appeals.file_appeal(session, w.number, "2026-09", CountAppealItem.UNSATISFIED, "理由", zjj, policy, FILED)
    assert error.value.code == "item_not_counted"
    appeal = count_appeals.file_appeal(session, v.number, "2026-09", CountAppealItem.UNSATISFIED, "理由", zjj,
                                       policy, FILED)
    count_appeals.decide(session, appeal.id, True, supervisor, policy, DECIDED)
    assert appeal.excluded == {"unsatisfied": 1, "reached": 1}
    for live in (False, True):
        line = zjj_line(publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, live_figures=live))
        assert tuple(line[name] for name in counts) == (1, 1, 1, 0, 2)
        assert (line["rates"]["satisfaction"], line["rates"]["solved"]) == (1.0, 1.0)
        city = publishing.show(session, MONTHLY, "2026-09", policy, DECIDED, live_figures=live)["city"]
        assert tuple(city[name] for name in counts) == (1, 1, 1, 0, 2)  # zjj is the month's only unit
