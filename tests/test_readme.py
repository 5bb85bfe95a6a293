"""The README's production section: the settings it names exist, and the systemd unit supervises gunicorn."""
import configparser
import re
from pathlib import Path

from hotline.config import DEFAULTS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
FLASK_SETTINGS = {"SECRET_KEY", "MAX_CONTENT_LENGTH"}  # Flask's own, read through the same prefix


def production() -> str:
    """The README's production section."""
    return README.split("## Production", 1)[1].split("\n## ", 1)[0]


def test_every_setting_the_readme_names_exists():
    named = set(re.findall(r"HOTLINE_([A-Z_]+[A-Z])", README)) - {"TEST_DATABASE_URL", "TEST_MODEL_DIR"}
    assert named and named - set(DEFAULTS) - FLASK_SETTINGS == set()


def test_the_settings_a_city_must_set_are_named_with_a_reason():
    must = production().split("The others:", 1)[0]
    for name in ("HOTLINE_SECRET_KEY", "HOTLINE_SESSION_COOKIE_SECURE", "HOTLINE_RATELIMIT_STORAGE_URL"):
        row = next(line for line in must.splitlines() if line.startswith(f"| `{name}`"))
        assert len(row) > 120, name  # a reason, not just a name


def test_the_systemd_unit_restarts_gunicorn_and_stops_its_whole_group():
    block = re.search(r"```ini\n(.*?)```", production(), re.S).group(1)
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(block)
    service = unit["Service"]
    assert service["Restart"] == "always"
    assert service["KillMode"] in ("mixed", "control-group")
    assert "gunicorn" in service["ExecStart"] and service["ExecStart"].endswith("wsgi:app")
    assert int(service["TimeoutStopSec"]) > int(re.search(r"--graceful-timeout (\d+)", service["ExecStart"]).group(1))
