"""Fixtures: each test gets a fresh app on a database holding just the demo city (SQLite, and PostgreSQL when configured).

Set HOTLINE_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every
database test a second time on PostgreSQL; the suite creates and drops a database of its own there.
"""
from __future__ import annotations

import os
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

import models
from hotline import append_only, create_app
from hotline.db import upgrade_schema
from hotline.services.demo import DEMO_PASSWORD, seed_demo
from hotline.services.policy import load_policy
from tests import routes, snapshot
from tests.model_cache import models_loaded_once

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CSV = ROOT / "data" / "msga_domain.csv"
PG_URL = os.environ.get("HOTLINE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@contextmanager
def fresh_database(backend: str, folder: Path):
    """A new, empty database (no schema) of `backend`, dropped afterwards; yields its URL."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'hotline-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    base = make_url(PG_URL)
    name = f"hotline_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        # A commit need not wait for its WAL to reach the disk: only a server crash could tell the difference.
        conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _routes_compiled_once():
    """Apps build faster (tests/routes.py)."""
    with pytest.MonkeyPatch.context() as patch:
        routes.builders_compiled_once(patch)
        yield


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """The database backend this run of a test uses."""
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory):
    """A database migrated to the newest schema, created for this run and dropped after it."""
    with fresh_database(backend, tmp_path_factory.mktemp("db")) as url:
        upgrade_schema(url)
        yield url


DEMO_HASH_METHOD = "scrypt:1024:8:1"  # the service's hash_password uses werkzeug's scrypt:32768:8:1


@pytest.fixture(scope="session")
def demo_password_hash() -> str:
    """The demo users' one shared hash: scrypt like the service's, at a low work factor.

    Checking a hash is deliberately slow (~0.1 s, far more on a loaded machine) and the API tests log in a
    couple of thousand times a run; a login still checks this hash the service's way (werkzeug reads the
    work factor from the hash). Passwords the service sets itself keep its full work factor.
    """
    return generate_password_hash(DEMO_PASSWORD, method=DEMO_HASH_METHOD)


@pytest.fixture(scope="session")
def demo_city(database_url, demo_password_hash):
    """The database seeded with the demo city once per run; `restore()` puts it back as seeded (tests/snapshot.py)."""
    kept = snapshot.seeded(database_url, lambda session: seed_demo(session, demo_password_hash))
    yield kept
    kept.close()


def stratified_sample(path: Path, per_label: int, min_count: int = 20) -> tuple[list[str], list[str]]:
    """Up to `per_label` rows of each label that has at least `min_count` rows."""
    from classifier import load_labelled_csv

    texts, labels = load_labelled_csv(path)
    counts = Counter(labels)
    taken: Counter = Counter()
    pairs = []
    for t, y in zip(texts, labels, strict=True):
        if counts[y] >= min_count and taken[y] < per_label:
            taken[y] += 1
            pairs.append((t, y))
    return [t for t, _ in pairs], [y for _, y in pairs]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """A small real model trained once per run on a stratified sample of the bundled data.

    HOTLINE_TEST_MODEL_DIR names a ready model directory instead: docs/screenshots/make.py passes one
    trained on all the bundled data, so the pictures show the suggestions the service really makes.
    CI never sets it.
    """
    from classifier import registry, train

    if given := os.environ.get("HOTLINE_TEST_MODEL_DIR"):
        root = Path(given)
        # A wrong path would only show as odd routing deep inside a test: refuse it here, saying why.
        if not any(p.joinpath("metadata.json").is_file() for p in root.glob("*")):
            raise pytest.UsageError(f"HOTLINE_TEST_MODEL_DIR={given} holds no model version (no */metadata.json)")
    else:
        texts, labels = stratified_sample(BUNDLED_CSV, per_label=100)
        model = train(texts, labels)
        root = tmp_path_factory.mktemp("models")
        model.save(root / model.metadata["version"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(registry, "load_model", models_loaded_once(registry, root))
        yield root


def wipe(engine) -> None:
    """Delete every row, children first, so the next test starts clean."""
    tables = list(reversed(models.Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            with append_only.lifted(conn):  # TRUNCATE fires no row trigger; SQLite's DELETE does
                for table in tables:
                    conn.execute(table.delete())


class Clock:
    """A settable clock for the app (CLOCK setting); starts on a Monday morning in Hengyang."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # 09:00 +08:00, a working Monday

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: datetime) -> None:
        self.now = value.astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    """The app's clock, pinned."""
    return Clock()


@pytest.fixture
def app_config(request, database_url, model_dir, clock, tmp_path) -> dict:
    """Settings for a test app; `@pytest.mark.app_config(KEY=value)` changes them for one test."""
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "MODEL_DIR": str(model_dir),
        "SECRET_KEY": "test-secret",
        "CLOCK": clock,
        "WTF_CSRF_ENABLED": False,
        "ATTACHMENT_DIR": str(tmp_path / "attachments"),
    }
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        config.update(marker.kwargs)
    return config


@pytest.fixture
def app(app_config, demo_city):
    """A fresh app on a database holding the demo city and nothing else."""
    demo_city.restore()  # a no-op unless something wrote since the last test's end
    application = create_app(app_config)
    yield application
    demo_city.restore()  # first: on PostgreSQL it waits for the app's connections still in a transaction
    application.extensions["hotline.engine"].dispose()


@pytest.fixture
def session(app):
    """A session on the app's database (for setting up and checking rows directly)."""
    with app.extensions["hotline.sessionmaker"]() as db_session:
        yield db_session


@pytest.fixture
def policy(app, session):
    """The rules in force in the test app, as a request loads them (settings plus the database's overrides)."""
    return load_policy(session, app.config)


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


class Api:
    """Calls the JSON API as a named demo user (logging in once per user)."""

    def __init__(self, client) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        """The bearer token of a demo user."""
        if username not in self.tokens:
            response = self.client.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.json
            self.tokens[username] = response.json["token"]
        return self.tokens[username]

    def call(self, method: str, path: str, user: str, **kwargs):
        """Send a request to /api/v1 as `user`."""
        headers = {"Authorization": f"Bearer {self.token(user)}", **kwargs.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path: str, user: str, **kwargs):
        return self.call("GET", path, user, **kwargs)

    def post(self, path: str, user: str, json=None, **kwargs):
        return self.call("POST", path, user, json=json if json is not None else {}, **kwargs)


@pytest.fixture
def api(client) -> Api:
    """The JSON API as demo users."""
    return Api(client)
