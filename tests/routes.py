"""Each test builds its own app, and werkzeug compiles two URL builders for each of its ~180 routes (most of the
~50 ms an app takes to build). A builder's code depends only on the route's parts, so the suite compiles each once.
"""
from __future__ import annotations

import inspect

import pytest
from werkzeug.routing.rules import Rule


def builders_compiled_once(patch: pytest.MonkeyPatch) -> None:
    """Remember `Rule._compile_builder`'s functions; left alone if werkzeug's private method changed shape."""
    original = Rule._compile_builder
    if list(inspect.signature(original).parameters) != ["self", "append_unknown"]:
        return
    compiled: dict = {}

    def compile_builder(self: Rule, append_unknown: bool = True):
        """The builder werkzeug would compile: it reads the rule's converters through `self` when called, and
        embeds only the route's parts, the names of its defaults and `append_unknown`."""
        defaults = self.defaults or {}
        if any(dynamic and data in defaults for dynamic, data in self._trace):
            return original(self, append_unknown)  # a default converted into the code: rare, not remembered
        key = (self.rule, tuple(self._trace), tuple(defaults), append_unknown)
        if key not in compiled:
            compiled[key] = original(self, append_unknown)
        return compiled[key]

    patch.setattr(Rule, "_compile_builder", compile_builder)
