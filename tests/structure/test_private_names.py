"""No module reaches into another's private names: a name starting with an underscore is used only
in the module that defines it. What two modules share is public, and named for what it does."""

import ast
from pathlib import Path

TRACKER = Path(__file__).resolve().parents[2] / "tracker"


def _module_name(path: Path) -> str:
    parts = path.relative_to(TRACKER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_from(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def private_imports() -> list[str]:
    found = []
    for path in sorted(TRACKER.rglob("*.py")):
        module = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _imported_from(node, module, path.name == "__init__.py")
            if not source.startswith("tracker"):
                continue  # a library's private name is the library's business (and is flagged in review)
            found += [
                f"{path.relative_to(TRACKER.parent)}:{node.lineno} takes {alias.name} from {source}"
                for alias in node.names
                if _private(alias.name)
            ]
        found += _private_attributes(path)
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_attributes(path: Path, text: str | None = None) -> list[str]:
    """`module._name`, where `module` is a name this file imported from the tracker."""
    tree = ast.parse(text if text is not None else path.read_text(), str(path))
    module = _module_name(path)
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and _imported_from(node, module, path.name == "__init__.py").startswith("tracker")
        for alias in node.names
    }
    return [
        f"{path.relative_to(TRACKER.parent)}:{node.lineno} uses {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in imported
        and _private(node.attr)
    ]


def test_no_module_imports_another_modules_private_names():
    assert private_imports() == []


def test_the_check_sees_a_private_import_and_a_private_attribute():
    tree = ast.parse("from ..services.actions import _claim\n")
    node = tree.body[0]
    assert isinstance(node, ast.ImportFrom)
    assert _imported_from(node, "tracker.views.board", is_package=False) == "tracker.services.actions"
    sample = "from tracker.services.reminders import daily\n\ndaily._claimed([])\n"
    assert _private_attributes(TRACKER / "views" / "sample.py", sample) == [
        "tracker/views/sample.py:3 uses daily._claimed"
    ]
