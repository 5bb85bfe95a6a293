"""The services stand alone (each imports first, without Flask) and only the workflow writes ticket events."""
from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import hotline.services

SERVICE_MODULES = sorted(m.name for m in pkgutil.walk_packages(hotline.services.__path__, "hotline.services."))

# Each module is imported as if it were the first one (a cycle shows up only for some first imports),
# with Flask made unimportable, so a service that reaches for it, or for a module that does, fails here.
PROBE = textwrap.dedent("""
    import importlib, sys
    sys.modules["flask"] = None
    failures = []
    for name in sys.argv[1:]:
        for loaded in [m for m in sys.modules if m == "hotline" or m.startswith("hotline.")]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except Exception as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    print("\\n".join(failures))
    sys.exit(1 if failures else 0)
""")


def test_every_services_module_imports_first_and_without_flask():
    assert "hotline.services.workflow" in SERVICE_MODULES and "hotline.services.cycle.daily" in SERVICE_MODULES
    done = subprocess.run([sys.executable, "-c", PROBE, *SERVICE_MODULES], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_probe_catches_a_module_that_needs_flask():
    done = subprocess.run([sys.executable, "-c", PROBE, "hotline.routing_setup"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1 and "hotline.routing_setup" in done.stdout


def test_only_the_workflow_writes_ticket_events_or_statuses():
    package = Path(hotline.services.__file__).resolve().parents[1]
    writers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # TicketEvent(...) or insert(TicketEvent): an event row; `<x>.status = TicketStatus.…`: a transition.
            called = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None
            if called == "TicketEvent" or (called == "insert" and "TicketEvent" in ast.unparse(node)):
                writers.add(path.relative_to(package).as_posix())
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "status"
                                                    for t in node.targets) \
                    and "TicketStatus" in ast.unparse(node.value) + ast.unparse(node):
                writers.add(path.relative_to(package).as_posix())
    assert writers == {"services/workflow.py"}
