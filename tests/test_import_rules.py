"""The layers' import rules, read from the source with `ast` so that they stay true.

- services and models never import Flask, neither themselves nor through any module of ours they import;
- classifier imports nothing of ours outside itself (no hotline, no models) and no Flask;
- models imports nothing of hotline's or classifier's;
- the pages (hotline.web) never import the JSON API (hotline.api), and the API never imports the pages.

Every import statement counts, wherever it stands (inside a function or under TYPE_CHECKING too): a deferred
import is still a dependency. A package's own __init__ is not followed implicitly: `hotline/__init__.py` is the
app factory, and what a layer depends on is what its modules name.
"""
from __future__ import annotations

import ast
from collections import deque
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hotline", "classifier", "models")
FLASK = ("flask", "flask_wtf")

# Known violations, being removed on the `usecases` branch (issue 8). This set must become empty: it is here
# only so that the test fails today on any NEW violation. Each entry is (module, what it must not reach).
KNOWN_VIOLATIONS: set[tuple[str, str]] = {
    ("hotline.web", "hotline.api.serialize"),  # mask_phone, a template filter
    ("hotline.web", "hotline.api"),  # init_app exempts the API's blueprints from CSRF ...
    ("hotline.web", "hotline.api.meta"),  # ... (the app factory could do that)
    ("hotline.web.forms", "hotline.api.schemas"),
    ("hotline.web.supervisor_reports", "hotline.api.report_formats"),
}


@cache
def modules() -> dict[str, Path]:
    """Every module of ours by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


@cache
def imports(name: str) -> frozenset[str]:
    """The dotted names module `name` imports anywhere in its source (relative imports resolved)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            named.add(base)
            # `from pkg import mod` imports the module pkg.mod when there is one.
            named.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules())
    named.discard("")
    return frozenset(named)


def is_under(name: str, prefixes) -> bool:
    """Whether `name` is one of `prefixes` or inside one of them."""
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def ours(prefixes) -> list[str]:
    """Our modules under `prefixes`."""
    return [name for name in modules() if is_under(name, prefixes)]


def path_to(start: str, forbidden) -> list[str] | None:
    """The shortest chain of imports from `start` to a forbidden name, through modules of ours; None if none."""
    seen, queue = {start}, deque([[start]])
    while queue:
        chain = queue.popleft()
        for target in sorted(imports(chain[-1])):
            if is_under(target, forbidden):
                return chain + [target]
            if target in modules() and target not in seen:
                seen.add(target)
                queue.append(chain + [target])
    return None


def reached(start: str, forbidden) -> list[list[str]]:
    """The shortest chain to a forbidden name, through modules of ours (none, or one)."""
    chain = path_to(start, forbidden)
    return [chain] if chain else []


def direct(start: str, forbidden) -> list[list[str]]:
    """[start, target] for each forbidden name `start` imports itself."""
    return [[start, target] for target in sorted(imports(start)) if is_under(target, forbidden)]


# (rule, modules it applies to, forbidden names, checker): transitive where a layer could pick up Flask
# through a helper of ours, direct where every module of the layer is itself checked.
RULES = [
    ("services never import Flask", ("hotline.services",), FLASK, reached),
    ("models never import Flask", ("models",), FLASK, reached),
    ("classifier never imports hotline, models or Flask", ("classifier",), ("hotline", "models", *FLASK), direct),
    ("models never import hotline or classifier", ("models",), ("hotline", "classifier"), direct),
    ("the pages never import the API", ("hotline.web",), ("hotline.api",), direct),
    ("the API never imports the pages", ("hotline.api",), ("hotline.web",), direct),
]


def violations(scope, forbidden, checker) -> dict[tuple[str, str], list[str]]:
    """Each module in `scope` that reaches a forbidden name: (module, where the chain leaves the rules) → chain."""
    found = {}
    for name in ours(scope):
        for chain in checker(name, forbidden):
            # Keyed by the last module of ours on the chain, so a new importer of a known culprit shows as new.
            found[(name, chain[-1] if len(chain) == 2 else chain[-2])] = chain
    return found


@pytest.mark.parametrize("rule, scope, forbidden, checker", RULES, ids=[r[0] for r in RULES])
def test_import_rule(rule, scope, forbidden, checker):
    found = violations(scope, forbidden, checker)
    new = {key: chain for key, chain in found.items() if key not in KNOWN_VIOLATIONS}
    assert not new, f"{rule}: " + "; ".join(" → ".join(chain) for chain in new.values())


def test_known_violations_are_still_real():
    """An entry that was fixed must leave the list, so that the list only shrinks to empty."""
    found = set()
    for _, scope, forbidden, checker in RULES:
        found |= set(violations(scope, forbidden, checker))
    assert KNOWN_VIOLATIONS <= found, f"fixed, remove from KNOWN_VIOLATIONS: {sorted(KNOWN_VIOLATIONS - found)}"


def test_the_checker_sees_relative_deferred_and_transitive_imports():
    """The rules hold because the reading works: known edges of the tree are found."""
    assert "hotline.services.policy" in imports("hotline.services.workflow")  # under TYPE_CHECKING, relative
    assert "hotline.services.cycle.flags" in imports("hotline.services.workflow")  # `from .cycle import flags`
    assert "hotline.services.workflow" in imports("hotline.services.cycle.supervision")  # `from .. import workflow`
    assert "flask" in imports("hotline.routing_setup")
    assert path_to("hotline.web.operator", ("hotline.services.intake",)) is not None
    assert path_to("hotline.services.sla", FLASK) is None
