"""The admin's pages: units, users, categories, rules, time limits, holidays, knowledge base, models."""
from datetime import date

from sqlalchemy import select

from models import CalendarOverride, Category, KBEntry, RoutingRule, Setting, User
from tests.builders import department, user

from .conftest import AUTO, text


def test_overview_counts_and_links(pages):
    body = text(pages.get("admin", "/admin/"))
    for label in ("承办单位", "用户", "分类", "派单规则", "知识库", "在用模型"):
        assert label in body


def test_add_a_unit_and_refuse_a_taken_code(pages, session):
    response = pages.post("admin", "/admin/departments", {"code": "sfj", "name": "市司法局", "kind": "bureau",
                                                         "parent": "", "active": "y"})
    assert response.status_code == 302
    assert department(session, "sfj").name == "市司法局"
    response = pages.post("admin", "/admin/departments", {"code": "zjj", "name": "另一个局", "kind": "bureau"})
    assert response.status_code == 400
    body = text(response)
    assert "已被占用" in body and 'value="另一个局"' in body


def test_unit_codes_are_checked(pages):
    response = pages.post("admin", "/admin/departments", {"code": "Bad Code!", "name": "x", "kind": "bureau"})
    assert response.status_code == 400
    assert "代码为 2–32 位小写字母" in text(response)


def test_list_filters_units(pages):
    body = text(pages.get("admin", "/admin/departments?kind=utility"))
    table = body.split('<table class="list">')[1].split("</table>")[0]
    assert "衡阳市自来水有限责任公司" in table and "市住房和城乡建设局" not in table


def test_add_a_department_user_who_can_then_log_in(pages, app):
    response = pages.post("admin", "/admin/users", {"username": "li", "display_name": "李科员", "role": "department",
                                                   "department": "zjj", "password": "longpassword", "active": "y"})
    assert response.status_code == 302
    client = app.test_client()
    login = client.post("/login", data={"username": "li", "password": "longpassword"})
    assert login.headers["Location"] == "/department/"


def test_user_form_messages(pages):
    response = pages.post("admin", "/admin/users", {"username": "operator", "role": "department", "password": "short"})
    assert response.status_code == 400
    body = text(response)
    assert "密码至少 8 位" in body and "承办单位用户须选择所属单位" in body
    response = pages.post("admin", "/admin/users", {"username": "operator", "role": "operator",
                                                   "password": "longpassword"})
    assert response.status_code == 400 and "已被占用" in text(response)


def test_admin_cannot_lock_themself_out(pages, session):
    admin_id = user(session, "admin").id
    response = pages.post("admin", f"/admin/users/{admin_id}", {"username": "admin", "role": "operator"})
    assert response.status_code == 400
    assert "不能取消自己的管理员身份" in text(response)


