"""/metrics in Prometheus text format: requests by endpoint and status, and the service's own figures.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty directory, the same for the `cycle` cron jobs) so
every worker's counts are added up; without it the figures are this process's own.
"""
from __future__ import annotations

import hmac
import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from . import clock
from .services.figures import snapshot

# registry=None: each scrape registers them in a registry of its own, beside the database figures.
REQUESTS = Counter("hotline_http_requests", "HTTP requests served", ["endpoint", "method", "status"], registry=None)
LATENCY = Histogram("hotline_http_request_duration_seconds", "Time to answer a request", ["endpoint"], registry=None)
JOB_FAILURES = Counter("hotline_job_failures", "Cycle job runs that failed (rolled back)", ["job"], registry=None)

bp = Blueprint("metrics", __name__)


class FiguresCollector:
    """The database's figures at scrape time."""

    def collect(self):
        """Yield one metric family per figure."""
        from .db import get_session
        from .routing_setup import get_engine

        figures = snapshot(get_session(), clock.now())
        tickets = CounterMetricFamily("hotline_tickets_created", "Tickets created, by channel", labels=["channel"])
        for channel, count in sorted(figures.tickets_by_channel.items()):
            tickets.add_metric([channel], count)
        yield tickets
        yield GaugeMetricFamily("hotline_auto_dispatch_ratio",
                                "Share of the last 24 hours' tickets the model dispatched itself",
                                value=figures.auto_dispatch_ratio)
        yield GaugeMetricFamily("hotline_dispatch_queue_size", "Tickets waiting for a dispatcher",
                                value=figures.queue_size)
        yield GaugeMetricFamily("hotline_overdue_tickets", "Open tickets past a deadline", value=figures.overdue)
        backlog = GaugeMetricFamily("hotline_outbox_messages", "Notifications not sent, by status and channel",
                                    labels=["status", "channel"])
        for (status, channel), count in sorted(figures.outbox.items()):
            backlog.add_metric([status, channel], count)
        yield backlog
        runs = CounterMetricFamily("hotline_job_runs", "Cycle job runs completed", labels=["job"])
        for job, count in sorted(figures.job_runs.items()):
            runs.add_metric([job], count)
        yield runs
        router = get_engine().router
        model = GaugeMetricFamily("hotline_model_info", "The model version in service", labels=["version"])
        model.add_metric([router.version if router is not None else ""], 1 if router is not None else 0)
        yield model


def registry() -> CollectorRegistry:
    """This scrape's registry: every process's request counters, and the database's figures."""
    reg = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(reg)
    else:
        for metric in (REQUESTS, LATENCY, JOB_FAILURES):
            reg.register(metric)
    reg.register(FiguresCollector())
    return reg


@bp.get("/metrics")
def metrics():
    """The metrics, for a bearer of METRICS_TOKEN when it is set."""
    token = current_app.config["METRICS_TOKEN"]
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            return Response("send Authorization: Bearer <HOTLINE_METRICS_TOKEN>\n", 401, mimetype="text/plain",
                            headers={"WWW-Authenticate": "Bearer"})
    return Response(generate_latest(registry()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Count and time every request, and serve /metrics."""

    @app.before_request
    def _start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        # The endpoint name, not the path: ticket numbers in paths would make one series per ticket.
        endpoint = request.endpoint or "unmatched"
        if endpoint != "metrics.metrics":
            REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
            LATENCY.labels(endpoint).observe(time.perf_counter() - g.get("metrics_started", time.perf_counter()))
        return response

    app.register_blueprint(bp)
