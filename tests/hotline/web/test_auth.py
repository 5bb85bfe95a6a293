"""Login, landing pages, role guards, logout and CSRF on the pages."""
import re

import pytest

from hotline.services.demo import DEMO_PASSWORD

from tests.builders import user
from tests.hotline.api.helpers import dispatched_ticket, new_ticket, replied_ticket

from .conftest import Pages, text

HOMES = [
    ("operator", "/operator/"),
    ("dispatcher", "/dispatcher/"),
    ("zjj", "/department/"),
    ("supervisor", "/supervisor/"),
    ("admin", "/admin/"),
]


def test_each_role_lands_on_its_own_home_page(app):
    for username, home in HOMES:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert response.headers["Location"] == home
        page = client.get(home)
        assert page.status_code == 200
        assert "退出" in text(page)
        assert client.get("/").headers["Location"] == home


def test_wrong_password_shows_a_message_and_keeps_the_username(client):
    response = client.post("/login", data={"username": "operator", "password": "wrong"})
    assert response.status_code == 401
    body = text(response)
    assert "用户名或密码错误" in body
    assert 'value="operator"' in body
    assert "wrong" not in body  # a password is never sent back


def test_empty_login_form_says_what_is_missing(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 400
    assert "请输入用户名" in text(response) and "请输入密码" in text(response)


def test_anonymous_visitor_is_sent_to_login_and_back(client):
    response = client.get("/dispatcher/?kind=returned")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    login = client.post(response.headers["Location"], data={"username": "dispatcher", "password": DEMO_PASSWORD})
    assert login.headers["Location"] == "/dispatcher/?kind=returned"


def test_login_never_redirects_off_site(client):
    response = client.post("/login?next=//evil.example/x", data={"username": "operator", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/operator/"


REFUSED = [
    ("operator", "/dispatcher/"),
    ("operator", "/admin/users"),
    ("dispatcher", "/operator/"),
    ("zjj", "/supervisor/"),
    ("zjj", "/tickets/"),
    ("zjj", "/supervisor/reports/monthly"),
    ("supervisor", "/department/"),
    ("admin", "/operator/"),
    ("supervisor", "/admin/"),
    ("admin", "POST /operator/suggest"),
]


def test_a_page_of_another_role_is_refused(pages):
    for username, path in REFUSED:
        method, _, path = path.rpartition(" ")
        response = (pages.post if method == "POST" else pages.get)(username, path)
        assert response.status_code == 403, (username, path)
        assert "无权访问" in text(response)
        assert "您当前的身份是" in text(response)


def test_logout_ends_the_session(pages):
    client = pages.as_("operator")
    assert client.get("/logout").status_code == 405  # a link cannot log anyone out
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/operator/").status_code == 302


def test_deactivated_user_loses_the_open_session(pages, session):
    client = pages.as_("operator")
    user(session, "operator").active = False
    session.commit()
    assert client.get("/operator/").status_code == 302


def test_unknown_page_is_a_chinese_404(pages):
    response = pages.get("operator", "/no/such/page")
    assert response.status_code == 404
    assert "找不到" in text(response)


CSRF_ON = pytest.mark.app_config(WTF_CSRF_ENABLED=True)


@CSRF_ON
def test_form_without_csrf_token_is_refused(client):
    response = client.post("/login", data={"username": "operator", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "安全令牌" in text(response)


@CSRF_ON
def test_form_with_csrf_token_is_accepted(client):
    page = text(client.get("/login"))
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "operator", "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    # Every form of a logged-in page carries a token too, logout included.
    home = text(client.get("/operator/"))
    assert home.count('name="csrf_token"') >= 2
    assert client.post("/logout").status_code == 400


@CSRF_ON
def test_live_suggestions_need_the_csrf_header(client):
    page = text(client.get("/login"))
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "operator", "password": DEMO_PASSWORD, "csrf_token": token})
    meta = re.search(r'name="csrf-token" content="([^"]+)"', text(client.get("/operator/"))).group(1)
    body = {"content": "小区楼道墙皮脱落物业不修"}
    assert client.post("/operator/suggest", json=body).status_code == 400
    assert client.post("/operator/suggest", json=body, headers={"X-CSRFToken": meta}).status_code == 200


@CSRF_ON
def test_the_json_api_needs_no_csrf_token(client):
    response = client.post("/api/v1/auth/token", json={"username": "operator", "password": DEMO_PASSWORD})
    assert response.status_code == 200


@CSRF_ON
@pytest.mark.app_config(AUTO_DISPATCH_THRESHOLD=1.01)
@pytest.mark.parametrize(("username", "path"), [
    ("operator", "/operator/"), ("dispatcher", "/dispatcher/"), ("zjj", "/department/tickets/{number}"),
    ("supervisor", "/supervisor/"), ("supervisor", "/supervisor/extensions"), ("admin", "/admin/"),
])
def test_every_post_form_on_each_home_page_carries_a_csrf_token(app, api, username, path):
    # Work on every list (the API is exempt from CSRF: it authenticates with bearer tokens, not cookies).
    new_ticket(api)
    number = dispatched_ticket(api, "zjj")["number"]
    replied_ticket(api, "zjj")
    asked = dispatched_ticket(api, "zjj")["number"]
    api.post(f"/tickets/{asked}/extension", "zjj", {"reason": "需协调", "working_days": 2})
    pages = Pages(app)
    response = pages.get(username, path.format(number=number), follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, flags=re.S | re.I)
    assert len(forms) >= (2 if username != "admin" else 1)  # the logout form, and the list's own forms
    for form in forms:
        assert "csrf_token" in form, form[:200]
