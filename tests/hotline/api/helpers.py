"""Small builders shared by the API tests."""
from __future__ import annotations

CALL = {
    "content": "我家小区楼道的墙皮大面积脱落，物业一直不维修，存在安全隐患，请相关部门督促处理。",
    "caller_phone": "13812345678",
    "appeal_type": "complaint",
    "caller_name": "王先生",
    "address": "衡阳市雁峰区先锋街道某小区3栋",
}


def new_ticket(api, **overrides) -> dict:
    """Register a call as the operator and return the ticket JSON."""
    response = api.post("/tickets", "operator", {**CALL, **overrides})
    assert response.status_code == 201, response.json
    return response.json


def dispatched_ticket(api, department: str = "zjj", **overrides) -> dict:
    """A ticket the dispatcher has sent to `department`."""
    ticket = new_ticket(api, **overrides)
    response = api.post(f"/tickets/{ticket['number']}/assign", "dispatcher", {"department": department})
    assert response.status_code == 200, response.json
    return response.json


def replied_ticket(api, department: str = "zjj", **overrides) -> dict:
    """A ticket signed and replied by `department`."""
    number = dispatched_ticket(api, department, **overrides)["number"]
    assert api.post(f"/tickets/{number}/sign", department).status_code == 200
    response = api.post(f"/tickets/{number}/reply", department, {"reply": "已督促物业维修，墙皮已修复。"})
    assert response.status_code == 200, response.json
    return response.json
