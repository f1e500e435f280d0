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
from planner.i18n import _, current, in_address
from planner.ui.components.language import later
from planner.ui.components.session import planner, signed_in_user


def set_tab_title(event) -> None:
    """The browser tab (and a bookmark, and the history) shows the event's title."""
    st.set_page_config(page_title=event.title)


@functools.lru_cache(maxsize=512)
def _links(event_id: int, version: int, language: str, base_url: str) -> dict[str, str]:
    """Made once per version of the event and language (``version`` and ``base_url`` are the key)."""
    return planner().share_links(event_id, language)


def _copy_button(event_id: int, language: str) -> None:
    """The short link in a field and a *Copy link* button that says "Link copied" once it is on the
    clipboard: a small page of our own (``/e/<id>/copy``, one script allowed by its hash) in an
    iframe, since Streamlit has no clipboard call."""
    st.iframe(in_address(f"/e/{event_id}/copy", language), height=52)


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
        links = _links(event.id, event.version, language, planner().base_url)
        _copy_button(event.id, language)
        with st.container(horizontal=True):
            st.link_button(_("Email"), links["email"], icon=":material/mail:")
            services = {
                # Translators: the names of apps and networks on share buttons; keep them as they are.
                "whatsapp": _("WhatsApp"), "telegram": _("Telegram"), "linkedin": _("LinkedIn"), "x": _("X"),
            }
            for key, name in services.items():
                st.link_button(name, links[key], icon=":material/share:")
        base = f"/e/{event.id}"
        with st.container(horizontal=True):
            for paper in ("a4", "letter"):
                # Translators: a button opening the event's poster as a PDF; {paper} is "A4" or "US Letter".
                st.link_button(_("Poster ({paper})").format(paper=label(POSTER_PAPER_LABELS, paper)),
                               in_address(f"{base}/poster.pdf?paper={paper}", language), icon=":material/picture_as_pdf:")
            for size in ("1200x630", "1080x1080"):
                # Translators: a button opening the event's picture for social media; {size} is "Wide (1200 × 630)".
                st.link_button(_("Social card: {size}").format(size=label(CARD_SIZE_LABELS, size)),
                               in_address(f"{base}/card.png?size={size}", language), icon=":material/image:")
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
