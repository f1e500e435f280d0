"""A proposal as its proposers and the organizers read it (issue #14): what it says and its
comments, everything people typed escaped for Markdown."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from planner.codes import DAY_PART_LABELS, FORMAT_LABELS, Moment, ORGANIZATION_ROLE_LABELS, SPEAKER_ROLE_LABELS, label
from planner.i18n import _, format_skeleton
from planner.ui.components.markdown import escape_md
from planner.ui.components.proposal_form import plain


def comment_line(c, zone: str, *, for_organizers: bool = False) -> str:
    """One comment as the page shows it (what people typed escaped), its author and moment."""
    who = (escape_md(c.author_label) or _("An organizer")) if for_organizers and c.author == "organizer" else (
        _("The organizers") if c.author == "organizer" else escape_md(c.author_label))
    if c.kind == "merged":
        # Translators: {title} is the title of the proposal merged into the one shown.
        body = _("The proposal “{title}” was merged into this one; its proposers follow this one now.").format(
            title=escape_md(c.body))
    elif c.kind == "accepted":
        body = _("Accepted: the event is being prepared.")
    else:
        prefix = {"changes_requested": _("Changes requested:"), "declined": _("Declined:")}.get(c.kind)
        body = plain(c.body)
        body = f"**{prefix}** {body}" if prefix else body
    # Translators: above a comment on a proposal: who wrote it and when.
    return _("{who}, {when}").format(who=who, when=Moment(c.at.astimezone(ZoneInfo(zone)))) + "\n\n" + body


def details(p) -> None:
    """What a proposal says, for the proposer and the organizers (everything typed escaped)."""
    st.markdown(plain(p.description))
    facts = [(_("Format"), str(FORMAT_LABELS[p.format])),
             (_("Preferred days"), ", ".join(format_skeleton("MMMEd", d) for d in p.preferred_days) or _("Any")),
             (_("Preferred times"), ", ".join(str(DAY_PART_LABELS[t]) for t in p.preferred_times) or _("Any"))]
    if p.audience:
        facts.append((_("Expected audience"), escape_md(p.audience)))
    st.markdown("  \n".join(f"**{name}:** {value}" for name, value in facts))
    if p.speakers:
        st.markdown("**" + _("Speakers") + "**  \n" + "  \n".join(
            "· " + " — ".join(x for x in (escape_md(s["name"]), escape_md(s.get("affiliation") or ""),
                                          str(label(SPEAKER_ROLE_LABELS, s.get("role"))).capitalize(),
                                          escape_md(s.get("email") or "")) if x) for s in p.speakers))
    if p.organizations:
        st.markdown("**" + _("Organizations") + "**  \n" + "  \n".join(
            "· " + " — ".join(x for x in (escape_md(o["name"]),
                                          str(label(ORGANIZATION_ROLE_LABELS, o.get("role"))).capitalize(),
                                          escape_md(o.get("email") or "")) if x) for o in p.organizations))
    for question, answer in p.answer_items():
        shown = ", ".join(answer) if isinstance(answer, list) else (
            _("Yes") if answer is True else _("No") if answer is False else str(answer))
        st.markdown(f"**{escape_md(question)}**  \n{plain(shown)}")
