"""Open-loop HTTP load on the intake, through gunicorn on 127.0.0.1 (issue 9 item 5).

    python bench/http_load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/hotline_scale_1000000 \
        --model-dir /tmp/models --rate 50 --seconds 60

Runs on a database bench/scale.py generated and kept (``--keep``; 200,000 tickets in the last 30 days
before its clock, 2026-12-31; ``bench/scale.py --sizes 200000 --recent 200000 --keep --steps features`` makes
one of 200 k). gunicorn (``--workers``, ``--worker-class`` and ``--threads`` as ``gunicorn_conf.py`` recommends
unless given) serves the app with its clock set to the bench's, moving with real time. Then:

1. Throughput, closed loop: ``--clients`` callers send one request after another for ``--burst`` seconds,
   first to ``POST /api/v1/route`` (the model and the rules, nothing written), then to
   ``POST /api/v1/tickets``; the ratio of the two is the intake's cost beyond routing.
2. Open loop: one intake every 1/``--rate`` s for ``--seconds``, each sent at its planned moment by its own
   thread whatever the earlier ones are doing (so a slow server is not hidden by a waiting client); the
   latency of each is counted from its planned moment. Each carries its own Idempotency-Key.
3. Checks in the database: no duplicate (one ticket per call), one ticket per 201, and no 5xx. A call whose
   caller gave up while it was being processed is saved without an answer (its retry with the same key
   would get it): counted apart, not as a duplicate.

The answered rate is the 201s over the time from the first planned send to the last answer (an overloaded
server goes on answering after the last send). The machine's load average is sampled every 5 s.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cycle import NOW  # noqa: E402
from hotline.services.demo import DEMO_PASSWORD  # noqa: E402

STARTED = time.time()
PHONE_PREFIX = "1770"  # callers of this run only: their tickets are counted afterwards


def bench_app():
    """The app gunicorn serves: the bench's clock (2026-12-31 09:00 in Hengyang), moving with real time."""
    from datetime import timedelta

    from hotline import create_app
    from hotline.routing_setup import warm_up

    started = float(os.environ["BENCH_STARTED"])
    app = create_app({"CLOCK": lambda: NOW + timedelta(seconds=time.time() - started), "LOG_LEVEL": "WARNING"})
    warm_up(app)
    return app


