"""Fixtures of the page tests: log in as a demo user through the login form, register calls through the pages."""
from __future__ import annotations

import re

import pytest

from hotline.services.demo import DEMO_PASSWORD

CALL = {
    "caller_phone": "13812345678",
    "caller_name": "王先生",
    "appeal_type": "complaint",
    "urgency": "normal",
    "channel": "phone",
    "address": "衡阳市雁峰区先锋街道某小区3栋",
    "district": "",
    "content": "我家小区楼道的墙皮大面积脱落，物业一直不维修，存在安全隐患，请相关部门督促处理。",
}
MANUAL = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)  # every call waits for the dispatcher
AUTO = pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=0.0)  # every call is dispatched at once


class Pages:
    """A test client that logs in through the login page, one client per user."""

    def __init__(self, app) -> None:
        self.app = app
        self.clients: dict[str, object] = {}

    def as_(self, username: str):
        """A client logged in as `username` (created on first use)."""
        if username not in self.clients:
            client = self.app.test_client()
            response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
            self.clients[username] = client
        return self.clients[username]

    def get(self, username: str, path: str, **kwargs):
        """GET a page as `username`."""
        return self.as_(username).get(path, **kwargs)

    def post(self, username: str, path: str, data=None, **kwargs):
        """POST a form as `username`."""
        if "json" not in kwargs:
            kwargs["data"] = data or {}
        return self.as_(username).post(path, **kwargs)

    def new_call(self, **overrides) -> str:
        """Register a call on the operator's page; returns the ticket number."""
        response = self.post("operator", "/operator/", {**CALL, **overrides})
        assert response.status_code == 302, response.get_data(as_text=True)
        match = re.search(r"created=(\d+)", response.headers["Location"])
        return match.group(1)


@pytest.fixture
def pages(app) -> Pages:
    """The pages, as demo users."""
    return Pages(app)


def text(response) -> str:
    """The page's HTML as text."""
    return response.get_data(as_text=True)
