"""The fields of a side-event proposal (issue #14), drawn on the public call page and on the
proposer's private page (to edit it): title, description, format, preferred days and parts of
the day, expected audience, speakers and organizations as rows, and the call's questions.

Speakers and organizations are rows of ordinary inputs, added and removed with buttons (no
grid): each input has its own label ("Name of speaker 2"), so the Tab key walks them in order,
screen readers name them, and on a phone the columns stack. Each row keeps a number of its own
in the session (``{prefix}_sp_rows``), so removing row 2 does not move row 3's text into it.
Widget keys are ``{prefix}_{field}`` and ``{prefix}_sp_{row}_{field}`` / ``{prefix}_org_{row}_{field}``.
"""

from __future__ import annotations

import streamlit as st

from planner.codes import (
    DAY_PART_LABELS, DAY_PARTS, FORMAT_LABELS, FORMATS, ORGANIZATION_ROLE_LABELS, ORGANIZATION_ROLES,
    SPEAKER_ROLE_LABELS, SPEAKER_ROLES,
)
from planner.i18n import _, format_skeleton
from planner.ui.components import questions_form
from planner.ui.components.session import PAGE_SET

SPEAKER_FIELDS = ("name", "affiliation", "email", "role")
ORGANIZATION_FIELDS = ("name", "role", "email")
MAX_ROWS = 30


def load(prefix: str, proposal) -> None:
    """The widgets start from a saved proposal (the proposer's page, once per visit)."""
    s = st.session_state
    if s.get(f"{prefix}_loaded") == (proposal.id, proposal.version):
        return
    for key in [k for k in s if str(k).startswith(f"{prefix}_")]:
        del s[key]
    s[f"{prefix}_title"], s[f"{prefix}_description"] = proposal.title, proposal.description
    s[f"{prefix}_format"], s[f"{prefix}_audience"] = proposal.format, proposal.audience
    s[f"{prefix}_days"], s[f"{prefix}_times"] = list(proposal.preferred_days), list(proposal.preferred_times)
    s[f"{prefix}_sp_rows"] = list(range(len(proposal.speakers))) or [0]
    for n, sp in enumerate(proposal.speakers):
        for f in SPEAKER_FIELDS:
            s[f"{prefix}_sp_{n}_{f}"] = sp.get(f) or ("speaker" if f == "role" else "")
    s[f"{prefix}_org_rows"] = list(range(len(proposal.organizations))) or [0]
    for n, o in enumerate(proposal.organizations):
        for f in ORGANIZATION_FIELDS:
            s[f"{prefix}_org_{n}_{f}"] = o.get(f) or ("co-sponsor" if f == "role" else "")
    for q in proposal.call.questions:
        value = proposal.answers.get(q.key)
        s[f"{prefix}_q_{q.key}"] = list(value or ()) if q.kind == "several_choices" else value
    s[f"{prefix}_loaded"] = (proposal.id, proposal.version)


def _rows(prefix: str, kind: str) -> list[int]:
    return st.session_state.setdefault(f"{prefix}_{kind}_rows", [0])


def _add_row(prefix: str, kind: str) -> None:
    rows = _rows(prefix, kind)
    if len(rows) < MAX_ROWS:
        rows.append(max(rows, default=-1) + 1)


def _remove_row(prefix: str, kind: str, row: int) -> None:
    rows = _rows(prefix, kind)
    if row in rows:
        rows.remove(row)
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_{kind}_{row}_")]:
        del st.session_state[key]


