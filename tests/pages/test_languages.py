"""The public pages in every language, the switcher, and Arabic's right-to-left page (issue #13).

``LANGUAGES`` are the languages with a compiled catalogue (``i18n.available()``): English now,
the others as their catalogues land, with no change here. The switcher and right-to-left tests
make French and Arabic "available" (``offered``) so they run now: the text stays English until
the catalogues exist, but the choice, the links and the page direction already work.
"""

from __future__ import annotations

import html
import re

import importlib
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.requests import Request

from planner import i18n
from planner.ui.components import language
from tests.pages.apptest import app, dialogue, event_page, no_exception, seen, texts

LANGUAGES = i18n.available()
routes = importlib.import_module("planner.web.routes")  # the package exports its list of routes by that name


def everything(at) -> str:
    """Every text on the page: elements, widget labels, buttons, the door's verdict."""
    parts = [texts(at)]
    for kind in ("text_input", "text_area", "button", "selectbox"):
        parts += [w.label for w in getattr(at, kind)]
    parts += [b.proto.label for b in at.get("link_button")] + [h.proto.body for h in at.get("html")]
    parts += [h.value for h in at.header]
    return "\n".join(str(p) for p in parts)


def reads_in(at, code: str, *msgids: str) -> None:
    """The page ran, shows each sample string in ``code``, and not its English msgid when the
    catalogue translates it."""
    no_exception(at)
    page = everything(at)
    for msgid in msgids:
        translated = i18n.translations(code).gettext(msgid)
        assert translated in page, f"{translated!r} not on the page in {code}"
        if translated != msgid:
            assert msgid not in page, f"the English {msgid!r} is on the page in {code}"


@pytest.fixture
def guest(app_planner):
    event = dialogue(app_planner)
    return event, app_planner.register(event.id, name="Ana Pérez", email="ana@example.org", organization="Red Migrante")


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_programme_reads_in_each_language(app_planner, code):
    reads_in(app(lang=code).run(), code, "Side events programme")


@pytest.mark.parametrize("code", LANGUAGES)
def test_an_event_page_reads_in_each_language(app_planner, code):
    event = dialogue(app_planner)
    reads_in(event_page(app_planner, event.id, app(lang=code)), code, "Your name", "Email")


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_ticket_reads_in_each_language(app_planner, guest, code):
    _event, registration = guest
    at = app(lang=code, t=registration.manage_token).run()
    at.switch_page("ticket.py").run()
    reads_in(at, code, "Your details", "Can't come?")


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_door_and_its_green_verdict_read_in_each_language(app_planner, guest, code):
    event, registration = guest
    door_pass = app_planner.create_door_pass(event.id, "North door")
    at = app(lang=code, **{"pass": door_pass.url.split("pass=")[1]}).run()
    at.switch_page("checkin.py").run()
    at.text_input(key="door_typed").input(registration.ticket_code).run()
    with i18n.using(code):
        welcome = i18n._("Welcome, {name}")
    reads_in(at, code, "Type the code on the ticket", "Undo this check-in")
    assert welcome.format(name="Ana Pérez") in everything(at)


# ---------------------------------------------------------------------- the switcher


@pytest.fixture
def offered(monkeypatch):
    """French and Arabic offered as if their catalogues had landed (their text stays English)."""
    monkeypatch.setattr(i18n, "available", lambda: ["en", "ar", "fr"])


def switcher_html(at) -> str:
    return next(h.proto.body for h in at.get("html") if "planner-languages" in h.proto.body)


def switch_links(at) -> dict[str, str]:
    """The switcher's links, by the name of each language (one block of HTML, issue #17)."""
    return {html.unescape(name): html.unescape(url)
            for url, name in re.findall(r'<a href="(/language\?[^"]*)"[^>]*>([^<]*)</a>', switcher_html(at))}


def marked(at) -> str:
    """The language the switcher marks as the current one."""
    return html.unescape(re.search(r"<strong aria-current='true'[^>]*>([^<]*)</strong> ✓", switcher_html(at)).group(1))


def test_the_switcher_names_each_language_in_itself(app_planner, offered):
    at = app().run()
    no_exception(at)
    links = switch_links(at)
    assert set(links) == {"Français", "العربية"}  # English is the current one, marked, not a link
    assert marked(at) == "English"
    assert parse_qs(urlsplit(links["Français"]).query) == {"to": ["fr"], "next": ["/"]}


def test_the_switcher_comes_back_to_the_same_page(app_planner, offered):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id, app(lang="fr"))
    assert parse_qs(urlsplit(switch_links(at)["English"]).query) == {"to": ["en"], "next": [f"/event?id={event.id}"]}


def test_a_chosen_language_stays_across_pages(app_planner, offered):
    event = dialogue(app_planner)
    at = app(lang="fr").run()
    del at.query_params["lang"]  # links between pages drop it
    at.query_params["id"] = str(event.id)
    at.switch_page("event_page.py").run()
    no_exception(at)
    assert at.session_state[language.KEY] == "fr"
    assert marked(at) == "Français"
    at.switch_page("programme.py").run()
    assert at.session_state[language.KEY] == "fr"


def test_the_remembered_choice_is_used_before_the_browsers(app_planner, offered, monkeypatch):
    monkeypatch.setattr(language, "remembered", lambda: "fr")
    at = app()
    at.context["locale"] = "ar"
    at.run()
    assert at.session_state[language.KEY] == "fr"
    at = app(lang="ar").run()  # the address still wins
    assert at.session_state[language.KEY] == "ar"


def test_links_the_app_makes_carry_the_language(app_planner, offered):
    at = app(lang="fr").run()
    assert any(c.value.endswith("/calendar.ics?lang=fr") for c in at.code)


def _request(path_and_query: str) -> Request:
    path, _sep, query = path_and_query.partition("?")
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []})


def test_the_language_route_remembers_the_choice_and_goes_back(offered, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", "unused.db")
    response = routes.language(_request("/language?to=fr&next=%2Fevent%3Fid%3D3"))
    assert response.status_code == 303
    assert response.headers["location"] == "/event?id=3&lang=fr"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{routes.LANGUAGE_COOKIE}=fr;") and "SameSite=lax" in cookie and "Max-Age=31536000" in cookie
    elsewhere = routes.language(_request("/language?to=xx&next=https%3A%2F%2Fevil.example"))
    assert elsewhere.headers["location"] == "/"  # only this site's paths; an unknown language is English


# ---------------------------------------------------------------------- right to left


def direction_styles(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if "data-planner-direction" in h.proto.body]


def test_arabic_turns_the_page_right_to_left_and_keeps_codes_left_to_right(app_planner, guest, offered):
    _event, registration = guest
    at = app(lang="ar", t=registration.manage_token).run()
    at.switch_page("ticket.py").run()
    no_exception(at)
    (style,) = direction_styles(at)
    assert "[data-testid='stMain']" in style and "direction: rtl" in style
    assert "unicode-bidi: isolate" in style and "direction: ltr" in style
    assert "\u2066ana@example.org\u2069" in seen(at)  # the email stays left to right in its sentence


def test_without_an_arabic_catalogue_english_is_never_turned_around(app_planner, monkeypatch):
    monkeypatch.setattr(i18n, "available", lambda: ["en", "fr"])  # as before the Arabic catalogue landed
    at = app(lang="ar").run()
    no_exception(at)
    assert direction_styles(at) == []
    assert at.session_state[language.KEY] == "en"


def test_left_to_right_languages_get_no_direction_style(app_planner, offered):
    assert direction_styles(app(lang="fr").run()) == []
