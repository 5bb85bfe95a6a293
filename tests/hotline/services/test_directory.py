"""The admin's reference data as services: lookups, lists, and an admin who cannot lock everyone out."""
import pytest

from hotline.services import directory
from hotline.services.errors import InvalidInput
from models import Role


def test_an_admin_cannot_demote_or_deactivate_themself(session, user):
    admin = user("admin")
    for change in ({"role": Role.OPERATOR, "active": True}, {"role": Role.ADMIN, "active": False}):
        with pytest.raises(InvalidInput) as refused:
            directory.save_user(session, username="admin", display_name="", department_id=None, user_id=admin.id,
                                actor_id=admin.id, **change)
        assert refused.value.field == "role"
    # Another admin may do it, and so may the admin for someone else.
    directory.save_user(session, username="operator", display_name="", role=Role.DISPATCHER, department_id=None,
                        user_id=user("operator").id, actor_id=admin.id)
    assert user("operator").role == Role.DISPATCHER


def test_unit_lookups_name_the_field(session):
    assert directory.active_department(session, "zjj").code == "zjj"
    assert directory.department_id(session, None) is None
    with pytest.raises(InvalidInput) as unknown:
        directory.department_id(session, "nosuch", "parent")
    assert unknown.value.field == "parent"
    with pytest.raises(InvalidInput) as category:
        directory.active_category(session, "外星人")
    assert category.value.field == "category"


def test_the_lists_filter(session):
    found = list(session.scalars(directory.department_list(text="zj")))
    assert "zjj" in [d.code for d in found] and all("zj" in d.code or "zj" in d.name for d in found)
    assert len(found) < len(directory.departments(session))
    rules = list(session.scalars(directory.rule_list(district=directory.CITY_WIDE)))
    assert rules and all(r.district is None for r in rules)
    assert directory.counts(session)["departments"] == len(directory.departments(session))
