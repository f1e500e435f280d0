"""The shape of planner/ui: page files describe screens and share only what is in components/.

Streamlit runs each page file as a script; a page importing another would run (or half-run)
that screen's module in the wrong place, and it couples screens that should only link.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "planner" / "ui"
PAGES = {p.stem for p in UI.glob("*.py")} - {"main", "__init__"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_no_page_imports_another_page():
    for path in [*UI.glob("*.py"), *UI.glob("components/*.py")]:
        pages = {n.rsplit(".", 1)[-1] for n in imported(path) if n.startswith("planner.ui.") and ".components" not in n}
        assert not pages & PAGES, f"{path.relative_to(UI)} imports the page(s) {sorted(pages & PAGES)}"


def test_every_page_is_in_the_navigation():
    from planner.ui.components import navigation

    files = {value for name, value in vars(navigation).items() if name.isupper() and isinstance(value, str)}
    assert files == {f"{page}.py" for page in PAGES}
