"""/metrics: Prometheus text the client's own parser reads, with the service's figures; bearer-protected when set."""
from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from hotline.services import outbox, workflow
from models import Channel
from tests import builders


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample as {(name, sorted labels): value}."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_metrics_parse_and_show_requests_tickets_queue_overdue_outbox_and_model(client, session, policy, clock):
    outbox.add_target(session, None, "email", "ops@example.gov.cn")
    routed = builders.received(session, clock.now, channel=Channel.WEB)
    workflow.dispatch(session, routed, builders.department(session, "zjj"), None, policy, clock.now)  # by the model
    builders.received(session, clock.now)
    session.commit()
    client.get("/healthz")
    assert samples(client.get("/metrics").text)[("hotline_auto_dispatch_ratio", ())] == 0.5
    clock.set(clock.now.replace(year=2027))  # the routed ticket is overdue by then
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    got = samples(answer.text)
    assert got[("hotline_http_requests_total", (("endpoint", "health.healthz"), ("method", "GET"),
                                                ("status", "200")))] >= 1
    assert any(name == "hotline_http_request_duration_seconds_count" for name, _ in got)
    assert got[("hotline_tickets_created_total", (("channel", "web"),))] == 1
    assert got[("hotline_tickets_created_total", (("channel", "phone"),))] == 1
    assert got[("hotline_dispatch_queue_size", ())] == 1
    assert got[("hotline_overdue_tickets", ())] == 1
    # The dispatch notice to ops and two receipts wait in the outbox.
    assert got[("hotline_outbox_messages", (("channel", "email"), ("status", "pending")))] == 1
    assert got[("hotline_outbox_messages", (("channel", "sms"), ("status", "pending")))] == 2
    assert got[("hotline_auto_dispatch_ratio", ())] == 0.0  # nothing in the last 24 hours
    [(_, labels)] = [key for key in got if key[0] == "hotline_model_info"]
    assert dict(labels)["version"]


@pytest.mark.app_config(METRICS_TOKEN="s3cret-token")
def test_a_token_protects_the_metrics(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    answer = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert answer.status_code == 200 and "hotline_dispatch_queue_size" in answer.text


WORKER = """
import sys
from hotline import create_app
app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "x", "MODEL_DIR": sys.argv[2]})
client = app.test_client()
for _ in range(int(sys.argv[3])):
    client.get("/healthz")
if sys.argv[4] == "scrape":
    print(client.get("/metrics").text)
"""


def test_under_several_processes_the_counts_are_summed(app, database_url, model_dir, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}  # what gunicorn's workers share
    run = lambda n, mode: subprocess.run(  # noqa: E731
        [sys.executable, "-c", WORKER, database_url, str(model_dir), str(n), mode],
        env=env, capture_output=True, text=True, check=True, timeout=300)
    run(2, "quiet")
    text = run(1, "scrape").stdout
    key = ("hotline_http_requests_total", (("endpoint", "health.healthz"), ("method", "GET"), ("status", "200")))
    assert samples(text)[key] == 3
