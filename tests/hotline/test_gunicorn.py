"""The service as deployed: gunicorn with gunicorn_conf.py (threaded workers), --preload, two workers."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from hotline.services.demo import DEMO_PASSWORD
from models import Ticket

ROOT = Path(__file__).resolve().parents[2]
CALL = {"content": "小区门口道路破损积水，行人通行困难，请尽快维修。", "caller_phone": "13812345678",
        "appeal_type": "complaint", "address": "雁峰区先锋街道"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """(status, headers, JSON body) of one request on a connection of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
                 {"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), json.loads(data) if data else None


def test_two_threaded_workers_take_concurrent_intakes_each_once(app, session, database_url, model_dir, tmp_path):
    port = free_port()
    env = {**os.environ, "HOTLINE_DATABASE_URL": database_url, "HOTLINE_MODEL_DIR": str(model_dir),
           "HOTLINE_SECRET_KEY": app.config["SECRET_KEY"], "GUNICORN_THREADS": "3"}
    env.pop("GUNICORN_WORKER_CLASS", None)  # gunicorn_conf.py's own choice
    log_path = tmp_path / "gunicorn.log"
    before = session.scalar(select(func.count()).select_from(Ticket))
    with open(log_path, "wb") as log, subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn_conf.py", "--preload", "-w", "2",
             "-b", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT) as server:
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    status, _, _ = request(port, "GET", "/healthz")
                    break
                except OSError:
                    assert server.poll() is None, log_path.read_text(encoding="utf-8", errors="replace")
                    assert time.monotonic() < deadline, "gunicorn did not answer"
                    time.sleep(0.3)
            status, _, body = request(port, "POST", "/api/v1/auth/token",
                                      {"username": "operator", "password": DEMO_PASSWORD})
            assert status == 200, body
            bearer = {"Authorization": f"Bearer {body['token']}"}
            keys = [uuid.uuid4().hex for _ in range(12)]

            def intake(key: str):
                call = {**CALL, "content": f"{CALL['content']}（{key}）"}
                return request(port, "POST", "/api/v1/tickets", call, {**bearer, "Idempotency-Key": key})

            with ThreadPoolExecutor(max_workers=6) as pool:  # more callers than one worker has threads
                first = list(pool.map(intake, keys))
                again = list(pool.map(intake, keys))  # every caller retries: each gets its first ticket back
        finally:
            server.terminate()
            server.wait(timeout=60)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    assert [s for s, _, _ in first] == [201] * 12, output
    assert [s for s, _, _ in again] == [201] * 12, output
    assert "Using worker: gthread" in output
    assert "Error" not in output and "database unavailable" not in output, output  # e.g. a socket shared by forks
    numbers = [b["number"] for _, _, b in first]
    assert len(set(numbers)) == 12
    assert [b["number"] for _, _, b in again] == numbers
    assert all(h.get("Idempotent-Replayed") == "true" for _, h, _ in again)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Ticket)) == before + 12


def settings(monkeypatch, **env: str) -> dict:
    """gunicorn_conf.py's settings under these environment variables."""
    import runpy

    for name in ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn_conf.py"))


def test_the_default_is_threaded_workers_within_the_connection_pool(monkeypatch, database_url):
    from hotline.db import make_engine

    conf = settings(monkeypatch)
    assert (conf["worker_class"], conf["threads"]) == ("gthread", 4)
    assert conf["threads"] < conf["worker_connections"] <= conf["backlog"]  # a bounded queue in the worker
    pool = make_engine(database_url).pool
    # An intake holds two connections at once (its number is taken on a second one): no thread waits for one.
    assert 2 * conf["threads"] <= pool.size() + pool._max_overflow


def test_sync_workers_alone_mean_no_threads(monkeypatch):
    # gunicorn would quietly run a "sync" worker with threads > 1 as gthread.
    assert settings(monkeypatch, GUNICORN_WORKER_CLASS="sync")["threads"] == 1
    assert settings(monkeypatch, GUNICORN_THREADS="8")["threads"] == 8
