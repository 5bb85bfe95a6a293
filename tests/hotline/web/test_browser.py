"""Each role's main path in a real browser: Playwright driving Debian's headless Chromium, CSRF on.

The app is served on 127.0.0.1 by werkzeug in a thread. Set HOTLINE_SCREENSHOTS=<dir> to keep a
screenshot of every main page (docs/screenshots/make.py does that for the README).
"""
from __future__ import annotations

import os
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update
from werkzeug.serving import make_server

from hotline.services import workflow
from models import (Batch, Department, EventAction, KBEntry, Revisit, RevisitStatus, Satisfaction, Ticket, TicketGrade,
                    TicketStatus)
from tests.builders import ticket_row, unit_user, user

from .conftest import ARGS, CALL, CHROMIUM  # noqa: F401  (the browser fixture lives in conftest: one per run)

SCREENSHOTS = os.environ.get("HOTLINE_SCREENSHOTS")
TIMEOUT_MS = 10_000

pytestmark = [
    pytest.mark.browser,
    # The browser posts real forms: CSRF protection stays on, as in production.
    pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=1.01),
]


@pytest.fixture
def server(app):
    """The app served on 127.0.0.1 at a free port, in a thread, for one test."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)
    httpd.server_close()


@pytest.fixture
def open_as(browser, server):
    """open_as(username) → a page logged in as that demo user (own cookies, like a separate desk)."""
    contexts = []

    def login(username: str):
        """A new browser context logged in from the keyboard."""
        context = browser.new_context(base_url=server, locale="zh-CN", viewport={"width": 1440, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before merging, returning, …
        page.goto("/login")
        # From the keyboard: the username field has the focus (autofocus may land just after "load").
        # Locator waits, not wait_for_function: polling a string predicate is an eval the pages' CSP refuses.
        expect(page.locator("#username")).to_be_focused()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type("demo12345")
        page.keyboard.press("Enter")
        page.wait_for_selector("header .who")
        return page

    yield login
    for context in contexts:
        context.close()


def shot(page, name: str) -> None:
    """Keep a screenshot of the page when HOTLINE_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def has_focus(page, name: str) -> None:
    """Wait until the field named `name` has the focus (autofocus applies once the page has loaded)."""
    expect(page.locator(f"[name='{name}'], #{name}").first).to_be_focused(timeout=3000)


def flashed(page, text: str) -> None:
    """Wait for the confirmation message at the top of the page (the form's page has to load first)."""
    expect(page.locator(".msg-success", has_text=text)).to_have_count(1)


def test_operator_enters_a_call_from_the_keyboard_with_live_suggestions(open_as, desk, session):
    session.add(KBEntry(question="小区楼道墙皮脱落物业不维修怎么办", answer="可向所在区住建部门反映，由其督促物业限期维修。",
                        department="市住房和城乡建设局"))
    session.commit()
    earlier = desk.call()  # the same caller rang about the same wall last week
    page = open_as("operator")
    assert page.url.endswith("/operator/")
    has_focus(page, "caller_phone")
    # Tab order follows the form: phone, name, type, urgency, channel, address, district, content.
    page.keyboard.type(CALL["caller_phone"])
    for name, typed in (("caller_name", "王先生"), ("appeal_type", None), ("urgency", None), ("channel", None),
                        ("address", CALL["address"]), ("district", None), ("content", CALL["content"])):
        page.keyboard.press("Tab")
        has_focus(page, name)
        if typed:
            page.keyboard.type(typed)
    # Suggestions arrive without a reload while the operator is still on the form.
    page.wait_for_selector("#sg-route .cand")
    assert re.search(r"\d+%", page.inner_text("#sg-route"))
    assert "雁峰区" in page.inner_text("#sg-district")
    assert "督促物业限期维修" in page.inner_text("#sg-kb")
    assert earlier in page.inner_text("#sg-similar")
    assert "同一来电人" in page.inner_text("#sg-similar")
    shot(page, "operator-call")
    page.keyboard.press("Control+Enter")  # submit from the text area
    number = page.inner_text("#created-number")
    assert re.fullmatch(r"2026111600\d{3}", number)
    has_focus(page, "caller_phone")  # ready for the next call
    shot(page, "operator-created")
    # 即来即办 from a knowledge-base answer: one click, then a confirmation, registers the call as answered.
    page.fill("#caller_phone", "13900001111")
    page.fill("#content", "请问小区楼道墙皮脱落物业不维修怎么办？")
    page.click("#sg-kb button")
    assert "确认按此答复登记为即来即办" in page.inner_text("#sg-kb")
    page.click("#sg-kb button[name=kb_confirm]")
    assert "即来即办，已在电话中答复" in page.inner_text("#created")
    assert "知识库条目" in page.inner_text("#created")
    ticket = ticket_row(session, page.inner_text("#created-number"))
    assert ticket.status == TicketStatus.REPLIED and ticket.resolved_on_call


