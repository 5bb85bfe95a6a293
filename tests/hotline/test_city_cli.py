"""`hotline import|export`, and the production path: empty database → init-db → import → create-user → gunicorn."""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import func, select

from hotline import create_app
from hotline.services.demo import DEMO_CITY, TEMPLATE
from models import Department, User
from tests.conftest import ROOT, fresh_database, wipe
from tests.builders import appending, city_package


def passwords(output: str) -> dict[str, str]:
    """The initial passwords an import printed, by username."""
    shown = output.split("initial passwords of the new users", 1)[1]
    return dict(re.findall(r"^  (\S+)  (\S+)$", shown, flags=re.MULTILINE))


@pytest.fixture
def empty(app, session):
    """The app's database with nothing in it."""
    wipe(app.extensions["hotline.engine"])
    return session


def test_dry_run_prints_what_would_change_and_writes_nothing(runner, empty):
    result = runner.invoke(args=["hotline", "import", str(TEMPLATE), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "units: 1 would add" in result.output and "would add zjj" in result.output
    assert "dry run: nothing was written" in result.output
    assert "initial passwords" not in result.output
    assert empty.scalar(select(func.count()).select_from(Department)) == 0


def test_import_prints_each_new_users_password_once_and_it_logs_in(runner, empty, client):
    result = runner.invoke(args=["hotline", "import", str(TEMPLATE)])
    assert result.exit_code == 0, result.output
    shown = passwords(result.output)
    assert set(shown) == {"admin", "zjj"} and len(set(shown.values())) == 2
    response = client.post("/api/v1/auth/token", json={"username": "zjj", "password": shown["zjj"]})
    assert response.status_code == 200 and response.json["department"] == "zjj"
    assert response.json["must_change_password"]  # one-time: the token opens only POST /auth/password
    page = client.post("/login", data={"username": "admin", "password": shown["admin"]})
    assert page.headers["Location"].startswith("/account/password")
    assert all(password not in u.password_hash for u in empty.scalars(select(User)) for password in shown.values())
    again = runner.invoke(args=["hotline", "import", str(TEMPLATE)])
    assert "nothing to change" in again.output and "initial passwords" not in again.output


def test_a_bad_package_exits_naming_each_problem(runner, session, tmp_path):
    package = city_package(tmp_path / "city", rules=appending(["交通", "雁峰区", "nope"]))
    result = runner.invoke(args=["hotline", "import", str(package)])
    assert result.exit_code == 1
    assert "rules.csv, row 28, column 承办单位: unknown unit nope" in result.output
    assert "nothing was imported" in result.output


def test_export_writes_the_package(runner, tmp_path):
    result = runner.invoke(args=["hotline", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "units.csv").read_text(encoding="utf-8-sig").startswith("编码,名称,上级,类型\nhotline,")
    assert runner.invoke(args=["hotline", "import", str(tmp_path / "out")]).output.endswith(
        "nothing to change: the database already holds this package\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_json(url: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


def test_production_path_from_an_empty_database(backend, tmp_path, model_dir):
    """README's recipe, step by step, with the city's own units and no demo."""
    with fresh_database(backend, tmp_path) as url:
        settings = {"DATABASE_URL": url, "SECRET_KEY": "production-test", "MODEL_DIR": str(model_dir)}
        app = create_app(settings)
        runner = app.test_cli_runner()
        try:
            step = runner.invoke(args=["hotline", "init-db"])
            assert step.exit_code == 0 and "schema is up to date" in step.output
            step = runner.invoke(args=["hotline", "import", str(TEMPLATE)])
            assert step.exit_code == 0, step.output
            admin_password = passwords(step.output)["admin"]
            step = runner.invoke(args=["hotline", "create-user", "li", "--role", "department", "--department", "zjj",
                                       "--password", "li-secret-1"])
            assert step.exit_code == 0, step.output  # the step that failed before a city could be imported
        finally:
            app.extensions["hotline.engine"].dispose()
        port = _free_port()
        env = {**os.environ, **{f"HOTLINE_{k}": v for k, v in settings.items()}}
        log_path = tmp_path / "gunicorn.log"
        with open(log_path, "wb") as log, subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--preload", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT) as server:
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 90
                while True:
                    try:
                        status, health = _get_json(f"{base}/healthz")
                        break
                    except OSError:
                        assert server.poll() is None, log_path.read_text(encoding="utf-8", errors="replace")
                        assert time.monotonic() < deadline, "gunicorn did not answer"
                        time.sleep(0.3)
                assert status == 200 and health["database"]["ok"] and health["model"]["ok"]
                _, body = _get_json(f"{base}/api/v1/auth/token", {"username": "li", "password": "li-secret-1"})
                assert body["department"] == "zjj"
                _, body = _get_json(f"{base}/api/v1/auth/token", {"username": "admin", "password": admin_password})
                assert body["token"]
            finally:
                server.terminate()
                server.wait(timeout=30)


@pytest.mark.parametrize("args", [["--help"], ["cycle", "runs"], ["hotline", "import", str(DEMO_CITY), "--dry-run"]])
def test_commands_that_do_not_route_never_import_the_model_libraries(args, database_url, tmp_path):
    """They start fast because scikit-learn, SciPy and jieba stay unloaded (bench/startup.py times them)."""
    probe = ("import sys\nfrom flask.cli import main\ntry:\n    main()\nexcept SystemExit as stop:\n"
             "    assert not stop.code, stop.code\n"
             "print(sorted({'sklearn', 'scipy', 'jieba', 'numpy'} & set(sys.modules)))")
    env = {**os.environ, "HOTLINE_DATABASE_URL": database_url, "HOTLINE_SECRET_KEY": "x",
           "HOTLINE_MODEL_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe, "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_years_schedule_from_a_file(runner, session, tmp_path):
    from models import CalendarYear

    notice = tmp_path / "2027.txt"
    notice.write_text("2027-01-01 休 元旦\n2027-02-05~2027-02-11 休 春节\n2027-02-14 班 春节调休\n", encoding="utf-8")
    result = runner.invoke(args=["hotline", "calendar-year", "2027", str(notice)])
    assert result.exit_code == 0, result.output
    assert "2027: schedule entered (8 天休息, 1 天调休上班)" in result.output
    assert session.get(CalendarYear, 2027) is not None
    notice.write_text("2027-02-30 休\n", encoding="utf-8")
    result = runner.invoke(args=["hotline", "calendar-year", "2027", str(notice)])
    assert result.exit_code == 1 and "line 1" in result.output and "does not exist" in result.output