def serve(args) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``--port`` with ``--workers`` workers; returns once it answers."""
    env = {**os.environ, "HOTLINE_DATABASE_URL": args.database_url, "HOTLINE_MODEL_DIR": args.model_dir,
           "HOTLINE_SECRET_KEY": "bench-only", "BENCH_STARTED": str(STARTED), "PYTHONPATH": str(ROOT)}
    if args.worker_class:
        env["GUNICORN_WORKER_CLASS"] = args.worker_class
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn_conf.py"), "--preload",
         "-w", str(args.workers), "-b", f"127.0.0.1:{args.port}", "bench.http_load:bench_app()"],
        env=env, cwd=ROOT, start_new_session=True)
    for _ in range(240):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def token(args) -> str:
    """A bearer token for the demo operator."""
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    conn.request("POST", "/api/v1/auth/token", json.dumps({"username": "operator", "password": DEMO_PASSWORD}),
                 {"Content-Type": "application/json"})
    response = conn.getresponse()
    body = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"no token: {response.status} {body}")
    return body["token"]


APPEALS: list[str] = []  # --distinct: the bundled appeals (data/msga_domain.csv), each a matter of its own
DISTRICTS = ["雁峰区", "石鼓区", "珠晖区", "蒸湘区", "南岳区", "衡阳县", "衡南县", "衡山县", "衡东县"]


def call(i: int, run: str) -> dict:
    """The i-th call: by default one matter in one district, told many ways (every call repeats the first);
    with --distinct a real appeal of the bundled data in one of nine districts, by a caller of its own."""
    if APPEALS:
        district = DISTRICTS[i % len(DISTRICTS)]
        return {"content": f"第{i}号（{run}）：{APPEALS[i % len(APPEALS)]}", "caller_phone": f"{PHONE_PREFIX}{i:07d}",
                "appeal_type": "complaint", "address": f"{district}某街道"}
    return {"content": f"第{i}号（{run}）：小区门口道路破损积水，行人通行困难，请尽快维修。雁峰区先锋街道{i % 50}号",
            "caller_phone": f"{PHONE_PREFIX}{i % 3000:07d}", "appeal_type": "complaint", "address": "雁峰区先锋街道"}


def send(args, bearer: str, path: str, body: dict, key: str | None = None, timeout: float = 30) -> int:
    """One POST; its status (0 when the connection failed or timed out)."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {bearer}"}
    if key:
        headers["Idempotency-Key"] = key
    try:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=timeout)
        conn.request("POST", path, json.dumps(body, ensure_ascii=False).encode(), headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status
    except OSError:
        return 0


CLOSED_LOOP_5XX: dict[str, int] = {}  # path → 5xx answers in its closed loop (they are not counted as done)


def closed_loop(args, bearer: str, path: str, run: str) -> float:
    """Requests per second that ``--clients`` back-to-back callers get answered (2xx) in ``--burst`` seconds."""
    done = [0]
    CLOSED_LOOP_5XX[path] = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + args.burst

    def caller(c: int) -> None:
        i = 0
        while time.perf_counter() < deadline:
            body = call(c * 100_000 + i, run)
            if path.endswith("/route"):
                body = {"content": body["content"], "address": body["address"]}
            status = send(args, bearer, path, body, key=f"{run}-burst-{c}-{i}" if path.endswith("/tickets") else None)
            i += 1
            if 200 <= status < 300:
                with lock:
                    done[0] += 1
            elif status >= 500:
                with lock:
                    CLOSED_LOOP_5XX[path] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=caller, args=(c,)) for c in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.perf_counter() - started)


def open_loop(args, bearer: str, run: str) -> dict:
    """``--rate`` intakes a second for ``--seconds``, each at its planned moment; latencies from that moment."""
    total = int(args.rate * args.seconds)
    results: list[tuple[int, float]] = [(-1, 0.0)] * total
    interval = 1 / args.rate

    def one(i: int, planned: float) -> None:
        status = send(args, bearer, "/api/v1/tickets", call(1_000_000 + i, run), key=f"{run}-open-{i}",
                      timeout=args.client_timeout)
        results[i] = (status, time.perf_counter() - planned)

    start = time.perf_counter() + 0.5
    with ThreadPoolExecutor(max_workers=args.max_in_flight) as pool:
        for i in range(total):
            planned = start + i * interval
            delay = planned - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i, planned)
    statuses = [s for s, _ in results]
    answered = sorted(t for s, t in results if s == 201)
    # From the first planned send to the last answer: the answers an overloaded server gives after the
    # last send count over the time they took.
    span = max([args.seconds] + [i * interval + t for i, (s, t) in enumerate(results) if s == 201])
    def pct(p: float) -> float:
        return answered[min(len(answered) - 1, int(len(answered) * p))] if answered else float("nan")
    return {
        "sent": total, "answered_201": len(answered), "answered_rate_per_s": len(answered) / span,
        "answer_span_s": span,
        "5xx": sum(1 for s in statuses if s >= 500), "4xx": sum(1 for s in statuses if 400 <= s < 500),
        "failed_or_timed_out": sum(1 for s in statuses if s == 0),
        "p50_ms": pct(0.50) * 1000, "p90_ms": pct(0.90) * 1000, "p99_ms": pct(0.99) * 1000,
        "max_ms": (answered[-1] * 1000) if answered else float("nan"),
        "mean_ms": statistics.mean(answered) * 1000 if answered else float("nan"),
    }