def test_dispatcher_assigns_in_one_click_and_merges_a_repeat(open_as, desk, session):
    first = desk.call()
    repeat = desk.call(content="小区楼道墙皮又掉了，物业还是不维修，请尽快处理。")
    other = desk.call(caller_phone="13700000000", address="", content="公交12路末班车经常提前发车，乘客赶不上车。")
    page = open_as("dispatcher")
    assert page.url.endswith("/dispatcher/")
    row = page.locator(f"#t-{other}")
    row.wait_for()
    shot(page, "dispatcher-queue")
    button = row.locator(".cands button").first
    unit = button.inner_text().split(" · ")[0]
    button.click()
    flashed(page, f"工单 {other} 已派往{unit}")
    page.locator(f"#t-{repeat} button", has_text="并入原工单").click()
    flashed(page, f"工单 {repeat} 已并入 {first}")
    session.expire_all()
    assert ticket_row(session, other).status == TicketStatus.DISPATCHED
    merged = ticket_row(session, repeat)
    assert merged.status == TicketStatus.CLOSED and merged.repeat_of.number == first


def test_department_signs_returns_and_replies(open_as, desk, session):
    number = desk.call()
    desk.assign(number, "zjj")
    misrouted = desk.call(caller_phone="13700000001", content="公交站台顶棚破损漏雨，乘客无处避雨。")
    desk.assign(misrouted, "zjj")
    page = open_as("zjj")
    assert page.url.endswith("/department/")
    assert page.locator(f"#t-{number} .flag-green").count() == 1
    assert "剩 2小时" in page.inner_text(f"#t-{number}")
    shot(page, "department-inbox")
    # Return the misrouted one with a reason.
    page.click(f"text={misrouted}")
    page.select_option("#ret-reason_code", "not_ours")
    page.fill("#ret-reason", "公交站台属交通运输部门管理，请改派")
    page.click("button:has-text('退回派单员')")
    flashed(page, "已退回派单员")
    # Sign and reply from the keyboard.
    page.click(f"text={number}")
    assert "138****5678" in page.inner_text("main")
    shot(page, "department-ticket")
    has_focus(page, "sign")
    page.keyboard.press("Enter")
    flashed(page, "已签收")
    has_focus(page, "rep-reply")
    page.keyboard.type("已约谈物业公司，楼道墙皮于11月16日修复完毕。")
    page.keyboard.press("Control+Enter")
    flashed(page, "已办结回复")
    session.expire_all()
    assert ticket_row(session, number).status == TicketStatus.REPLIED
    assert ticket_row(session, misrouted).status == TicketStatus.PENDING_DISPATCH


def test_supervisor_calls_back_in_a_few_keystrokes_and_approves_an_extension(open_as, desk, session):
    number = desk.call()
    desk.assign(number)
    desk.reply(number)
    pending = desk.call(caller_phone="13700000002", content="小区门口道路井盖缺失，夜间行人容易踩空。")
    desk.assign(pending)
    desk.request_extension(pending)
    page = open_as("supervisor")
    assert page.url.endswith("/supervisor/")
    row = page.locator(f"#t-{number}")
    assert "13812345678" in row.inner_text() and "墙皮已修复" in row.inner_text()
    shot(page, "supervisor-callbacks")
    has_focus(page, f"cb{number}-reached")
    for key in ("1", "Tab", "1", "Tab", "1", "Tab", "Enter"):  # reached, solved, 满意, (comment), save
        page.keyboard.press(key)
    flashed(page, f"工单 {number} 回访已记录：已办结归档")
    session.expire_all()
    ticket = ticket_row(session, number)
    assert ticket.status == TicketStatus.CLOSED and ticket.satisfaction.value == "satisfied"
    page.click("nav >> text=延期审批")
    shot(page, "supervisor-extensions")
    page.locator(f"#t-{pending} button", has_text="批准").click()
    flashed(page, "延期申请已批准")
    page.click("nav >> text=热点预警")
    shot(page, "supervisor-alerts")


