"""Every admin change writes one audit row (who, when, what, before, after), whatever path made it."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from hotline.services import audit, directory
from hotline.services.cycle import holidays
from hotline.services.knowledge import save_entry
from models import AuditEntry, Department, DepartmentKind, Role, RoutingRule, User

NOW = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)


@pytest.fixture
def admin_session(session):
    """A session whose changes the demo admin makes, at a pinned moment, on an empty audit trail."""
    admin = session.scalar(select(User).where(User.username == "admin"))
    audit.set_actor(session, admin.id, admin.username)
    audit.set_clock(session, lambda: NOW)
    session.admin = admin
    return session


def trail(session, **filters) -> list[AuditEntry]:
    """The audit rows written after the demo city was seeded."""
    return [e for e in session.scalars(audit.entries(session, **filters)) if e.actor_name]


def test_a_new_unit_is_recorded_with_who_when_and_what(admin_session):
    unit = directory.save_department(admin_session, code="xfj", name="市信访局", kind=DepartmentKind.BUREAU)
    admin_session.commit()
    [entry] = trail(admin_session)
    assert (entry.action, entry.entity, entry.entity_id) == ("create", "departments", str(unit.id))
    assert entry.actor_id == admin_session.admin.id and entry.actor_name == "admin" and entry.at == NOW
    assert entry.before is None
    assert entry.after["name"] == "市信访局" and entry.after["kind"] == "bureau" and entry.after["active"] is True


def test_a_change_records_only_what_changed_before_and_after(admin_session):
    unit = admin_session.scalar(select(Department).where(Department.code == "jtj"))
    directory.save_department(admin_session, code="jtj", name="市交通运输局（改）", kind=unit.kind, department_id=unit.id)
    admin_session.commit()
    [entry] = trail(admin_session, entity="departments")
    assert entry.action == "update"
    assert entry.before == {"name": "市交通运输局"} and entry.after == {"name": "市交通运输局（改）"}


def test_saving_without_a_change_records_nothing(admin_session):
    unit = admin_session.scalar(select(Department).where(Department.code == "jtj"))
    directory.save_department(admin_session, code="jtj", name=unit.name, kind=unit.kind, department_id=unit.id)
    admin_session.commit()
    assert trail(admin_session) == []


def test_a_password_change_is_recorded_without_the_hash_and_a_logout_not_at_all(admin_session):
    user = admin_session.scalar(select(User).where(User.username == "operator"))
    old_hash = user.password_hash
    directory.save_user(admin_session, username="operator", display_name=user.display_name, role=Role.OPERATOR,
                        department_id=None, password_hash="scrypt:new-hash", user_id=user.id)
    admin_session.commit()
    [entry] = trail(admin_session, entity="users")
    assert entry.before == {"password_hash": "(changed)"} and entry.after == {"password_hash": "(changed)"}
    assert old_hash not in str(entry.before) and "new-hash" not in str(entry.after)
    user.session_generation += 1  # what a logout does
    admin_session.commit()
    assert len(trail(admin_session, entity="users")) == 1


def test_a_deleted_rule_keeps_what_it_was(admin_session):
    rule = admin_session.scalar(select(RoutingRule).where(RoutingRule.district == "雁峰区"))
    rule_id, department_id = rule.id, rule.department_id
    directory.delete_rule(admin_session, rule_id)
    admin_session.commit()
    [entry] = trail(admin_session, entity="routing_rules")
    assert entry.action == "delete" and entry.entity_id == str(rule_id) and entry.after is None
    assert entry.before["district"] == "雁峰区" and entry.before["department_id"] == department_id


def test_time_limits_holidays_and_the_knowledge_base_are_audited(admin_session):
    limits = {key: {"sign": "2wh", "reply": "5wd"} for key in directory.sla.LIMIT_KEYS}
    directory.save_time_limits(admin_session, limits, admin_session.admin, NOW)
    holidays.set_override(admin_session, date(2026, 12, 24), False, "市政府决定放假")
    save_entry(admin_session, admin_session.admin, NOW, question="=1+1 怎么办居住证？", answer="到派出所办理。",
               department="市公安局")
    admin_session.commit()
    by_entity = {e.entity: e for e in trail(admin_session)}
    assert by_entity["settings"].entity_id == "time_limits" and by_entity["settings"].after["value"] == limits
    assert by_entity["calendar_overrides"].entity_id == "2026-12-24"
    assert by_entity["calendar_overrides"].after["note"] == "市政府决定放假"
    assert by_entity["kb_entries"].after["question"] == "=1+1 怎么办居住证？"


def test_a_rolled_back_change_leaves_no_audit_row(admin_session):
    directory.save_department(admin_session, code="xfj", name="市信访局", kind=DepartmentKind.BUREAU)
    admin_session.rollback()
    assert trail(admin_session) == []


def test_changes_without_a_logged_in_user_are_the_systems(session):
    directory.save_category(session, name="信访", description="信访事项")
    session.commit()
    entry = session.scalar(audit.entries(session, entity="categories"))
    assert entry.actor_id is None and entry.actor_name == "" and entry.after["name"] == "信访"
