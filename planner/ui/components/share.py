"""Sharing an event from its page (issue #15): the browser tab's title, *Copy link*, share links,
the poster and the social cards, and for organizers the posters' colours and the coalition's logo.

Nothing here draws a poster: the buttons link to the routes that serve them (planner/web/routes.py),
which draw each once per version of the event, so a registration rush on the page costs no
drawing at all. The share links are plain addresses of each service, opened only when someone
clicks one: no script of WhatsApp, X or LinkedIn is loaded, and no request leaves before a click.
"""

from __future__ import annotations

import functools
import streamlit as st

from planner import PlannerError
from planner.access import of_user
from planner.codes import CARD_SIZE_LABELS, POSTER_PAPER_LABELS, POSTER_THEME_LABELS, label
from planner.outputs import sentences
from planner.i18n import _, current
from planner.ui.components.copy_link import copy_link_html, link_row_html
from planner.ui.components.language import later
from planner.ui.components.session import planner, signed_in_user


def set_tab_title(event) -> None:
    """The browser tab (and a bookmark, and the history) shows the event's title."""
    st.set_page_config(page_title=event.title)


@functools.lru_cache(maxsize=512)
def _links(event_id: int, version: int, language: str, base_url: str) -> dict[str, str]:
    """Made once per version of the event and language (``version`` and ``base_url`` are the key)."""
    return planner().share_links(event_id, language)


@functools.lru_cache(maxsize=512)
def _public_share(event_id: int, version: int, language: str, base_url: str) -> str:
    """The short link with *Copy link* (it says "Link copied" once it is on the clipboard, in a
    live region), the share links (new tab: each service's own page) and the posters and cards,
    as one block of HTML, made once per version of the event and language."""
    links = _links(event_id, version, language, base_url)
    services, files = sentences.share_rows(links, event_id, language)
    return (copy_link_html(links["link"], f"share-{event_id}", _("Copy link"), _("Link copied"))
            + link_row_html(services, new_tab=True) + link_row_html(files, new_tab=True))


def render_share(event) -> None:
    """The share section of the event page; organizers also get the posters' colours."""
    user = signed_in_user()
    staff = of_user(user).is_staff
    if not event.is_public and not staff:
        return
    st.subheader(_("Share this event"))
    language = current()
    if not event.is_public:
        st.caption(_("Once the event is published, its short link and share links appear here. Organizers can "
                     "print the poster before that."))
        _draft_downloads(event, user, language)
    else:
        # One element for the whole section, made once per version and language: this page is
        # the one a registration rush opens (issue #17).
        st.html(_public_share(event.id, event.version, language, planner().base_url), unsafe_allow_javascript=True)
    if staff:
        _poster_settings(event, user)


def _draft_downloads(event, user, language: str) -> None:
    """A draft's poster and cards for its organizers (the routes serve public events only), drawn
    only when a button is pressed."""
    actor = of_user(user)
    with st.container(horizontal=True):
        for paper in ("a4", "letter"):
            st.download_button(
                _("Poster ({paper})").format(paper=label(POSTER_PAPER_LABELS, paper)),
                data=later(lambda paper=paper: planner().poster_pdf(event.id, paper, language=language, actor=actor)),
                file_name=f"event-{event.id}-{paper}.pdf", mime="application/pdf", on_click="ignore",
                icon=":material/picture_as_pdf:", key=f"draft_poster_{paper}")
        for size in ("1200x630", "1080x1080"):
            st.download_button(
                _("Social card: {size}").format(size=label(CARD_SIZE_LABELS, size)),
                data=later(lambda size=size: planner().social_card_png(event.id, size, language=language, actor=actor)),
                file_name=f"event-{event.id}-{size}.png", mime="image/png", on_click="ignore",
                icon=":material/image:", key=f"draft_card_{size}")


def _poster_settings(event, user) -> None:
    with st.expander(_("Poster and card colours, coalition logo")):
        themes = list(POSTER_THEME_LABELS)
        chosen = planner().poster_theme(event.id)
        key = f"poster_theme_{event.id}"

        def save_theme() -> None:
            try:
                planner().set_poster_theme(event.id, st.session_state[key], actor=of_user(user))
            except PlannerError as err:
                st.session_state[f"{key}_error"] = str(err)

        st.radio(_("Colours"), themes, index=themes.index(chosen), key=key, horizontal=True,
                 format_func=lambda t: label(POSTER_THEME_LABELS, t), on_change=save_theme)
        if st.session_state.pop(f"{key}_error", None):
            st.error(_("The colours were not saved. Please try again."))
        if user is not None and user.role == "admin":
            st.caption(_("The coalition's logo is drawn on every poster and card: a PNG or JPEG of at most 1 MB."))
            upload = st.file_uploader(_("Coalition logo"), type=["png", "jpg", "jpeg"], key="coalition_logo")
            if upload is not None and st.button(_("Use this logo"), key="coalition_logo_save"):
                try:
                    planner().set_coalition_logo(upload.getvalue(), actor=of_user(user))
                    st.success(_("The logo is saved: posters and cards show it from now on."))
                except PlannerError as err:
                    st.error(str(err))
            if planner().coalition_logo() is not None and st.button(_("Remove the logo"), key="coalition_logo_remove"):
                planner().set_coalition_logo(None, actor=of_user(user))
                st.success(_("The logo is removed."))