def draw(prefix: str, call, field_error) -> None:
    """Every field of a proposal; ``field_error(field)`` shows a refusal naming that field beside it."""
    st.text_input(_("Title of the event"), key=f"{prefix}_title", persist_state=PAGE_SET, max_chars=200)
    field_error("title")
    st.text_area(_("Description"), key=f"{prefix}_description", persist_state=PAGE_SET, max_chars=5000, height=150,
                 help=_("What the event is about, who speaks and why it matters. Plain text."))
    field_error("description")
    st.session_state.setdefault(f"{prefix}_format", "in_person")
    st.radio(_("Format"), FORMATS, key=f"{prefix}_format", persist_state=PAGE_SET, horizontal=True,
             format_func=lambda f: str(FORMAT_LABELS[f]))
    field_error("format")
    days = call.days
    st.multiselect(_("Preferred days"), days, key=f"{prefix}_days",
                   persist_state=PAGE_SET, placeholder=_("Any day of the summit"),
                   format_func=lambda d: format_skeleton("yMMMEd", d))
    field_error("preferred_days")
    st.multiselect(_("Preferred times of day (in the summit's time zone)"), DAY_PARTS, key=f"{prefix}_times",
                   persist_state=PAGE_SET,
                   placeholder=_("Any time"), format_func=lambda p: str(DAY_PART_LABELS[p]))
    field_error("preferred_times")
    st.text_area(_("Expected audience (optional)"), key=f"{prefix}_audience",
                 persist_state=PAGE_SET, max_chars=500, height=68,
                 help=_("Who you expect and about how many, for example: 60 delegates and NGO staff."))
    field_error("audience")

    st.markdown("**" + _("Speakers") + "**")
    st.caption(_("Each speaker with an email will be asked to confirm. Leave a row empty to skip it."))
    for n, row in enumerate(_rows(prefix, "sp"), start=1):
        with st.container(border=True, key=f"{prefix}_sp_box_{row}"):
            left, right = st.columns(2)
            left.text_input(_("Name of speaker {n}").format(n=n), key=f"{prefix}_sp_{row}_name",
                            persist_state=PAGE_SET, max_chars=200)
            right.text_input(_("Affiliation of speaker {n} (optional)").format(n=n),
                             key=f"{prefix}_sp_{row}_affiliation", persist_state=PAGE_SET, max_chars=200)
            left.text_input(_("Email of speaker {n} (optional)").format(n=n), key=f"{prefix}_sp_{row}_email",
                            persist_state=PAGE_SET,
                            max_chars=254)
            st.session_state.setdefault(f"{prefix}_sp_{row}_role", "speaker")
            right.selectbox(_("Role of speaker {n}").format(n=n), SPEAKER_ROLES, key=f"{prefix}_sp_{row}_role",
                            persist_state=PAGE_SET,
                            format_func=lambda r: str(SPEAKER_ROLE_LABELS[r]).capitalize())
            st.button(_("Remove speaker {n}").format(n=n), key=f"{prefix}_sp_remove_{row}", icon=":material/delete:",
                      on_click=_remove_row, args=(prefix, "sp", row))
    field_error("speakers")
    st.button(_("Add a speaker"), key=f"{prefix}_sp_add", icon=":material/person_add:", on_click=_add_row,
              args=(prefix, "sp"))

    st.markdown("**" + _("Organizations") + "**")
    st.caption(_("The organizations hosting or co-sponsoring the event. Each one with a contact email will be "
                 "asked to confirm its role before it is shown as such."))
    for n, row in enumerate(_rows(prefix, "org"), start=1):
        with st.container(border=True, key=f"{prefix}_org_box_{row}"):
            left, middle = st.columns(2)
            left.text_input(_("Name of organization {n}").format(n=n), key=f"{prefix}_org_{row}_name",
                            persist_state=PAGE_SET, max_chars=200)
            st.session_state.setdefault(f"{prefix}_org_{row}_role", "host" if n == 1 else "co-sponsor")
            middle.selectbox(_("Role of organization {n}").format(n=n), ORGANIZATION_ROLES,
                             key=f"{prefix}_org_{row}_role", persist_state=PAGE_SET,
                             format_func=lambda r: str(ORGANIZATION_ROLE_LABELS[r]).capitalize())
            left.text_input(_("Contact email of organization {n} (optional)").format(n=n),
                            key=f"{prefix}_org_{row}_email", persist_state=PAGE_SET, max_chars=254)
            st.button(_("Remove organization {n}").format(n=n), key=f"{prefix}_org_remove_{row}",
                      icon=":material/delete:", on_click=_remove_row, args=(prefix, "org", row))
    field_error("organizations")
    st.button(_("Add an organization"), key=f"{prefix}_org_add", icon=":material/add_business:", on_click=_add_row,
              args=(prefix, "org"))

    if call.questions:
        st.markdown("**" + _("Questions from the organizers") + "**")
        questions_form.draw(f"{prefix}_q", call.questions, field_error)


def collect(prefix: str, call) -> dict:
    """What the widgets hold, as ``propose_event`` and ``edit_proposal`` take it."""
    s = st.session_state
    return {
        "title": s.get(f"{prefix}_title", ""), "description": s.get(f"{prefix}_description", ""),
        "format": s.get(f"{prefix}_format") or "in_person", "preferred_days": list(s.get(f"{prefix}_days") or []),
        "preferred_times": list(s.get(f"{prefix}_times") or []), "audience": s.get(f"{prefix}_audience", ""),
        "speakers": [{f: s.get(f"{prefix}_sp_{row}_{f}") or "" for f in SPEAKER_FIELDS} for row in _rows(prefix, "sp")
                     if any((s.get(f"{prefix}_sp_{row}_{f}") or "").strip() for f in ("name", "affiliation", "email"))],
        "organizations": [{f: s.get(f"{prefix}_org_{row}_{f}") or "" for f in ORGANIZATION_FIELDS}
                          for row in _rows(prefix, "org")
                          if any((s.get(f"{prefix}_org_{row}_{f}") or "").strip() for f in ("name", "email"))],
        "answers": questions_form.answers(f"{prefix}_q", call.questions),
    }


def plain(text: str) -> str:
    """Several lines people typed, for a Markdown element: each escaped, the breaks kept."""
    from planner.ui.components.markdown import escape_md

    return "  \n".join(escape_md(line) for line in (text or "").splitlines())
