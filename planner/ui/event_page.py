"""One event, everything about it: /event?id=<id>. Drafts are for signed-in organizers only."""

from __future__ import annotations

import streamlit as st

from planner import NotFound, i18n
from planner.access import of_user
from planner.codes import ORGANIZATION_ROLE_HEADINGS, SPEAKER_ROLE_HEADINGS, label
from planner.i18n import _, current
from planner.outputs import calendar_links
from planner.ui.components.calendar_buttons import web_calendar_buttons
from planner.ui.components.description import show_description
from planner.ui.components.markdown import escape_md
from planner.ui.components.navigation import PROGRAMME
from planner.outputs import sentences
from planner.outputs.event_cache import per_version
from planner.ui.components.rsvp import render_rsvp
from planner.ui.components.session import planner, signed_in_user
from planner.ui.components.share import render_share, set_tab_title
from planner.ui.components.times import long_date, time_range, viewer_time_range, viewer_zone


def _not_found() -> None:
    st.title(_("Event not found"), anchor=False)
    st.info(
        _("We could not find that event. It may not be published yet, or the link may be incomplete."),
        icon=":material/search_off:",
    )
    st.page_link(PROGRAMME, label=_("See the whole programme"), icon=":material/arrow_back:")


def _ics_link(event) -> str:
    """The event's calendar file, in the page's language (the route reads ``?lang=``)."""
    return f"/events/{event.id}.ics" + (f"?lang={current()}" if current() != "en" else "")


def render() -> None:
    event_id = st.query_params.get("id", "")
    try:
        event = planner().get_event(event_id, actor=of_user(signed_in_user()))
    except NotFound:  # the public never finds a draft
        return _not_found()
    event = event.localized(current())  # title and description in the visitor's language, if given
    set_tab_title(event)
    if not event.is_public:
        st.warning(
            _("This is a draft preview: the public cannot see this event until it is published."),
            icon=":material/visibility_off:",
        )

    st.page_link(PROGRAMME, label=_("Programme"), icon=":material/arrow_back:")
    if event.summit:
        st.caption(escape_md(event.summit.name))
    st.title(i18n.typed(escape_md(event.title)), anchor=False)  # its own direction in Arabic
    if event.status == "cancelled":
        # Translators: {reason} is the organizer's own words, shown after this sentence.
        st.error(_("**This event is cancelled.** {reason}").format(reason=i18n.typed(escape_md(event.cancel_reason))),
                 icon=":material/event_busy:")

    when_text, where_text, notes = _details(event)
    when, where = st.columns(2)
    with when:
        st.markdown(when_text)
        own = viewer_time_range(event, viewer_zone())  # the viewer's own clock: per session, not cached
        if own:
            st.caption(own)
    with where:
        st.markdown(where_text)
        for note in notes:
            st.caption(note)

    render_rsvp(event)  # a fragment: Register reruns the box alone
    if event.published_at is not None:
        with st.container(horizontal=True):
            # A plain route serves the file, so no calendar is built on every rerun of this page.
            # The event's own file, for anyone: "Add to my calendar" is the private page's, whose file
            # also carries the person's links (issue #16: each button says what it gives).
            st.link_button(
                _("Event's calendar file (.ics)"), _ics_link(event), icon=":material/calendar_add_on:",
                help=_("The event as a calendar file: its time, place and page. Once registered, your private "
                       "page has your own file, with your private link."),
            )
            # Built from the event already read (Planner.calendar_links would read it again), once per
            # version of the event and language: no query, and no text built again on each run.
            web_calendar_buttons(calendar_links.public_links(event, planner().base_url, current()))

    if event.description:
        st.header(_("About"), anchor=False)  # h2, as "Register" above it (headings in order)
        show_description(event.description)

    # Each section is as few Markdown elements as it can be: every element is a message to the
    # browser, and this page is the one a registration rush opens.
    for kind, value in _people(event):
        if kind == "heading":
            st.subheader(value)
        elif kind == "markdown":
            st.markdown(value)
        elif kind == "speaker":
            _speaker_card(value)
        else:
            _logos(value)

    render_share(event)  # issue #15: copy link, share links, poster and cards


