"""Speakers and organizations as rows of plain fields, filled from the keyboard one after the other
(issue #16): a name, the other cells, a role picker and a *Remove* button per row. There is always
one empty row at the end; typing a name into it adds the next, so nobody clicks "add a row" and an
empty cell is simply empty (the old table showed "None" and needed double-clicks). A list typed or
pasted ("Name; affiliation; role", one per line, or cells copied from a spreadsheet) adds its rows
in one go.

The rows live in ``st.session_state``: ``{prefix}_ids`` (row ids in order, the last one empty) and
one widget key per cell, ``{prefix}_{id}_{column}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from planner.codes import label
from planner.i18n import Lazy, _
from planner.text import parse_rows
from planner.ui.components.markdown import error_md
from planner.ui.components.session import PAGE_SET


@dataclass(frozen=True)
class Kind:
    """One kind of row: ``prefix`` of its widget keys, its text ``columns`` (the first is the name)
    with their labels (a label with ``{n}`` for rows after the first, whose labels are hidden),
    the ``roles`` and their labels, and ``default_role(rows so far)``."""

    prefix: str
    columns: tuple[str, ...]
    headers: dict[str, Lazy]
    row_labels: dict[str, Lazy]
    roles: tuple[str, ...]
    role_labels: dict
    default_role: Callable[[list[dict]], str]
    widths: tuple[float, ...]
    paste_hint: Lazy


def load(kind: Kind, entries: list[dict]) -> None:
    """Put ``entries`` (dicts of the columns and ``role``) into the rows, plus the empty last row."""
    s = st.session_state
    for row_id in s.get(f"{kind.prefix}_ids", []):
        _forget(kind, row_id)
    s[f"{kind.prefix}_ids"] = []
    for entry in entries:
        _append(kind, entry)
    _append(kind, {})


def rows(kind: Kind) -> list[dict]:
    """The rows typed so far, without the blank ones, each with its ``row_id``."""
    s = st.session_state
    found = []
    for row_id in s.get(f"{kind.prefix}_ids", []):
        row = {c: (s.get(_key(kind, row_id, c)) or "").strip() for c in kind.columns}
        if any(row.values()):
            found.append({**row, "role": s.get(_key(kind, row_id, "role")) or kind.roles[0], "row_id": row_id})
    return found


def editor(kind: Kind, problems: dict[int, list] | None = None) -> dict[str, str]:
    """Draw the rows; ``problems``: the refusals of the n-th non-blank row (from 1), shown under it.
    Returns ``{name field's key: key of its message}`` for ``field_errors.tie_errors``."""
    s = st.session_state
    problems = problems or {}
    tied = {}
    n = 0
    ids = s[f"{kind.prefix}_ids"]
    for position, row_id in enumerate(ids):
        blank = not any((s.get(_key(kind, row_id, c)) or "").strip() for c in kind.columns)
        if not blank:
            n += 1
        first = position == 0
        cells = st.columns([*kind.widths, 0.6], vertical_alignment="bottom", gap="small")
        for i, column in enumerate(kind.columns):
            text = kind.headers[column] if first else kind.row_labels[column].format(n=position + 1)
            cells[i].text_input(
                str(text), key=_key(kind, row_id, column), label_visibility="visible" if first else "collapsed",
                on_change=_grow, args=(kind,), persist_state=PAGE_SET,
            )
        role_header = _("Role") if first else _("Role of row {n}").format(n=position + 1)
        cells[len(kind.columns)].selectbox(
            role_header, kind.roles, key=_key(kind, row_id, "role"),
            format_func=lambda r: label(kind.role_labels, r),
            label_visibility="visible" if first else "collapsed", persist_state=PAGE_SET,
        )
        if not blank or position < len(ids) - 1:
            cells[-1].button(
                "", key=_key(kind, row_id, "remove"), icon=":material/close:", on_click=_remove, args=(kind, row_id),
                help=_("Remove row {n}").format(n=position + 1), type="tertiary",
            )
        if not blank and problems.get(n):
            with st.container(key=_key(kind, row_id, "problems")):
                for err in problems[n]:
                    st.error(error_md(err), icon=":material/error:")
            tied[_key(kind, row_id, kind.columns[0])] = _key(kind, row_id, "problems")
    return tied


def paste_box(kind: Kind) -> None:
    """Many rows at once, typed or pasted: added when the box is left (or with the button)."""
    # Open while the list is empty: on a new event the quickest way in is typing the whole list.
    with st.expander(_("Type or paste a list"), icon=":material/content_paste:", expanded=not rows(kind)):
        st.text_area(
            _("Rows to add"), key=f"{kind.prefix}_paste", persist_state=PAGE_SET, placeholder=str(kind.paste_hint),
            help=_("One per line; cells split by ; or by tabs. Added when you leave the box."),
            on_change=_take_paste, args=(kind,),
        )
        st.button(_("Add to the list"), key=f"{kind.prefix}_paste_add", on_click=_take_paste, args=(kind,))


# ---------------------------------------------------------------------- callbacks


def _take_paste(kind: Kind) -> None:
    s = st.session_state
    pasted = s.get(f"{kind.prefix}_paste") or ""
    if not pasted.strip():
        return
    # A rerun asked for before the browser saw the box emptied sends the old text again: the
    # same list right after it was added is that echo, not a second list.
    if pasted == s.get(f"{kind.prefix}_paste_taken"):
        s[f"{kind.prefix}_paste"] = ""
        return
    s[f"{kind.prefix}_paste_taken"] = pasted
    parsed = parse_rows(pasted, [*kind.columns, "role"])
    if "email" in kind.columns:  # "Name; affiliation; role", without an email
        for row in parsed:
            if row["email"] and "@" not in row["email"] and not row["role"]:
                row["role"], row["email"] = row["email"], ""
    ids = s[f"{kind.prefix}_ids"]
    last = ids[-1] if ids else None
    if last is not None and not any((s.get(_key(kind, last, c)) or "").strip() for c in kind.columns):
        _forget(kind, last)
        ids.pop()
    for row in parsed:
        role = (row.pop("role") or "").strip().lower()
        _append(kind, {**row, "role": role if role in kind.roles else None})
    _append(kind, {})
    s[f"{kind.prefix}_paste"] = ""


def _grow(kind: Kind) -> None:
    """Something typed into the empty last row: the next empty row appears below it."""
    s = st.session_state
    last = s[f"{kind.prefix}_ids"][-1]
    if any((s.get(_key(kind, last, c)) or "").strip() for c in kind.columns):
        _append(kind, {})


def _remove(kind: Kind, row_id: int) -> None:
    s = st.session_state
    s[f"{kind.prefix}_ids"] = [i for i in s[f"{kind.prefix}_ids"] if i != row_id]
    _forget(kind, row_id)
    if not s[f"{kind.prefix}_ids"]:
        _append(kind, {})


# ---------------------------------------------------------------------- state


def _append(kind: Kind, entry: dict) -> None:
    s = st.session_state
    counter = f"{kind.prefix}_next"
    s[counter] = row_id = s.get(counter, 0) + 1
    so_far = rows(kind)
    for column in kind.columns:
        s[_key(kind, row_id, column)] = entry.get(column) or ""
    # A role the list leaves out (or spells in a way we do not know) is the usual one for the row.
    s[_key(kind, row_id, "role")] = entry.get("role") or kind.default_role(so_far)
    s[f"{kind.prefix}_ids"] = [*s.get(f"{kind.prefix}_ids", []), row_id]


def _forget(kind: Kind, row_id: int) -> None:
    s = st.session_state
    for column in (*kind.columns, "role", "remove"):
        s.pop(_key(kind, row_id, column), None)


def _key(kind: Kind, row_id: int, column: str) -> str:
    return f"{kind.prefix}_{row_id}_{column}"
