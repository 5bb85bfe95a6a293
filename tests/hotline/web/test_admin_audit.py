"""操作日志: the admin's changes made on the pages and over the API, listed and filtered."""
from .conftest import text

UNIT = {"code": "sfj", "name": "市司法局", "kind": "bureau", "parent": "", "active": "y"}


def test_a_change_on_the_pages_is_listed_with_its_admin(pages):
    assert pages.post("admin", "/admin/departments", UNIT).status_code == 302
    page = text(pages.get("admin", "/admin/audit?entity=departments&actor=admin"))
    assert "市司法局" in page and "新增" in page and "单位" in page and "admin" in page
    assert "没有符合条件的记录" in text(pages.get("admin", "/admin/audit?entity=users&actor=admin"))
    assert pages.get("admin", "/admin/audit?entity=nothing").status_code == 400


def test_only_admins_read_the_log(pages):
    assert pages.get("supervisor", "/admin/audit").status_code == 403


def test_api_changes_are_audited_and_listed(api):
    assert api.post("/admin/holidays", "admin", {"day": "2026-12-24", "is_workday": False, "note": "放假"}).status_code == 201
    response = api.get("/admin/audit?entity=calendar_overrides", "admin")
    assert response.status_code == 200
    [entry] = response.json["items"]
    assert entry["actor"] == "admin" and entry["action"] == "create" and entry["entity_id"] == "2026-12-24"
    assert entry["after"]["note"] == "放假" and entry["before"] is None
    assert response.json["total"] == 1
    assert api.get("/admin/audit?entity=tickets", "admin").json["field"] == "entity"
    assert api.get("/admin/audit", "supervisor").status_code == 403
