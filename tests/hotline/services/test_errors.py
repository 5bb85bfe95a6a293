"""Domain errors carry a registered code and exactly the parameters its message needs, at every raise site."""
import ast
from pathlib import Path

import pytest

from hotline.services import errors
from hotline.services.errors import DomainError, InvalidInput, InvalidTransition, NotFound, placeholders, registry

HOTLINE = Path(errors.__file__).resolve().parent.parent
CLASSES = {cls.__name__: cls for cls in errors._subclasses(DomainError)}  # grandchildren (Conflict) too


def _error_calls():
    """(where, class name, call) for every call of a domain error class in hotline/."""
    for path in sorted(HOTLINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CLASSES:
                yield f"{path.relative_to(HOTLINE.parent)}:{node.lineno}", node.func.id, node


def test_the_scan_sees_the_raise_sites():
    sites = list(_error_calls())
    assert len(sites) > 80
    # DomainError itself has no raise site since a short history became a recorded, skipped retrain.
    assert {name for _, name, _ in sites} >= {"InvalidInput", "NotFound", "InvalidTransition", "Forbidden",
                                               "Unauthorized"}


def test_every_raise_site_names_a_code_of_its_class_with_exactly_its_parameters():
    for where, name, call in _error_calls():
        code_arg = call.args[0]
        if isinstance(code_arg, ast.Attribute) and code_arg.attr == "code":
            continue  # an error re-raised with another field keeps its own code and parameters
        assert isinstance(code_arg, ast.Constant) and isinstance(code_arg.value, str), f"{where}: the code is a literal"
        messages = vars(CLASSES[name])["messages"]
        assert code_arg.value in messages, f"{where}: {name} has no code {code_arg.value!r}"
        if any(keyword.arg is None for keyword in call.keywords):
            continue  # **params: checked when the message is built (a missing one is a KeyError in the tests)
        given = {keyword.arg for keyword in call.keywords} - {"field"}
        assert given == placeholders(messages[code_arg.value]), f"{where}: parameters of {code_arg.value}"


def test_an_unregistered_code_is_refused():
    with pytest.raises(ValueError, match="no error code 'no_such_thing'"):
        InvalidInput("no_such_thing")
    with pytest.raises(ValueError, match="NotFound has no error code 'return_limit_reached'"):
        NotFound("return_limit_reached", number="1", count=2, limit=2)


def test_the_english_message_is_built_from_the_code_and_its_parameters():
    error = InvalidTransition("return_limit_reached", number="2026111600001", count=2, limit=2)
    assert (error.code, error.status, error.field) == ("return_limit_reached", 409, None)
    assert error.params == {"number": "2026111600001", "count": 2, "limit": 2}
    assert error.message == str(error) == (
        "ticket 2026111600001 was already returned 2 times (at most 2); it must be handled")
    steps = InvalidTransition("supervision_steps_pending", field="rectification", id=3, steps=["复查", "回访"])
    assert steps.message == "supervision case 3 has rectification steps not done: 复查, 回访"
    assert steps.field == "rectification"


def test_every_code_is_declared_once_with_a_status():
    table = registry()
    assert table["return_limit_reached"].status == 409
    assert table["ticket_not_found"].status == 404
    assert table["role_required"].status == 403
    assert table["token_expired"].status == 401
    assert table["invalid_input"].status == 400
    assert all(entry.english.strip() for entry in table.values())
    assert len(table) == sum(len(vars(cls).get("messages", {})) for cls in CLASSES.values()) + len(
        errors.REQUEST_ERRORS)
