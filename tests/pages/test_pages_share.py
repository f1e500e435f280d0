"""The event page's share section (issue #15), with AppTest: what the public gets for a public
event (Copy link, plain share links, the posters and cards from their routes, in the page's
language), nothing for a draft's public, and for organizers the colours of the posters (a change
saved through the domain, with its audit entry)."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from tests.pages.apptest import dialogue, event_page, no_exception, signed_in, texts


def _share_html(at) -> str:
    """The share section's one block of HTML (issue #17: one element, not fifteen)."""
    found = [h.proto.body for h in at.get("html") if "copy-link-share-" in h.proto.body]
    return found[0] if found else ""


def _links(at) -> dict[str, str]:
    """The share section's links by their text (the page's own link buttons too)."""
    links = {b.proto.label: b.proto.url for b in at.get("link_button")}
    links.update({html.unescape(text): html.unescape(url)
                  for url, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', _share_html(at))})
    return links


def test_a_public_event_page_offers_copy_link_share_links_the_posters_and_the_cards(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    no_exception(at)
    assert "Share this event" in texts(at)
    short = f"{app_planner.base_url}/e/{event.id}"
    section = _share_html(at)
    assert f">{short}</span>" in section and ">Copy link</button>" in section and "Link copied" in section
    links = _links(at)
    assert links["WhatsApp"].startswith("https://wa.me/?text=") and short in unquote(links["WhatsApp"])
    assert links["Email"].startswith("mailto:?subject=") and short in unquote(links["Email"])
    for name in ("Telegram", "LinkedIn", "X"):
        assert short in unquote(links[name])
    assert links["Poster (A4)"] == f"/e/{event.id}/poster.pdf?paper=a4"
    assert links["Poster (US Letter)"] == f"/e/{event.id}/poster.pdf?paper=letter"
    assert links["Social card: Wide (1200 × 630)"] == f"/e/{event.id}/card.png?size=1200x630"
    assert links["Social card: Square (1080 × 1080)"] == f"/e/{event.id}/card.png?size=1080x1080"
    assert not at.get("radio")  # the colours are for organizers


def test_the_share_section_speaks_the_pages_language(app_planner):
    event = dialogue(app_planner)
    at = signed_in(app_planner)
    at.query_params["lang"] = "fr"
    at = event_page(app_planner, event.id, at)
    no_exception(at)
    assert f">{app_planner.base_url}/e/{event.id}?lang=fr</span>" in _share_html(at)
    assert any(url.endswith("paper=a4&lang=fr") for url in _links(at).values())


def test_organizers_choose_the_posters_colours_on_the_event_page(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id, signed_in(app_planner, role="organizer"))
    no_exception(at)
    colours = at.radio(key=f"poster_theme_{event.id}")
    assert colours.value == "navy"
    colours.set_value("forest").run()
    no_exception(at)
    assert app_planner.poster_theme(event.id) == "forest"
    assert app_planner.audit_log()[0].action == "poster_theme_set"
    assert not at.get("file_uploader")  # the coalition's logo is for admins


def test_a_drafts_share_section_is_for_organizers_only_and_prints_its_poster(app_planner, handed):
    draft = next(e for e in app_planner.list_events() if e.status == "draft")
    at = event_page(app_planner, draft.id, signed_in(app_planner))
    no_exception(at)
    assert "Once the event is published" in texts(at)
    data, name = handed["draft_poster_a4"]
    assert name == f"event-{draft.id}-a4.pdf" and data().startswith(b"%PDF")
    data, name = handed["draft_card_1080x1080"]
    assert name == f"event-{draft.id}-1080x1080.png" and data().startswith(b"\x89PNG")
    assert not _share_html(at) and "WhatsApp" not in _links(at)
    assert at.get("file_uploader")  # admins upload the coalition's logo here
