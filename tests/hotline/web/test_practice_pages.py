"""The 回头看 and 集中交办 pages, the call form's channel host and the report's new sections (test client)."""
from datetime import timedelta

from sqlalchemy import update

from models import Batch, Revisit, RevisitStatus, Ticket, TicketStatus
from tests.builders import ticket_row

from .conftest import MANUAL, text

pytestmark = MANUAL


def drawn(pages, session, clock) -> str:
    """A ticket closed by zjj on the pages and drawn for a re-visit 15 days later."""
    number = pages.closed_call()
    ticket = ticket_row(session, number)
    later = clock.now + timedelta(days=15)
    session.add(Revisit(ticket_id=ticket.id, period="2026-11", department_id=ticket.department_id,
                        closed_at=ticket.closed_at, selected_at=later, selected_day=later.date(),
                        status=RevisitStatus.PENDING, comment=""))
    session.commit()
    clock.set(later)
    return number


def test_a_revisit_that_did_not_hold_needs_a_comment_and_reopens(pages, session, clock):
    number = drawn(pages, session, clock)
    listed = text(pages.get("supervisor", "/supervisor/revisits"))
    assert number in listed and "市住房和城乡建设局" in listed
    refused = pages.post("supervisor", f"/supervisor/revisits/{number}", {f"rv{number}-held": "0"})
    assert refused.status_code == 400 and "不能为空" in text(refused)
    done = pages.post("supervisor", f"/supervisor/revisits/{number}",
                      {f"rv{number}-held": "0", f"rv{number}-comment": "又漏水了"}, follow_redirects=True)
    assert "问题反弹，已转原承办单位重办" in text(done)
    session.expire_all()
    assert ticket_row(session, number).status == TicketStatus.DISPATCHED
    assert "没有待回头看的工单" in text(pages.get("supervisor", "/supervisor/revisits"))
    assert pages.get("zjj", "/supervisor/revisits").status_code == 403


def test_a_batch_from_the_clusters_page_and_its_closing(pages, session):
    root = pages.dispatched_call()
    repeats = [pages.new_call(caller_phone=f"1370000000{i}") for i in (1, 2)]
    root_id = ticket_row(session, root).id
    session.execute(update(Ticket).where(Ticket.number.in_(repeats)).values(repeat_of_id=root_id))
    session.execute(update(Ticket).where(Ticket.id == root_id).values(repeat_count=2))
    session.commit()
    page = text(pages.get("supervisor", "/supervisor/batches"))
    assert f'value="{root}"' in page and all(f'value="{n}"' in page for n in repeats)
    past = pages.post("supervisor", "/supervisor/batches",
                      {"tickets": [root, *repeats], "department": "zjj", "deadline": "2026-11-01"})
    assert past.status_code == 400 and "须晚于现在" in text(past)
    made = pages.post("supervisor", "/supervisor/batches",
                      {"tickets": [root, *repeats], "department": "zjj", "deadline": "2026-11-27"})
    assert made.status_code == 302
    batch = session.query(Batch).one()
    detail = text(pages.get("supervisor", f"/batches/{batch.id}", follow_redirects=True))
    assert "未办结 3 / 3 张" in detail
    early = text(pages.post("supervisor", f"/batches/{batch.id}/close", follow_redirects=True))
    assert "还有 3 张工单未办结" in early
    assert f"批次 {batch.id}" in text(pages.get("zjj", "/department/batches"))
    assert f"批次 {batch.id}" not in text(pages.get("jtj", "/department/batches"))
    assert pages.get("jtj", f"/batches/{batch.id}").status_code == 404


def test_the_call_form_asks_for_the_host_of_a_hosted_channel(pages, session):
    refused = pages.post("operator", "/operator/", {**_call(), "channel": "leader_day"})
    assert refused.status_code == 400 and "须填写接听领导或活动名称" in text(refused)
    number = pages.new_call(channel="leader_day", channel_host="张市长")
    assert ticket_row(session, number).channel_host == "张市长"
    listed = text(pages.get("supervisor", "/tickets/?channel=leader_day"))
    assert number in listed
    assert number not in text(pages.get("supervisor", "/tickets/?channel=entrepreneur_day"))
    assert "领导接听日（张市长）" in text(pages.get("supervisor", f"/tickets/{number}"))


def _call() -> dict:
    from .conftest import CALL

    return dict(CALL)


def test_the_report_page_shows_the_new_sections(pages):
    page = text(pages.get("supervisor", "/supervisor/reports/monthly?period=2026-11"))
    assert 'id="revisit-section"' in page and 'id="batch-section"' in page and "企业家接待日" in page