def test_supervisor_flags_a_difficult_ticket_and_opens_the_enterprise_history(open_as, desk, session):
    """标记疑难 with a required reason on the ticket page, then 一企一档 from the ticket's link."""
    company = {"enterprise_name": "衡阳某某机械有限公司", "enterprise_credit_code": "91430400MA4L8XXX0J",
               "caller_name": "赵经理", "caller_phone": "13700000003", "address": "衡阳市雁峰区白沙洲工业园区"}
    earlier = desk.call(**company, appeal_type="consultation", content="企业咨询稳岗补贴的申报条件和办理流程。")
    desk.assign(earlier, "yfq")
    desk.reply(earlier, "yfq", text="已电话告知企业申报条件和材料清单，企业表示清楚。")
    number = desk.call(**company, content="园区内道路破损严重、大坑积水，货车进出困难，影响企业正常生产经营，请尽快修复。")
    desk.assign(number, "yfq")
    page = open_as("supervisor")
    page.goto(f"/tickets/{number}")
    # An empty reason is refused next to the field; the form stays for a second try.
    page.click("#flag-difficult")
    assert "标记疑难必须填写原因" in page.inner_text("#difficult")
    page.fill("#reason", "园区道路产权不清，住建、交通、园区管委会均称不属本单位职责，已两次协调未果")
    page.click("#flag-difficult")
    flashed(page, f"工单 {number} 已标记为疑难工单（主任督办）")
    assert "疑难 · 主任督办" in page.inner_text("#difficult")
    shot(page, "supervisor-ticket-difficult")
    session.expire_all()
    assert ticket_row(session, number).difficult
    page.click("text=一企一档")
    page.wait_for_selector("#enterprise-tickets")
    table = page.inner_text("#enterprise-tickets")
    assert table.index(number) < table.index(earlier)  # newest first
    assert "一企一档：衡阳某某机械有限公司" in page.inner_text("h1")
    shot(page, "enterprise-history")


def test_admin_adds_a_holiday_a_rule_and_sees_the_models(open_as, session):
    page = open_as("admin")
    assert page.url.endswith("/admin/")
    shot(page, "admin-overview")
    page.click("nav >> text=节假日")
    page.fill("#day", "2026-12-31")
    page.select_option("#is_workday", "0")
    page.fill("#note", "跨年活动，全市放假一天")
    page.click("button:has-text('保存')")
    flashed(page, "已保存 2026-12-31 的调整")
    page.click("nav >> text=派单规则")
    page.select_option("#category", label="交通")
    page.select_option("#district", "雁峰区")
    page.select_option("#department", "yfq")
    page.click("button:has-text('添加')")
    flashed(page, "已添加派单规则")
    shot(page, "admin-rules")
    page.click("nav >> text=办理时限")
    shot(page, "admin-time-limits")
    page.click("nav >> text=模型版本")
    assert page.locator("#models .badge", has_text="在用").count() == 1
    shot(page, "admin-models")


@pytest.mark.app_config(WTF_CSRF_ENABLED=True, AUTO_DISPATCH_THRESHOLD=0.0)
def test_end_to_end_from_the_call_to_the_monthly_report(open_as, session):
    """Operator → (automatic dispatch) → unit signs and replies → supervisor calls back → monthly report."""
    operator = open_as("operator")
    operator.fill("#caller_phone", "13912345678")
    operator.fill("#caller_name", "李女士")
    operator.fill("#address", "衡阳市雁峰区天马山街道某小区")
    operator.fill("#content", "小区门口路灯坏了一个多月，晚上一片漆黑，老人小孩出行很不安全，请尽快修复。")
    operator.click("#submit-call")
    number = operator.inner_text("#created-number")
    assert "已自动派往" in operator.inner_text("#created")
    ticket = ticket_row(session, number)
    unit = session.get(Department, ticket.department_id)

    department = open_as(unit.code)  # each unit's demo user is named by its code
    department.click(f"text={number}")
    department.click("#sign")
    department.fill("#rep-reply", "已安排维修人员更换路灯，当晚恢复照明。")
    department.click("#reply")
    flashed(department, "已办结回复")

    supervisor = open_as("supervisor")
    row = supervisor.locator(f"#t-{number}")
    assert "13912345678" in row.inner_text() and "恢复照明" in row.inner_text()
    row.locator("select[name$=reached]").select_option("1")
    row.locator("select[name$=solved]").select_option("1")
    row.locator("select[name$=satisfaction]").select_option("satisfied")
    row.locator("button:has-text('保存')").click()
    flashed(supervisor, "已办结归档")

    supervisor.click("nav >> text=月度通报")
    table = supervisor.inner_text("#report-table")
    line = next(text for text in table.splitlines() if text.startswith(unit.name))
    cells = line.split("\t")
    assert cells[3] == "1"  # 派单量
    assert "100.0%" in line  # answered on time, called back, solved and satisfied
    # ECharts draws once the page has loaded: wait for the fifth chart rather than count too early.
    supervisor.locator(".charts svg").nth(4).wait_for(state="attached", timeout=15_000)
    shot(supervisor, "supervisor-monthly-report")
    with supervisor.expect_download() as download:
        supervisor.click("#downloads >> text=CSV")
    assert download.value.suggested_filename == "hotline-monthly-2026-11-r0.csv"


