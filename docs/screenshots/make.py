"""Take the README's screenshots from the lived-in demo: 衡阳市 after 90 simulated days of its hotline.

    python docs/screenshots/make.py            # writes docs/screenshots/*.png
    python docs/screenshots/make.py --days 30  # a shorter history (quicker, emptier pages)

In a temporary folder it runs `flask hotline demo --history DAYS --seed 12345` (the demo city, the default
model trained on all the bundled data, and the simulated calls, handling and cycle jobs up to today), serves
that database on 127.0.0.1, and lets headless Chromium log in as each role and photograph its pages.

Needs Chromium (apt-get install chromium, or CHROMIUM_PATH) and, for Chinese text, a CJK font
such as fonts-wqy-microhei or fonts-noto-cjk.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "demo12345"
CALL = ("13812345678", "王先生", "衡阳市雁峰区先锋街道某小区3栋",
        "我家小区楼道的墙皮大面积脱落，物业一直不维修，存在安全隐患，请相关部门督促处理。")


def build_demo(folder: Path, days: int) -> dict[str, str]:
    """The demo with its history in `folder`; returns the settings that open it."""
    settings = {"HOTLINE_DATABASE_URL": f"sqlite:///{folder / 'hotline.sqlite3'}",
                "HOTLINE_MODEL_DIR": str(folder / "models"), "HOTLINE_SECRET_KEY": "screenshots",
                "HOTLINE_SESSION_COOKIE_SECURE": "false"}
    env = {**os.environ, **settings}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "hotline", "demo", "--history", str(days),
                    "--seed", "12345"], cwd=ROOT, env=env, check=True)
    return settings


def serve(settings: dict[str, str]):
    """The app on 127.0.0.1 at a free port, in a thread; returns (base URL, server)."""
    from werkzeug.serving import make_server

    os.environ.update(settings)
    sys.path.insert(0, str(ROOT))
    from hotline import create_app
    from hotline.routing_setup import warm_up

    app = create_app()
    warm_up(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def pick(database: Path, sql: str) -> str | None:
    """One value from the demo's database (a ticket worth showing)."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        row = connection.execute(sql).fetchone()
    return row[0] if row else None


def shoot(browser, base: str, database: Path) -> list[str]:
    """Log in as each role and photograph its main pages; returns the files written."""
    written: list[str] = []
    difficult = pick(database, "SELECT number FROM tickets WHERE difficult ORDER BY id DESC LIMIT 1")
    enterprise = pick(database, "SELECT enterprise_credit_code FROM tickets WHERE enterprise_credit_code IS NOT NULL "
                                "GROUP BY enterprise_credit_code ORDER BY count(*) DESC LIMIT 1")

    def desk(username: str, width: int = 1440, height: int = 900):
        context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_selector("header .who")
        return page

    def snap(page, name: str, path: str | None = None) -> None:
        if path:
            page.goto(path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(HERE / f"{name}.png"), full_page=True)
        written.append(name)

    page = desk("operator")
    for selector, value in zip(("#caller_phone", "#caller_name", "#address", "#content"), CALL, strict=True):
        page.fill(selector, value)
    page.wait_for_selector("#sg-route .cand")
    snap(page, "operator-call")
    page.click("#submit-call")
    page.wait_for_selector("#created-number")
    snap(page, "operator-created")
    number = page.inner_text("#created-number")

    page = desk("dispatcher")
    snap(page, "dispatcher-queue", "/dispatcher/")

    page = desk("zjj")
    snap(page, "department-inbox", "/department/")
    first = page.locator("table#inbox tbody tr a").first
    if first.count():
        first.click()
        snap(page, "department-ticket")
        printable = page.locator("#print-link")
        if printable.count():
            printable.click()
            snap(page, "ticket-print")
    phone = desk("zjj", 390, 844)
    snap(phone, "department-inbox-phone", "/department/")

    page = desk("supervisor")
    snap(page, "supervisor-callbacks", "/supervisor/")
    snap(page, "supervisor-extensions", "/supervisor/extensions")
    snap(page, "supervisor-alerts", "/supervisor/alerts")
    snap(page, "supervisor-monthly-report", "/supervisor/reports/monthly")
    snap(page, "supervisor-cases", "/supervisor/cases")
    snap(page, "supervisor-assessment", "/supervisor/reports/assessment")
    snap(page, "supervisor-ticket", f"/tickets/{difficult or number}")
    if enterprise:
        snap(page, "enterprise-history", f"/enterprises/{enterprise}")

    page = desk("admin")
    snap(page, "admin-overview", "/admin/")
    snap(page, "admin-rules", "/admin/rules")
    snap(page, "admin-time-limits", "/admin/time-limits")
    snap(page, "admin-models", "/admin/models")
    return written


def main() -> int:
    """Build the lived-in demo, serve it, photograph each role's pages into docs/screenshots/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90, help="days of simulated history (default 90)")
    days = parser.parse_args().days
    if not Path(CHROMIUM).exists():
        print(f"no Chromium at {CHROMIUM}: apt-get install chromium or set CHROMIUM_PATH", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="hotline-screens-") as tmp:
        settings = build_demo(Path(tmp), days)
        base, server = serve(settings)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                written = shoot(browser, base, Path(tmp) / "hotline.sqlite3")
                browser.close()
        finally:
            server.shutdown()
    print("wrote " + ", ".join(f"{name}.png" for name in written), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
