"""The documents stay true to the code: the error-code table of docs/architecture.md is the registry's."""
import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _error_codes_script():
    """docs/error_codes.py, imported from its file (docs/ is no package)."""
    spec = importlib.util.spec_from_file_location("error_codes", DOCS / "error_codes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_error_code_table_matches_the_registry():
    script = _error_codes_script()
    document = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert script.rewritten(document) == document, "run python docs/error_codes.py"


def test_the_table_lists_every_code_once():
    from hotline.services.errors import registry

    table = _error_codes_script().table()
    for code in registry():
        assert table.count(f"| `{code}` |") == 1, code


def test_the_readme_links_the_architecture():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme
    assert "shared folder" not in readme