# 回头看, 集中交办 and the hosted channels (issue 12, items 2–4)


def closed_by_zjj(desk, session) -> str:
    """A call zjj replied to, called back satisfied: closed."""
    number = desk.call()
    desk.assign(number)
    desk.reply(number)
    desk._run(lambda s, policy, now: workflow.record_callback(
        s, ticket_row(s, number), user(s, "supervisor"), policy, now, reached=True, solved=True,
        satisfaction=Satisfaction.SATISFIED))
    return number


def test_supervisor_records_a_revisit_that_did_not_hold(open_as, desk, session, clock):
    number = closed_by_zjj(desk, session)
    ticket = ticket_row(session, number)
    later = clock.now + timedelta(days=15)
    session.add(Revisit(ticket_id=ticket.id, period="2026-11", department_id=ticket.department_id,
                        closed_at=ticket.closed_at, selected_at=later, selected_day=later.date(),
                        status=RevisitStatus.PENDING, comment=""))
    session.commit()
    clock.set(later)
    page = open_as("supervisor")
    page.click("nav >> text=回头看")
    row = page.locator(f"#rv-{number}")
    assert "13812345678" in row.inner_text() and "墙皮已修复" in row.inner_text()
    shot(page, "supervisor-revisits")
    row.locator("select").select_option("0")
    row.locator("input[type=text]").fill("楼道墙皮又脱落了")
    row.locator("input[type=text]").press("Enter")
    flashed(page, f"工单 {number} 回头看已记录：问题反弹，已转原承办单位重办")
    session.expire_all()
    reopened = ticket_row(session, number)
    assert reopened.status == TicketStatus.DISPATCHED and reopened.department.code == "zjj"


def test_supervisor_hands_a_cluster_over_and_closes_the_batch(open_as, desk, session):
    root = desk.call()
    desk.assign(root)
    repeats = [desk.call(caller_phone=f"1370000000{i}", content=f"第{i}次反映：小区楼道墙皮脱落，物业不修。")
               for i in (1, 2)]
    root_id = ticket_row(session, root).id
    session.execute(update(Ticket).where(Ticket.number.in_(repeats)).values(repeat_of_id=root_id))
    session.execute(update(Ticket).where(Ticket.id == root_id).values(repeat_count=2))
    session.commit()
    page = open_as("supervisor")
    page.click("nav >> text=集中交办")
    assert page.locator(f"#cluster-{root} input[type=checkbox]:checked").count() == 3
    page.select_option("#department", "zjj")
    page.fill("#deadline", "2026-11-27")
    page.fill("#note", "同一小区反复投诉")
    shot(page, "supervisor-batches")
    page.click("button:has-text('交办所选工单')")
    flashed(page, "已交办批次")
    batch = session.scalar(select(Batch))
    assert "未办结 3 / 3 张" in page.inner_text("#open-count")
    page.click("button:has-text('销号')")
    assert "还有 3 张工单未办结" in page.inner_text("main")
    for number in (root, *repeats):
        closed = ticket_row(session, number)
        session.execute(update(Ticket).where(Ticket.id == closed.id).values(status=TicketStatus.CLOSED))
    session.commit()
    page.click("button:has-text('销号')")
    flashed(page, f"交办批次 {batch.id} 已销号")
    unit = open_as("zjj")
    unit.click("nav >> text=集中交办")
    assert "已销号" in unit.inner_text(f"#batch-{batch.id}")