@per_version
def _details(event) -> tuple[str, str, tuple[str, ...]]:
    """When (day, times, zone) and where (room, venue, address with its map link, online), as
    Markdown, and the notes under them (access, places): the same for every visitor of a version
    of the event in one language, so built once per version (issue #17)."""
    when = f":material/schedule: **{long_date(event.local_start)}**  \n{time_range(event)}"
    shown = {  # each line of sentences.where_lines as Markdown, with its icon
        "room": lambda text, _link: f":material/location_on: **{escape_md(text)}**",
        "venue": lambda text, _link: escape_md(text),
        "address": lambda text, link: f"[{escape_md(text)}]({link})",
        "to_be_announced": lambda text, _link: f":material/location_on: {text}",
        "online": lambda text, _link: f":material/videocam: {text}",
        "join": lambda text, link: f"[{text}](<{link}>)",
        "join_later": lambda text, _link: text,
    }
    lines = [shown[kind](text, link) for kind, text, link in sentences.where_lines(event)]
    notes = [f":material/accessible: {escape_md(text)}" if kind == "access" else text
             for kind, text in sentences.detail_notes(event)]
    return when, "  \n".join(lines), tuple(notes)


@per_version
def _people(event) -> tuple[tuple[str, object], ...]:
    """The speakers' and organizations' sections as a plan of elements — ("heading", text),
    ("markdown", text), ("speaker", a speaker's card), ("logos", organizations with logos) —
    with consecutive text joined into one element; built once per version (issue #17)."""
    parts: list[tuple[str, object]] = []
    blocks: list[str] = []

    def flush() -> None:
        if blocks:
            parts.append(("markdown", "\n\n".join(blocks)))
            blocks.clear()

    if event.public_speakers:
        parts.append(("heading", _("Speakers")))
        for role in ("chair", "moderator", "speaker", "video message"):
            people = [s for s in event.public_speakers if s.role == role]
            if not people:
                continue
            plain = [s for s in people if not (s.photo or s.bio)]
            only_speakers = {s.role for s in event.public_speakers} == {"speaker"}  # not "Speakers" under "Speakers"
            heading = "" if only_speakers else f"**{label(SPEAKER_ROLE_HEADINGS, role)}**" + ("\n\n" if plain else "")
            blocks.append(heading + "\n".join(
                f"- {escape_md(s.name)}" + (f" — {escape_md(s.affiliation)}" if s.affiliation else "") for s in plain
            ))
            if len(plain) < len(people):  # issue #14: who confirmed with a photo or bio gets a card
                flush()
                parts.extend(("speaker", s) for s in people if s.photo or s.bio)
        flush()
    if event.public_organizations:
        parts.append(("heading", _("Organizations")))
        for role in ("host", "endorser", "co-sponsor"):
            orgs = event.public_organizations_with_role(role)
            if not orgs:
                continue
            heading = f"**{label(ORGANIZATION_ROLE_HEADINGS, role)}**"
            if any(o.logo and not o.invited for o in orgs):  # issue #14: logos, small, beside the names
                blocks.append(heading)
                flush()
                parts.append(("logos", tuple(orgs)))
            else:
                blocks.append(heading + "\n\n" + "\n".join(f"- {_organization_name(o)}" for o in orgs))
        flush()
    return tuple(parts)


def _speaker_card(s) -> None:
    """A confirmed speaker with the photo and bio they gave (issue #14)."""
    with st.container(horizontal=True, key=f"speaker_card_{s.person_id}_{s.role}", gap="medium"):
        if s.photo:
            st.image(_picture(s.photo), width=96)
        with st.container():
            line = f"**{escape_md(s.name)}**" + (f" — {escape_md(s.affiliation)}" if s.affiliation else "")
            st.markdown(line)
            if s.bio:
                st.caption(escape_md(s.bio))


def _organization_name(o) -> str:
    """The name its contact gave (escaped), marked when the organization is only invited (issue #14)."""
    if o.invited:
        # Translators: an organization asked to co-sponsor that has not answered yet, shown as invited.
        return _("{name} (invited)").format(name=escape_md(o.shown_name))
    return escape_md(o.shown_name)


def _logos(orgs) -> None:
    """Organizations side by side, each with its logo (small) above its name."""
    with st.container(horizontal=True, gap="medium"):
        for o in orgs:
            with st.container(key=f"org_{o.organization_id}_{o.role}", width="content"):
                if o.logo and not o.invited:
                    st.image(_picture(o.logo), width=64)
                st.markdown(_organization_name(o))


@st.cache_data(max_entries=500, show_spinner=False)
def _picture(name: str) -> bytes:
    """A logo's or photo's bytes: the file never changes under its random name, so it is read once."""
    return planner().picture(name)


if __name__ == "__main__":
    render()
