"""督办件 on the unit's pages: its open cases, and its own 整改清单 with done marks (an event each save)."""
from datetime import timedelta

from models import EventAction, SupervisionCase, SupervisionLevel, SupervisionStatus
from tests.builders import ticket_row

from .conftest import MANUAL, text

pytestmark = MANUAL


def open_case(session, number: str, now) -> int:
    """A case (疑难) on the ticket, its responsible person named."""
    ticket = ticket_row(session, number)
    case = SupervisionCase(quarter="2026Q4", ticket=ticket, department_id=ticket.department_id, reasons=["difficult"],
                           level=SupervisionLevel.DEPARTMENT_HEAD, status=SupervisionStatus.OPEN, problem="楼道墙皮反复脱落",
                           responsible_person="张科长", rectification=[], deadline=now + timedelta(days=10),
                           opened_at=now)
    session.add(case)
    session.commit()
    return case.id


def test_the_unit_lists_its_cases_and_saves_its_steps(pages, session, clock):
    case_id = open_case(session, pages.dispatched_call(), clock.now)
    listing = text(pages.get("zjj", "/department/cases"))
    assert f'id="case-{case_id}"' in listing and "疑难工单" in listing
    assert "本单位没有督办中的督办件" in text(pages.get("jtj", "/department/cases"))
    assert pages.get("jtj", f"/department/cases/{case_id}").status_code == 404
    page = text(pages.get("zjj", f"/department/cases/{case_id}"))
    assert "楼道墙皮反复脱落" in page and "保存整改清单" in page

    bad = pages.post("zjj", f"/department/cases/{case_id}", {"steps-0-action": "约谈物业", "steps-0-deadline": ""})
    assert bad.status_code == 400 and "请填写完成期限" in text(bad) and 'value="约谈物业"' in text(bad)
    saved = pages.post("zjj", f"/department/cases/{case_id}", {
        "steps-0-action": "约谈物业", "steps-0-deadline": "2026-11-20", "steps-0-done": "y",
        "steps-1-action": "现场复查", "steps-1-deadline": "2026-11-25"}, follow_redirects=True)
    assert "整改清单已保存" in text(saved)
    session.expire_all()
    case = session.get(SupervisionCase, case_id)
    assert [(s["action"], s["done"]) for s in case.rectification] == [("约谈物业", True), ("现场复查", False)]
    assert case.ticket.events[-1].action == EventAction.RECTIFICATION_UPDATED
    assert "1/2" in text(pages.get("zjj", "/department/cases"))
    # The supervisor sees the unit's steps on the case page.
    assert "现场复查" in text(pages.get("supervisor", f"/supervisor/cases/{case_id}"))
