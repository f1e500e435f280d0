"""Every widget whose value a page writes into its key keeps ``persist_state=PAGE_SET``, so that
a run cut short by the browser's next change cannot leave it on its default
(``planner/ui/components/session.py``; shown over Streamlit's protocol in
``tests/routes/test_cut_short_runs.py``).

Read from the source with ``ast``: in each module of ``planner/ui``, a key written as
``st.session_state[KEY] = …`` or ``s[KEY] = …`` (also in a tuple of targets, or with
``setdefault``) and given to a value widget as ``key=KEY`` (the same expression, f-strings
included) must come with ``persist_state=PAGE_SET``. A key written in one module and drawn in
another is not seen here; the editor's (written through a dict) is covered by the protocol test.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "planner" / "ui"
VALUE_WIDGETS = {
    "text_input", "text_area", "number_input", "selectbox", "multiselect", "radio", "checkbox", "toggle",
    "date_input", "time_input", "slider", "select_slider", "segmented_control", "pills", "color_picker",
}


def _is_state(node: ast.AST) -> bool:
    """``st.session_state`` or the pages' short name for it, ``s``."""
    return (isinstance(node, ast.Name) and node.id == "s") or (
        isinstance(node, ast.Attribute) and node.attr == "session_state")


def written_keys(tree: ast.AST) -> set[str]:
    keys = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            for t in node.targets:
                targets.extend(t.elts if isinstance(t, ast.Tuple) else [t])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault" \
                and _is_state(node.func.value) and node.args:
            keys.add(ast.unparse(node.args[0]))
        for t in targets:
            if isinstance(t, ast.Subscript) and _is_state(t.value):
                keys.add(ast.unparse(t.slice))
    return keys


def widgets(tree: ast.AST) -> list[tuple[str, int, bool]]:
    """(key expression, line, has persist_state) of each value widget drawn with a key."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in VALUE_WIDGETS:
            kw = {k.arg: k.value for k in node.keywords}
            if "key" in kw:
                persist = "persist_state" in kw and ast.unparse(kw["persist_state"]) == "PAGE_SET"
                found.append((ast.unparse(kw["key"]), node.lineno, persist))
    return found


def missing(source: str) -> list[str]:
    tree = ast.parse(source)
    written = written_keys(tree)
    return [f"{key} (line {line})" for key, line, persist in widgets(tree) if key in written and not persist]


def test_every_widget_a_page_writes_keeps_its_value_on_a_run_cut_short():
    problems = {}
    for path in sorted(UI.rglob("*.py")):
        found = missing(path.read_text())
        if found:
            problems[str(path.relative_to(UI))] = found
    assert problems == {}, problems


def test_the_check_sees_a_written_key_without_the_scope():
    source = '''
s = st.session_state
s["ev_title"] = event.title
s[f"{k}_lang"], s[f"{k}_title"] = "fr", ""
st.session_state.setdefault(f"{prefix}_role", "speaker")
st.text_input("Title", key="ev_title")
st.selectbox("Language", langs, key=f"{k}_lang", persist_state=PAGE_SET)
st.text_input("Title", key=f"{k}_title", persist_state="session")
st.selectbox("Role", roles, key=f"{prefix}_role")
st.text_input("Search", key="search")
st.button("Save", key="ev_title")
'''
    assert missing(source) == ["'ev_title' (line 6)", "f'{k}_title' (line 8)", "f'{prefix}_role' (line 9)"]