def saved(args, run: str) -> tuple[int, int]:
    """Tickets this run's open loop saved, and how many distinct calls among them (a duplicate shows as fewer)."""
    from models import Ticket

    engine = create_engine(args.database_url)
    with engine.connect() as conn:
        contents = conn.execute(select(Ticket.content).where(Ticket.content.like(f"%（{run}）%"))).scalars().all()
    engine.dispose()
    # The open loop's calls are numbered from 1,000,000 (seven digits starting with 1).
    opened = [c for c in contents if len(c.split("号")[0]) == 8 and c.startswith("第1")]
    return len(opened), len(set(opened))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", help="gunicorn's worker class (default: gunicorn_conf.py's, gthread)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn_conf.py's)")
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=4, help="closed-loop callers for the throughput ratio")
    parser.add_argument("--burst", type=float, default=20, help="seconds of each closed-loop run")
    parser.add_argument("--client-timeout", type=float, default=30, help="a caller gives up after this")
    parser.add_argument("--max-in-flight", type=int, default=400)
    parser.add_argument("--distinct", action="store_true", help="real, different appeals in nine districts "
                        "instead of one matter repeated (no shared original, no single hot spot)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if args.distinct:
        import csv

        with open(ROOT / "data" / "msga_domain.csv", encoding="utf-8") as f:
            APPEALS.extend(row["text"][:300] for row in csv.DictReader(f) if row["text"].strip())

    run = uuid.uuid4().hex[:8]
    loads: list[float] = []
    sampling = threading.Event()

    def sample_load() -> None:
        while not sampling.wait(5):
            loads.append(os.getloadavg()[0])

    threading.Thread(target=sample_load, daemon=True).start()
    server = serve(args)
    try:
        bearer = token(args)
        for i in range(10):  # warm both workers
            send(args, bearer, "/api/v1/tickets", call(2_000_000 + i, run), key=f"{run}-warm-{i}")
        route = closed_loop(args, bearer, "/api/v1/route", run)
        intake = closed_loop(args, bearer, "/api/v1/tickets", run)
        print(f"closed loop, {args.clients} callers, {args.burst:.0f} s each: POST /route {route:.1f}/s, "
              f"POST /tickets {intake:.1f}/s: intake {intake / route:.0%} of route (target ≥ 70 %); "
              f"5xx {CLOSED_LOOP_5XX}", flush=True)
        figures = open_loop(args, bearer, run)
        time.sleep(2)
        opened, distinct = saved(args, run)
        sampling.set()
        figures.update({"route_per_s": route, "intake_per_s": intake, "intake_vs_route": intake / route,
                        "closed_loop_5xx": dict(CLOSED_LOOP_5XX), "saved_by_open_loop": opened,
                        "distinct_saved": distinct, "duplicates": opened - distinct,
                        "saved_without_answer": distinct - figures["answered_201"],
                        "load_average_1min": {"min": min(loads), "max": max(loads),
                                              "mean": round(statistics.mean(loads), 2)} if loads else None,
                        "workers": args.workers, "worker_class": args.worker_class or "gthread (gunicorn_conf.py)",
                        "threads": args.threads, "distinct": args.distinct, "rate": args.rate,
                        "seconds": args.seconds, "at": datetime.now().isoformat(timespec="seconds")})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(f"open loop {args.rate:.0f}/s for {args.seconds:.0f} s: {figures['answered_201']} of {figures['sent']} "
          f"answered 201 ({figures['answered_rate_per_s']:.1f}/s), 5xx {figures['5xx']}, 4xx {figures['4xx']}, "
          f"no answer {figures['failed_or_timed_out']}; latency p50 {figures['p50_ms']:.0f} ms, "
          f"p90 {figures['p90_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms (target ≤ 300 ms), "
          f"max {figures['max_ms']:.0f} ms", flush=True)
    print(f"saved: {opened} tickets for {figures['answered_201']} answers, {distinct} distinct: "
          f"{figures['duplicates']} duplicates (target 0), {figures['saved_without_answer']} saved for a caller "
          f"who gave up while it ran", flush=True)
    if figures["load_average_1min"]:
        print(f"load average (1 min) during the run: {figures['load_average_1min']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