def test_operator_enters_a_leader_day_call_with_its_host(open_as, session):
    page = open_as("operator")
    assert page.locator("#channel_host").is_hidden()  # a phone call has no host: the keyboard skips it
    page.fill("#caller_phone", CALL["caller_phone"])
    page.fill("#content", CALL["content"])
    page.select_option("#channel", "leader_day")
    assert page.locator("#channel_host").is_visible()
    page.locator("#content").press("Control+Enter")  # submit from the text area, as operators do
    assert "须填写接听领导或活动名称" in page.inner_text("#channel-host-field")
    page.fill("#channel_host", "张市长")
    page.locator("#content").press("Control+Enter")
    number = page.inner_text("#created-number")
    ticket = ticket_row(session, number)
    assert (ticket.channel.value, ticket.channel_host) == ("leader_day", "张市长")
# 分级, a co-unit's part, handlers and notes (issue 12, items 1, 9, 10).
def test_supervisor_grades_c_and_the_co_unit_replies_its_part(open_as, desk, session):
    number = desk.call()
    desk.assign(number, "zjj")
    page = open_as("supervisor")
    page.goto(f"/tickets/{number}")
    assert "部门办" in page.inner_text("#supervised-by")
    page.select_option("#grade-select", "C")
    page.check("#grade-form input[value=jtj]")
    page.click("#save-grade")
    flashed(page, "分级已保存")
    assert "C 级" in page.inner_text("#grade-badge") and "市交通运输局" in page.inner_text("#co-units")
    unit = open_as("jtj")
    unit.goto("/department/")
    unit.click(f"text={number}")
    unit.fill("#part-reply", "已将公交站点迁移，配合完成。")
    unit.click("#co-reply")
    flashed(unit, "协办意见已提交")
    assert "已回复" in unit.inner_text("#co-units")
    session.expire_all()
    ticket = ticket_row(session, number)
    assert ticket.grade == TicketGrade.C and ticket.events[-1].action == EventAction.CO_UNIT_REPLIED


def test_handler_takes_reassigns_and_the_unit_writes_a_note(open_as, desk, session, demo_password_hash):
    unit_user(session, "zjj_li", password_hash=demo_password_hash)
    session.commit()
    number = desk.call()
    desk.assign(number, "zjj")
    page = open_as("zjj")
    page.goto(f"/department/tickets/{number}")
    page.click("#take")
    flashed(page, "承办人已更新")
    assert "zjj" in page.inner_text("#handler-name")
    page.select_option("#handler-select", "zjj_li")
    page.click("#assign-handler")
    flashed(page, "承办人已更新")
    assert "zjj_li" in page.inner_text("#handler-name")
    page.fill("#note-body", "已约物业明日上门查看。")
    page.click("#add-note")
    flashed(page, "备注已添加")
    assert "已约物业明日上门查看。" in page.inner_text("#note-list")
    page.goto("/department/?handler=none")
    assert number not in page.inner_text("main")
    colleague = open_as("zjj_li")
    colleague.goto("/department/?handler=me")
    assert "备注 1" in colleague.inner_text(f"#t-{number}")
    centre = open_as("dispatcher")
    centre.goto(f"/tickets/{number}")
    assert "已约物业明日上门查看。" in centre.inner_text("#note-list")
    session.expire_all()
    assert ticket_row(session, number).handler.username == "zjj_li"
def test_search_finds_a_ticket_by_a_content_word(open_as, desk):
    """The one search box of 工单查询, typed and sent from the keyboard; jieba's word, not a substring."""
    noisy = desk.call(content="幸福路工地夜间施工噪音扰民，严重影响休息，请尽快处理。", caller_phone="13912340001")
    other = desk.call()
    page = open_as("dispatcher")
    page.click("nav >> text=工单查询")
    page.fill("#filter-q", "噪音")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=%E5%99%AA%E9%9F%B3"))
    rows = page.locator("#tickets tbody tr")
    assert rows.count() == 1
    assert noisy in rows.first.inner_text() and other not in page.inner_text("main")
    shot(page, "search")


def test_the_call_page_shows_the_callers_earlier_tickets_as_the_phone_is_typed(open_as, desk):
    earlier = desk.call(caller_phone="13912340001")
    page = open_as("operator")
    has_focus(page, "caller_phone")
    page.keyboard.type("139 1234 0001")
    history = page.locator("#caller-history")
    history.locator(f"a:has-text('{earlier}')").wait_for()
    assert "来电人历史工单" in history.inner_text()