def test_edit_a_user_and_deactivate(pages, session):
    user_id = user(session, "operator").id
    page = text(pages.get("admin", f"/admin/users/{user_id}"))
    assert 'value="operator"' in page and "话务员小李" in page
    response = pages.post("admin", f"/admin/users/{user_id}", {"username": "operator", "display_name": "话务员小李",
                                                              "role": "operator"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, user_id).active is False  # the box was left unticked


def test_categories_and_rules(pages, session):
    assert pages.post("admin", "/admin/categories", {"name": "水务", "description": "供水排水", "active": "y"}).status_code == 302
    category = session.scalar(select(Category).where(Category.name == "水务"))
    response = pages.post("admin", "/admin/rules", {"category": str(category.id), "district": "", "department": "water"})
    assert response.status_code == 302
    rule = session.scalar(select(RoutingRule).where(RoutingRule.category_id == category.id))
    assert rule.district is None and rule.department.code == "water"
    response = pages.post("admin", "/admin/rules", {"category": str(category.id), "district": "", "department": "zjj"})
    assert response.status_code == 400 and "已有规则" in text(response)
    body = text(pages.get("admin", f"/admin/rules?category={category.id}"))
    assert "衡阳市自来水有限责任公司" in body and "全市通用" in body
    rule_id = rule.id
    assert pages.post("admin", f"/admin/rules/{rule_id}/delete").status_code == 302
    session.expunge_all()
    assert session.get(RoutingRule, rule_id) is None


@AUTO
def test_time_limits_are_checked_saved_and_used(pages, session, api):
    page = text(pages.get("admin", "/admin/time-limits"))
    assert 'value="2wh"' in page and 'value="5wd"' in page
    form = {f"{key}_{phase}": value for key, limits in {
        "urgent": ("30min", "24h"), "consultation": ("2wh", "1wd"), "help": ("2wh", "3wd"),
        "complaint": ("1wh", "2wd"), "report": ("2wh", "5wd"), "suggestion": ("1wd", "15wd"),
        "praise": ("2wh", "1wd"), "enterprise": ("7d", "2mo")}.items() for phase, value in zip(("sign", "reply"), limits)}
    bad = pages.post("admin", "/admin/time-limits", {**form, "complaint_reply": "two days"})
    assert bad.status_code == 400
    assert "格式：数字加单位" in text(bad) and 'value="two days"' in text(bad)
    assert pages.post("admin", "/admin/time-limits", form).status_code == 302
    assert session.get(Setting, "time_limits").value["complaint"] == {"sign": "1wh", "reply": "2wd"}
    ticket = pages.new_call()
    detail = api.get(f"/tickets/{ticket}", "supervisor").json
    assert detail["sign_by"] == "2026-11-16T10:00:00+08:00"  # one working hour from Monday 09:00


def test_holidays_add_and_remove(pages, session):
    response = pages.post("admin", "/admin/holidays", {"day": "2026-12-24", "is_workday": "0", "note": "市政府决定"})
    assert response.status_code == 302
    assert session.get(CalendarOverride, date(2026, 12, 24)).note == "市政府决定"
    assert "2026-12-24" in text(pages.get("admin", "/admin/holidays?year=2026"))
    bad = pages.post("admin", "/admin/holidays", {"day": "24/12/2026", "is_workday": "0"})
    assert bad.status_code == 400 and 'value="24/12/2026"' in text(bad)
    assert pages.post("admin", "/admin/holidays/2026-12-24/delete").status_code == 302
    session.expunge_all()
    assert session.get(CalendarOverride, date(2026, 12, 24)) is None


def test_knowledge_base_entries(pages, session):
    response = pages.post("admin", "/admin/kb", {"question": "公积金怎么提取", "answer": "网上办理。", "department": "公积金中心",
                                                "active": "y"})
    assert response.status_code == 302
    entry = session.scalar(select(KBEntry))
    assert "公积金怎么提取" in text(pages.get("admin", "/admin/kb?q=公积金"))
    response = pages.post("admin", f"/admin/kb/{entry.id}", {"question": "公积金怎么提取", "answer": "",
                                                            "department": "公积金中心"})
    assert response.status_code == 400 and "请填写答复" in text(response)


def test_model_versions_show_metrics_and_activate(pages, model_dir, session):
    version = sorted(p.name for p in model_dir.iterdir())[-1]
    body = text(pages.get("admin", "/admin/models"))
    assert version in body and "在用" in body and "%" in body
    response = pages.post("admin", f"/admin/models/{version}/activate")
    assert response.status_code == 302
    assert session.get(Setting, "active_model").value == version
    assert pages.post("admin", "/admin/models/nope/activate").status_code == 400


def test_deleting_what_is_not_there_says_so_on_the_next_page(pages):
    response = pages.post("admin", "/admin/holidays/2026-01-05/delete", follow_redirects=True)
    assert "2026-01-05 没有调整记录" in text(response)
    response = pages.post("admin", "/admin/rules/99999/delete", follow_redirects=True)
    assert "没有编号为 99999 的派单规则" in text(response)


def test_the_knowledge_base_page_says_the_bundled_entries_are_beijings(pages, session):
    from hotline.services.knowledge import BUNDLED_KB, seed_knowledge

    assert "北京市政务问答数据" not in text(pages.get("admin", "/admin/kb"))
    seed_knowledge(session, BUNDLED_KB)
    session.commit()
    body = text(pages.get("admin", "/admin/kb"))
    assert "北京市政务问答数据（MSGABench" in body and "MSGABench·北京 msga-dept-" in body


def test_the_model_page_shows_real_outcomes_and_retrain_decisions(pages, api, session, clock):
    from models import RetrainDecision, RetrainOutcome

    for content in ("地铁站出口的电梯停运一周了，请尽快维修", "小区门口的道路坑洼不平，车辆经过很危险"):
        assert api.post("/tickets", "operator", {"content": content, "caller_phone": "13812345678",
                                                "appeal_type": "complaint"}).status_code == 201
    session.add(RetrainDecision(decided_at=clock(), outcome=RetrainOutcome.SKIPPED,
                                reason="retrain_not_enough_holdout", holdout=0, history=40,
                                scores={"note": {"code": "retrain_not_enough_holdout",
                                                 "params": {"count": 10, "minimum": 200}}}))
    session.commit()
    body = text(pages.get("admin", "/admin/models"))
    assert "近 30 天实际结果" in body and "模型处理 2 张" in body and "自动派单占比" in body
    assert "重新训练记录" in body and "未训练：可留作检验的近期办结工单只有 10 张，至少需要 200 张" in body
