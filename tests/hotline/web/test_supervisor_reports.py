"""The supervisor's monthly report, annual assessment and supervision cases."""
from datetime import datetime, timezone

from sqlalchemy import select

from hotline.services import workflow
from hotline.services.cycle import periods, supervision
from models import ReportSnapshot, SupervisionCase, SupervisionStatus
from tests.builders import ticket_row, user

from .conftest import MANUAL, text

pytestmark = MANUAL


def test_monthly_report_shows_the_month_with_charts(pages):
    pages.closed_call()
    response = pages.get("supervisor", "/supervisor/reports/monthly")
    body = text(response)
    assert response.status_code == 200
    assert "实时数据，未发布" in body
    assert "市住房和城乡建设局" in body
    assert body.count("data-chart=") == 5  # trend, volumes, on-time, satisfaction, flags (drawn by ECharts)
    assert body.count('class="chart-table"') == 5  # the same figures as tables, for print
    assert "vendor/echarts/echarts.common.min.js" in body
    assert "近六个月走势" in body and "满意率" in body
    table = body.split('id="report-table"')[1]
    assert "100.0%" in table  # one reached callback, satisfied


def test_report_period_is_checked_and_kept(pages):
    response = pages.get("supervisor", "/supervisor/reports/monthly?period=2026-13")
    assert response.status_code == 400
    assert "格式不对" in text(response) and 'value="2026-13"' in text(response)
    response = pages.get("supervisor", "/supervisor/reports/monthly?period=2027-03")
    assert response.status_code == 400 and "还没有开始" in text(response)
    response = pages.get("supervisor", "/supervisor/reports/monthly?period=11/2026")
    assert response.status_code == 400 and "月份如 2026-11" in text(response)


def test_report_downloads(pages):
    pages.closed_call()
    csv = pages.get("supervisor", "/supervisor/reports/monthly/2026-11.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "zjj,市住房和城乡建设局" in csv.get_data(as_text=True)
    xlsx = pages.get("supervisor", "/supervisor/reports/monthly/2026-11.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    html = pages.get("supervisor", "/supervisor/reports/monthly/2026-11.html")
    assert html.status_code == 200 and "月度通报" in text(html)
    assert pages.get("supervisor", "/supervisor/reports/monthly/2026-11.pdf").status_code == 400
    assert pages.get("zjj", "/supervisor/reports/monthly/2026-11.csv").status_code == 403


def test_publish_a_finished_month(pages, clock, session):
    pages.closed_call()
    early = pages.post("supervisor", "/supervisor/reports/monthly/2026-11/publish", {"note": ""})
    assert early.status_code == 400 and "尚未结束" in text(early)
    clock.set(datetime(2026, 12, 2, 1, 0, tzinfo=timezone.utc))
    response = pages.post("supervisor", "/supervisor/reports/monthly/2026-11/publish", {"note": "首次发布"},
                          follow_redirects=True)
    body = text(response)
    assert "2026-11 已发布" in body and "已发布第 1 版" in body
    assert session.scalar(select(ReportSnapshot)).note == "首次发布"


def test_annual_assessment_page(pages):
    pages.closed_call()
    opening_page = pages.get("supervisor", "/supervisor/reports/assessment")
    assert opening_page.status_code == 200
    opening = text(opening_page)
    assert 'value="2025"' in opening  # the last complete year (the clock says November 2026)
    body = text(pages.get("supervisor", "/supervisor/reports/assessment?period=2026"))
    assert "年度考核" in body and "综合得分" in body and "市住房和城乡建设局" in body
    assert pages.get("supervisor", "/supervisor/reports/assessment?period=26").status_code == 400


def _open_case(pages, session, policy, now) -> int:
    """A difficult ticket made into a supervision case by the quarterly rule."""
    number = pages.dispatched_call()
    workflow.flag_difficult(session, ticket_row(session, number), "涉及多个部门", user(session, "supervisor"), now)
    cases = supervision.open_cases(session, periods.containing("quarterly", now, policy.tz), policy, now)
    session.commit()
    return cases[0].id


def test_supervision_case_three_lists_and_closing(pages, session, policy, clock):
    case_id = _open_case(pages, session, policy, clock.now)
    listing = text(pages.get("supervisor", "/supervisor/cases"))
    assert "疑难工单" in listing and "市领导督办" in listing
    page = text(pages.get("supervisor", f"/supervisor/cases/{case_id}"))
    assert "三单管理" in page
    # A step without its deadline is refused, with what was typed kept.
    bad = pages.post("supervisor", f"/supervisor/cases/{case_id}", {
        "problem": "问题", "responsible_person": "张局长", "level": "city_leader",
        "steps-0-action": "现场核查", "steps-0-deadline": ""})
    assert bad.status_code == 400 and "请填写完成期限" in text(bad) and 'value="现场核查"' in text(bad)
    saved = pages.post("supervisor", f"/supervisor/cases/{case_id}", {
        "problem": "问题", "responsible_person": "张局长", "level": "city_leader",
        "steps-0-action": "现场核查", "steps-0-deadline": "2026-11-30"})
    assert saved.status_code == 302
    refused = pages.post("supervisor", f"/supervisor/cases/{case_id}/close", {"resolution": "已解决"})
    assert refused.status_code == 409 and "还有未完成的整改措施：现场核查" in text(refused)
    pages.post("supervisor", f"/supervisor/cases/{case_id}", {
        "problem": "问题", "responsible_person": "张局长", "level": "city_leader",
        "steps-0-action": "现场核查", "steps-0-deadline": "2026-11-30", "steps-0-done": "y"})
    # The ticket is still with its unit: closing the case anyway needs the supervisor's reason.
    still_open = pages.post("supervisor", f"/supervisor/cases/{case_id}/close", {"resolution": "已解决"})
    assert still_open.status_code == 409 and "仍未办结" in text(still_open)
    closed = pages.post("supervisor", f"/supervisor/cases/{case_id}/close",
                        {"resolution": "已解决", "open_ticket_reason": "整改已到位，工单待单位回复"}, follow_redirects=True)
    assert "已销号" in text(closed)
    session.expire_all()
    assert session.get(SupervisionCase, case_id).status == SupervisionStatus.CLOSED
    assert pages.get("supervisor", "/supervisor/cases?quarter=2026Q9").status_code == 400


def test_the_charts_library_is_served_by_the_app_with_its_licence(client):
    with client.get("/static/vendor/echarts/echarts.common.min.js") as script:
        assert script.status_code == 200 and b"echarts" in script.data[:2000]
    with client.get("/static/vendor/echarts/LICENSE") as licence:
        assert b"Apache License" in licence.data
