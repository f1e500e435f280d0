"""Every page in the pseudo language: nothing a person reads is left unmarked for translation.

``?lang=en-XA`` makes every marked string come out wrapped in ⟦ ⟧. Each case below renders a
page with AppTest in a small world this file creates, takes the text of every element (titles,
Markdown, captions, alerts, widget labels, placeholders, help, options, tabs, expanders,
metrics, table headings and cells, the door's verdict, the navigation's page titles), removes
every ⟦…⟧ segment and every piece of data the world holds (titles, names, organizations,
rooms, venues, addresses, summits, codes, links, zone names), and asserts that no word is left.

A word left over is English that was not marked. Some still come from the domain (``Event.place``,
clash messages, ``event_changes``, validation sentences), which is being converted on its own:
those cases are marked ``xfail(strict=True)`` with the function named, so they flip (and fail)
once the domain is fixed and the mark can go.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import streamlit as st
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from planner.areas.translations import LANGUAGE_NAMES
from planner import i18n
from planner.i18n import catalog
from planner.config import open_planner, settings_from_env
from planner.ui.components.markdown import escape_md
from planner.ui.components.times import zone_abbreviation
from planner.validate import timezone_names
from planner.areas.questions import countries

MAIN = str(Path(__file__).resolve().parents[2] / "planner" / "ui" / "main.py")
LIMA = ZoneInfo("America/Lima")
START = (datetime.now(UTC) + timedelta(days=30)).astimezone(LIMA).replace(hour=10, minute=0, second=0, microsecond=0)

# Proto fields that hold no text for a person: ids, icon names, element kinds, links, CSS classes.
NOT_TEXT = {
    "id", "form_id", "icon", "type", "tag", "divider", "language", "page", "page_script_hash", "query_string",
    "url", "autocomplete", "format", "deferred_file_id", "anchor", "key", "width_config", "css_class",
}
# Placeholders that are formats, not words: a ticket code's shape, a web address's start.
FORMATS = ["ABCD-EFGH-JKMN-PQRS", "https://…"]
MARKDOWN_DIRECTIVE = re.compile(r":material/[a-z_]+:|:[a-z]+-badge\[|:[a-z]+\[")
LINK = re.compile(r"\b(?:https?|webcal)://[^\s)\]]+")  # links the app makes (feeds, private pages): not words
WORD = re.compile(r"[^\W\d_]+")


def _date_words() -> re.Pattern:
    """Day and month names as Babel writes dates in the pseudo language: dates are data."""
    with i18n.using(i18n.PSEUDO):
        cldr = i18n.locale()
    names = {
        name
        for table in (cldr.days, cldr.months)
        for context in table.values()
        for width in context.values()
        for name in width.values()
    }
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b\.?")


DATE_WORDS = _date_words()


# ---------------------------------------------------------------------- the world


@dataclass
class World:
    planner: object
    summit: object
    events: dict = field(default_factory=dict)
    guests: dict = field(default_factory=dict)
    door_pass: object = None
    typed: set = field(default_factory=set)  # what a case typed into a page (a message's subject and body)

    def data(self) -> list[str]:
        """Every string a person typed or the app derived from it, longest first (dates are
    taken out by ``DATE_WORDS``, links by ``LINK``)."""
        p = self.planner
        found = set(FORMATS) | set(timezone_names())
        for s in p.list_summits():
            found |= {s.name, s.city, s.timezone}
        for v in p.list_venues():
            found |= {v.name, v.address, v.timezone}
        for r in p.list_rooms():
            found |= {r.name, r.accessibility, r.label}
        for e in p.list_events():
            found |= {e.title, e.description, e.cancel_reason, e.timezone, e.uid, e.online_url or ""}
            found |= {zone_abbreviation(e.local_start), zone_abbreviation(e.local_end)}
            with i18n.using(i18n.PSEUDO):  # CLDR's name of the zone ("Lima Time"): data, as dates are
                found.add(i18n.zone_name(e.timezone))
            found |= {s.name for s in e.speakers} | {s.affiliation for s in e.speakers} | {s.email or "" for s in e.speakers}
            found |= {o.name for o in e.organizations}
            for r in p.registrations(e.id):
                found |= {r.name, r.email, r.organization, r.needs, r.ticket_code or ""}
                found |= {a.question for a in r.answer_items} | {str(v) for v in r.answers.values()}
            found |= {text for pair in e.translations.values() for text in pair}  # issue #13, typed too
            for q in p.event_questions(e.id):  # the organizer's own questions are data
                found |= {q.label, q.help, *q.choices}
            for d in p.door_passes(e.id):
                found |= {d.label, d.url}
            for x in p.scans(e.id):
                found.add(x.door)
        for u in p.list_users():
            found |= {u.name, u.email}
        found |= {zone_abbreviation(START.astimezone(ZoneInfo("Europe/Berlin")))}
        found |= {settings_from_env().base_url, settings_from_env().contact_email}
        for m in p.outbox():
            found |= {m.recipient, m.recipient_name, m.data.get("subject", ""), m.data.get("body", "")}
        found |= set(countries().values())  # Babel's names of countries, as the time zones' above
        found |= set(i18n.NAMES.values())  # the switcher names each language in itself, on purpose
        found |= set(LANGUAGE_NAMES.values())  # languages named in themselves (Español), never translated
        found |= self.typed
        return sorted((d for d in found if d), key=len, reverse=True)


@pytest.fixture
def world(tmp_path, monkeypatch) -> World:
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "planner.db"))
    monkeypatch.setenv("PLANNER_DEMO", "off")
    monkeypatch.setenv("PLANNER_ADMIN_EMAIL", "admin@example.org")
    monkeypatch.setenv("PLANNER_ADMIN_PASSWORD", "correct-horse-battery")
    p = open_planner(settings_from_env())
    summit = p.add_summit(
        name="Cumbre de los Pueblos Lima", city="Lima", timezone="America/Lima",
        starts_on=START.date() - timedelta(days=1), ends_on=START.date() + timedelta(days=5),
    )
    casa = p.add_venue(name="Casa Zapata", address="Jirón Ucayali 123, Lima", timezone="America/Lima")
    grau = p.add_room(venue_id=casa.id, name="Sala Grau", capacity=40, accessibility="Rampa en la entrada (Jr. Ucayali)")
    chica = p.add_room(venue_id=casa.id, name="Sala Chica", capacity=1)
    w = World(planner=p, summit=summit)

    def event(key, title, room, day, hour, **fields):
        start = START + timedelta(days=day, hours=hour - START.hour)
        w.events[key] = p.create_event(
            title=title, summit_id=summit.id, room_id=room.id, starts_at=start, ends_at=start + timedelta(hours=2), **fields
        )
        return w.events[key]

    event(
        "open", "Derechos migrantes en la frontera andina", grau, 0, 10,
        description="Encuentro abierto con debate final.",
        speakers=[
            {"name": "Ana Pérez", "affiliation": "Red Migrante", "role": "chair"},
            {"name": "Marta Ríos", "affiliation": "", "role": "moderator"},
            {"name": "Luis Quispe", "affiliation": "Centro Legal (CELS)", "role": "speaker"},
            {"name": "Diego Morales", "affiliation": "", "role": "video message"},
        ],
        organizations=[
            {"name": "Coalición Andina", "role": "host"},
            {"name": "Fondo Verde Ucayali", "role": "co-sponsor"},
            {"name": "Oficina Sur", "role": "endorser"},
        ],
    )
    event("full", "Taller de cuidados colectivos", chica, 1, 15)
    event("draft", "Borrador sin publicar", grau, 2, 10)
    event("cancelled", "Marcha suspendida", grau, 3, 10)
    for key in ("open", "full", "cancelled"):
        w.events[key] = p.publish_event(w.events[key].id)
    w.events["cancelled"] = p.cancel_event(w.events["cancelled"].id, reason="Lluvia intensa en la plaza")
    w.guests["julia"] = p.register(
        w.events["open"].id, name="Julia Mamani", email="julia@example.org", organization="Red Andina", needs="Quechua"
    )
    w.guests["rosa"] = p.register(w.events["full"].id, name="Rosa Huamán", email="rosa@example.org")
    w.guests["pedro"] = p.register(w.events["full"].id, name="Pedro Choque", email="pedro@example.org")
    w.door_pass = p.create_door_pass(w.events["open"].id, "Puerta norte")
    return w


# ---------------------------------------------------------------------- reading a page


def _strings(message: Message, path: str = ""):
    for descriptor, value in message.ListFields():
        if descriptor.name in NOT_TEXT:
            continue
        values = value if isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated") else [value]
        for v in values:
            if isinstance(v, Message):
                yield from _strings(v, f"{path}.{descriptor.name}")
            elif isinstance(v, str):
                yield f"{path}.{descriptor.name}", v


def _html_text(body: str) -> str:
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def texts(at: AppTest, titles: list[str]) -> list[tuple[str, str]]:
    """(where, text) of everything on the page a person reads."""
    found = [("page title", t) for t in titles]
    found += [("navigation", info["page_name"]) for info in at._registered_pages.values()]

    def walk(node):
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", type(node).__name__)
        if kind == "vega_lite_chart":
            found.extend((f"{kind} {where}", text) for where, text in _chart_texts(proto.spec))
        elif proto is not None and kind not in ("arrow_data_frame", "arrow_table", "dataframe", "table"):
            for where, text in _strings(proto):
                if kind == "iframe" and where == ".src":  # an address the page loads, not words (issue #15)
                    continue
                if kind == "code" and getattr(proto, "language", "") == "html":
                    # HTML to paste into a website (the embed's snippet): code, whose one sentence
                    # (the frame's title) is checked inside it
                    found.append((f"{kind}{where} title", " ".join(re.findall(r'title="([^"]*)"', text))))
                    continue
                found.append((f"{kind}{where}", _html_text(text) if kind == "html" else text))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for kind in ("dataframe", "table"):
        for frame in at.get(kind):
            found += _table_texts(kind, frame)
    return found


def _chart_texts(spec: str):
    """What a chart shows in words: its titles (axes, legends, the chart's own) and constant
    texts. The rest of the spec is Vega-Lite's vocabulary (marks, field names, formats); its
    data (labels such as "Published", categories) arrives as Arrow tables, not read here."""
    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "text") and isinstance(value, str):
                    yield f"{path}.{key}", value
                elif key in ("title", "text") and isinstance(value, dict) and isinstance(value.get("value"), str):
                    yield f"{path}.{key}", value["value"]
                else:
                    yield from walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                yield from walk(value, f"{path}[{n}]")

    yield from walk(json.loads(spec or "{}"), "spec")


def _table_texts(kind: str, frame) -> list[tuple[str, str]]:
    """A table's headings and cells as the browser shows them: a column's configured label
    (st.column_config) over its name, an option's label over its value."""
    config = json.loads(getattr(frame.proto, "columns", "") or "{}")
    value = frame.value
    found = []
    for column in value.columns:
        shown = config.get(str(column), {})
        found.append((f"{kind} heading", shown.get("label") or str(column)))
        labels = {o["value"]: o.get("label", o["value"]) for o in shown.get("type_config", {}).get("options", [])}
        found += [(f"{kind} cell", str(labels.get(v, v))) for v in value[column]]
    return found


def assert_all_marked(at: AppTest, world: World, titles: list[str]) -> None:
    left = unmarked(at, world, titles)
    assert not left, "unmarked text on the page:\n" + "\n".join(
        f"  {where}: {rest!r}   (in {text[:160]!r})" for where, text, rest in left
    )


def unmarked(at: AppTest, world: World, titles: list[str]) -> list[tuple[str, str, str]]:
    """(where, text, what is left) for each text that still holds a word once the marked
    segments and the data are taken out."""
    assert not at.exception, [e.value for e in at.exception]
    data = world.data()
    left = []
    for where, text in texts(at, titles):
        rest = Reader(data).leftover(text)
        if rest:
            left.append((where, text, rest))
    return left


class Reader:
    """Takes out of a text what is marked, what is data, and what is only numbers, signs and
    icons; what is left is unmarked text.

    A marked segment is taken out only as far as it is one of the catalogue's strings: the
    values that filled its ``{placeholders}`` are read again (data, numbers, or marked text
    themselves), so an unmarked sentence cannot hide inside a marked one ("Before saving:
    {problem}"). Innermost segments first: "⟦Hosted by ⟦A, B and 2 more⟧⟧"."""

    INNERMOST = re.compile(r"⟦([^⟦⟧]*)⟧")
    READ = "\ue000"  # stands for a marked segment already read

    def __init__(self, data: list[str]):
        self.data = data

    def leftover(self, text: str) -> str:
        problems = []
        while True:
            match = self.INNERMOST.search(text)
            if match is None:
                break
            problems += self._segment(match.group(1))
            text = text[: match.start()] + self.READ + text[match.end() :]
        rest = self._words(text)
        return " | ".join(p for p in [rest, *problems] if p)

    def _segment(self, inside: str) -> list[str]:
        """What is unmarked inside one segment: in the values its placeholders took, as read
        with the catalogue string that leaves the least unmarked."""
        best = None
        for pattern in _catalogue_patterns():
            found = pattern.fullmatch(inside)
            if found is None:
                continue
            problems = [w for w in (self._words(v) for v in found.groups()) if w]
            if best is None or len(" ".join(problems)) < len(" ".join(best)):
                best = problems
            if not best:
                return []
        return best if best is not None else [f"⟦{inside}⟧ is not a string of the catalogue"]

    def _words(self, text: str) -> str:
        text = LINK.sub(" ", text.replace(self.READ, " "))
        for d in self.data:
            for form in {d, escape_md(d), html.escape(d)}:
                text = text.replace(form, " ")
        text = DATE_WORDS.sub(" ", MARKDOWN_DIRECTIVE.sub(" ", text))
        return " ".join(text.split()) if WORD.search(text) else ""


_patterns: list[re.Pattern] = []


def _catalogue_patterns() -> list[re.Pattern]:
    """Every marked string of the source (the English catalogue holds each as its own
    translation) as a pattern: a CLDR date pattern matches the dates it formats, any other
    string matches itself with anything in its {placeholders}."""
    if not _patterns:
        for message in catalog.extract():
            for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                if msgid:
                    _patterns.append(re.compile(_date_regex(msgid) or _placeholder_regex(msgid), re.S))
    return _patterns


def _placeholder_regex(msgid: str) -> str:
    parts = re.split(r"\{\w+\}", msgid)
    return "(.*?)".join(re.escape(part) for part in parts)


def _date_regex(msgid: str) -> str | None:
    """"EEE dd MMM" → a pattern for "Tue 06 Oct": day and month names are dates, not text."""
    if not re.fullmatch(r"[EMdyHms ,:./-]+", msgid) or not re.search(r"[EMdy]", msgid):
        return None
    regex = ""
    for run in re.finditer(r"([A-Za-z])\1*|.", msgid):
        token = run.group(0)
        if token[0] == "E" or (token[0] == "M" and len(token) >= 3):
            regex += r"[^\W\d_]+\.?"
        elif token[0].isalpha():
            regex += r"\d+"
        else:
            regex += re.escape(token)
    return regex


# ---------------------------------------------------------------------- opening pages


@pytest.fixture(autouse=True)
def test_thread_in_pseudo():
    """AppTest formats a selectbox's options again in the test's own thread (to find the one
    chosen), so that thread speaks the page's language too."""
    with i18n.using(i18n.PSEUDO):
        yield


@pytest.fixture
def page_titles(monkeypatch) -> list[str]:
    """The titles main.py gives the browser tab (st.set_page_config), run after run."""
    seen = []
    real = st.set_page_config

    def spy(*args, **kwargs):
        seen.append(kwargs.get("page_title", args[0] if args else ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", spy)
    return seen


def pseudo(world: World | None = None, *, signed_in: bool = False, **query) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    at.query_params["lang"] = i18n.PSEUDO
    at.context["timezone"] = "Europe/Berlin"  # the viewer's own times show too
    for key, value in query.items():
        at.query_params[key] = value
    if signed_in:
        admin = next(u for u in world.planner.list_users() if u.email == "admin@example.org")
        at.session_state["session_token"] = world.planner.start_session(admin.id)
    return at.run()


def open_page(at: AppTest, file: str) -> AppTest:
    return at.switch_page(file).run()


def choose(at: AppTest, key: str, value) -> AppTest:
    at.selectbox(key=key).set_value(value)
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    """Press the button whose (pseudo) label is ⟦label⟧."""
    next(b for b in at.button if b.label == f"⟦{label}⟧").click()
    return at.run()


def event_page(world, key, **options) -> AppTest:
    return open_page(pseudo(world, id=str(world.events[key].id), **options), "event_page.py")


def ticket_page(token) -> AppTest:
    return open_page(pseudo(t=token), "ticket.py")


def door_page(world, **params) -> AppTest:
    return open_page(pseudo(world, **{"pass": world.door_pass.url.split("pass=")[1], **params}), "checkin.py")


def organizer_page(world, file, **params) -> AppTest:
    return open_page(pseudo(world, signed_in=True, **params), file)


# ---------------------------------------------------------------------- the cases


def _programme_filtered(world):
    return choose(pseudo(world), "f_format", "in_person")


def _programme_no_match(world):
    at = pseudo(world)
    at.text_input(key="f_query").input("zzzz").run()
    return at


def _registered(world, key, name, email):
    at = event_page(world, key)
    event_id = world.events[key].id
    at.text_input(key=f"rsvp_name_{event_id}").input(name)
    at.text_input(key=f"rsvp_email_{event_id}").input(email)
    full = world.planner.event_counts(event_id).is_full
    return click(at, "Join the waiting list" if full else "Register")


def _ticket_cancel_step(world):
    return click(ticket_page(world.guests["julia"].manage_token), "Cancel my registration")


def _wrong_password(world):
    at = open_page(pseudo(world), "sign_in.py")
    at.text_input[0].input("admin@example.org")
    at.text_input[1].input("not the password")
    return click(at, "Sign in")


def _door_found_guest(world):
    at = door_page(world)
    at.text_input(key="door_query").input("mamani").run()
    return at


def _door_typed(world, *codes):
    at = door_page(world)
    for code in codes:
        at.text_input(key="door_typed").input(code).run()
    return at


def _door_walk_in(world):
    at = door_page(world)
    at.text_input(key="walk_name").input("Tomás Llanos")
    at.text_input(key="walk_org").input("Radio Comunitaria")
    at.button(key="walk_go").click().run()
    return at


def _waiting_guest(world):
    """A guest on the waiting list of the event whose door pass the cases hold."""
    for n in range(39):  # fill the room's 40 places (Julia has one)
        world.planner.register(world.events["open"].id, name=f"Invitada {n}", email=f"g{n}@example.org")
    return world.planner.register(world.events["open"].id, name="Carla Espera", email="carla@example.org")


def _door_revoked(world):
    at = door_page(world)
    world.planner.revoke_door_pass(world.door_pass.id)
    return at.run()


def _organize_draft(world):
    at = organizer_page(world, "organize.py")
    at.session_state["o_event"] = world.events["draft"].id  # as a click on its row does
    return at.run()


def _edit_existing(world):
    return organizer_page(world, "edit_event.py", id=str(world.events["open"].id))


def _registrations(world):
    at = organizer_page(world, "registrations.py", id=str(world.events["full"].id))
    world.planner.check_in(world.guests["rosa"].checkin_code, world.events["full"].id, door="Puerta norte")
    at.number_input(key=f"r_cap_{world.events['full'].id}").set_value(2).run()
    return at


def _write_to_guests(world, *buttons):
    """The write-to-guests page of the open event, after pressing ``buttons`` (by key)."""
    at = organizer_page(world, "write_to_guests.py", id=str(world.events["open"].id))
    event_id = world.events["open"].id
    world.typed |= {"Cambio de sala", "Nos vemos en la Sala Chica."}
    at.text_input(key=f"wg_subject_{event_id}").input("Cambio de sala")
    at.text_area(key=f"wg_body_{event_id}").input("Nos vemos en la Sala Chica.")
    for button in buttons:
        at.button(key=button).click().run()
    return at


def _write_to_guests_refused(world):
    at = organizer_page(world, "write_to_guests.py", id=str(world.events["open"].id))
    at.multiselect(key=f"wg_to_{world.events['open'].id}").set_value([])
    at.button(key="wg_ask").click().run()
    return at


def _outbox_with_a_message(world):
    world.planner.message_guests(world.events["open"].id, "Cambio de sala", "Nos vemos en la Sala Chica.")
    return organizer_page(world, "outbox.py", id=str(world.events["open"].id))


def _exports_of_a_summit(world):
    at = organizer_page(world, "exports.py")
    at.radio(key="x_scope").set_value("summit").run()
    return at


def _reports(world):
    """The reports page after a check-in and a walk-in at the open event."""
    p = world.planner
    p.check_in(world.guests["julia"].checkin_code, world.events["open"].id, door="Puerta norte")
    p.walk_in(world.events["open"].id, name="Tomás Llanos", email="", organization="Radio Comunitaria", force=True)
    return organizer_page(world, "reports.py")


def _door_organizer(world):
    return choose(organizer_page(world, "checkin.py"), "door_event", world.events["open"].id)


def _import_guests_preview(world):
    at = organizer_page(world, "imports.py")
    at.radio(key="imp_kind").set_value("guests").run()
    at.selectbox(key="imp_event").set_value(world.events["open"].id).run()
    data = "Name;Email\nNina Flores;nina@example.org\nSin Correo;no-es-correo\nJulia Mamani;julia@example.org\n"
    world.typed |= {"no-es-correo", "Sin Correo", "Nina Flores", "nina@example.org"}
    at.file_uploader(key="imp_file_guests").upload("invitados.csv", data.encode(), "text/csv").run()
    return at


def _import_guests_done(world):
    at = _import_guests_preview(world)
    at.button(key="imp_go").click().run()
    return at


def _import_broken(world):
    at = organizer_page(world, "imports.py")
    at.file_uploader(key="imp_file_events").upload("roto.csv", b"Titulo;Lugar\nA;B\n", "text/csv").run()
    world.typed |= {"Titulo", "Lugar"}
    return at


def _erasing(world, *buttons):
    """The Data page after typing an address to erase and pressing ``buttons`` (by key)."""
    at = organizer_page(world, "data_care.py")
    at.text_input(key="erase_email_input").input("julia@example.org")
    next(b for b in at.button if b.label == "⟦Erase…⟧").click()
    at.run()
    for button in buttons:
        at.button(key=button).click().run()
    return at


def _deleting_a_venue(world):
    world.planner.add_venue(name="Casa Vacía", address="Jirón Lampa 1", timezone="America/Lima")
    at = organizer_page(world, "venues.py")
    venue = next(v for v in world.planner.list_venues() if v.name == "Casa Vacía")
    at.button(key=f"delete_venue_{venue.id}").click().run()
    return at


def _deleting_a_draft(world):
    at = _organize_draft(world)
    at.button(key=f"delete_event_{world.events['draft'].id}").click().run()
    return at


def _audit_log(world):
    """The audit log after edits of every kind the page puts in words."""
    p, event = world.planner, world.events["open"]
    p.update_event(event.id, version=event.version, capacity=30, starts_at=event.starts_at + timedelta(hours=1),
                   join_link_public=True, organizations=[{"name": "Coalición Andina", "role": "host"}])
    p.update_room(event.room_id, capacity=45)
    p.cancel_registration_for(world.guests["rosa"].id)
    p.message_guests(event.id, "Cambio de sala", "Nos vemos en la Sala Chica.", to=["confirmed", "waitlisted"])
    world.typed |= {"Cambio de sala", "nadie@example.org", "203.0.113.7", "Fondo Verde Ucayali", "Oficina Sur"}  # removed: no longer in the world
    p.authenticate("nadie@example.org", "not the password", client="203.0.113.7")
    return organizer_page(world, "audit_log.py")


def _security_list(world):
    """Issue #12: a security list rule on the venue, a list made, a guest who joined after it."""
    p, event = world.planner, world.events["open"]
    world.typed.add("Misión Permanente del Perú")
    p.set_guest_list_rule(venue_id=event.venue.id, working_days=3, sponsor="Misión Permanente del Perú")
    p.make_security_list(event.id)
    world.guests["tarde"] = p.register(event.id, name="Nina Tarde", email="nina@example.org", organization="Red Sur")
    p.update_registration(world.guests["julia"].manage_token, name="Julia Mamani Quispe")
    return world


def _door_not_on_security_list(world):
    _security_list(world)
    return door_page(world, code=world.guests["tarde"].checkin_code)
def _with_questions(world):
    """The open event asks every built-in question and one of its own (issue #12)."""
    p = world.planner
    event = world.events["open"]
    p.set_event_questions(event.id, [
        {"builtin": "id_names", "required": True}, {"builtin": "country"}, {"builtin": "organization_type"},
        {"builtin": "gender"}, {"builtin": "needs"},
        {"kind": "several_choices", "label": "Talleres", "help": "Elija los que quiera.", "choices": ["Mañana", "Tarde"]},
        {"kind": "yes_no", "label": "¿Primera vez?"},
    ])
    return event


def _rsvp_missing_answer(world):
    at = event_page(world, "open") if _with_questions(world) else None
    event_id = world.events["open"].id
    at.text_input(key=f"rsvp_name_{event_id}").input("Nina Flores")
    at.text_input(key=f"rsvp_email_{event_id}").input("nina@example.org")
    return click(at, "Register")


def _answered(world):
    event = _with_questions(world)
    guest = world.planner.update_registration(world.guests["julia"].manage_token, answers={
        "given_names": "Julia", "family_name": "Mamani Condori", "country": "PE", "gender": "woman"},
        no_photos=True, hide_name=True)
    world.guests["julia"] = guest
    return event


# ---------------------------------------------------------------------- reconfirmation and no-shows (issue #12)


def _still_coming(world, *buttons, token=None):
    """The "Still coming?" page of Julia's request (asked a day before the start), after ``buttons``."""
    from planner.areas import reconfirm, ticket_codes

    p, event = world.planner, world.events["open"]
    if token is None:
        p.set_reconfirmation(event.id, enabled=True, release_unanswered=True, overbooking=0)
        with p._db.write() as db:
            reconfirm.ask_due(db, event.starts_at - timedelta(hours=23), checkin_key=p._checkin_key, domain="x.org")
        token = ticket_codes.reconfirm_token(p._checkin_key, world.guests["julia"].id)
    at = open_page(pseudo(world, t=token, a="no"), "still_coming.py")
    for key in buttons:
        at.button(key=key).click().run()
    return at


def _with_history(world, file, **params):
    """A page an organizer opens a day after the open event, where 15 of 26 confirmed guests came."""
    import planner.clock

    p, event = world.planner, world.events["open"]
    guests = [world.guests["julia"]] + [p.register(event.id, name=f"Invitada {n}", email=f"i{n}@example.org")
                                        for n in range(25)]
    for g in guests[:15]:
        p.check_in(g.checkin_code, event.id)
    with pytest.MonkeyPatch.context() as mp:
        later = event.ends_at + timedelta(days=1)
        mp.setattr(planner.clock, "now", lambda: later)
        return organizer_page(world, file, **params)


def _answered_still_coming(world):
    _still_coming(world, "still_coming_yes")
    return world


def _suggested(world):
    at = _with_history(world, "edit_event.py", id=str(world.events["draft"].id))
    assert any("⟦Suggested" in i.value for i in at.info), [i.value for i in at.info]
    return at


def _door_room_full(world):
    """Overbooking let two guests hold the one place of the room: the second is not let in."""
    p, event = world.planner, world.events["open"]
    p.update_event(event.id, version=p.get_event(event.id).version, capacity=1)
    p.set_reconfirmation(event.id, enabled=False, release_unanswered=False, overbooking=1)
    second = p.register(event.id, name="Nina Flores", email="nina@example.org")
    p.check_in(world.guests["julia"].checkin_code, event.id)
    return door_page(world, code=second.checkin_code)


CASES = {
    "event page asking questions": lambda w: (_with_questions(w), event_page(w, "open"))[1],
    "event page, a required answer missing": _rsvp_missing_answer,
    "ticket with answers and privacy choices": lambda w: (_answered(w), ticket_page(w.guests["julia"].manage_token))[1],
    "door, a guest who asked not to be photographed": lambda w: (
        _answered(w), _door_typed(w, w.guests["julia"].ticket_code))[1],
    "door, finding a guest who asked not to be photographed": lambda w: (_answered(w), _door_found_guest(w))[1],
    "organizer: registration questions": lambda w: (
        _with_questions(w), organizer_page(w, "edit_event.py", id=str(w.events["open"].id)))[1],
    "organizer: registrations with answers": lambda w: (
        _answered(w), organizer_page(w, "registrations.py", id=str(w.events["open"].id)))[1],
    "still coming?, the question": lambda w: _still_coming(w),
    "still coming?, answered": lambda w: _still_coming(w, "still_coming_no"),
    "still coming?, a link already used": lambda w: _still_coming(_answered_still_coming(w)),
    "still coming?, an unknown link": lambda w: _still_coming(w, token="not-a-real-token-000000000000"),
    "organizer: reports with no-show rates": lambda w: _with_history(w, "reports.py"),
    "organizer: editor with an overbooking suggestion": lambda w: _suggested(w),
    "door, the room is full": _door_room_full,
    "programme": lambda w: pseudo(w),
    "programme, filtered": _programme_filtered,
    "programme, nothing matches": _programme_no_match,
    "event page with speakers, organizations and the RSVP form": lambda w: event_page(w, "open"),
    "event page of a full event": lambda w: event_page(w, "full"),
    "event page after registering": lambda w: _registered(w, "open", "Nina Flores", "nina@example.org"),
    "event page after joining the waiting list": lambda w: _registered(w, "full", "Nina Flores", "nina@example.org"),
    "event page after registering an address again": lambda w: _registered(w, "open", "Nina Flores", "julia@example.org"),
    "event page of a cancelled event": lambda w: event_page(w, "cancelled"),
    "event not found": lambda w: open_page(pseudo(w, id="99999"), "event_page.py"),
    "ticket of a confirmed registration": lambda w: ticket_page(w.guests["julia"].manage_token),
    "ticket on the waiting list": lambda w: ticket_page(w.guests["pedro"].manage_token),
    "ticket, cancelling": _ticket_cancel_step,
    "ticket, cancelled": lambda w: click(_ticket_cancel_step(w), "Yes, cancel it"),
    "ticket not found": lambda w: ticket_page("not-a-real-token"),
    "organizer sign-in": lambda w: open_page(pseudo(w), "sign_in.py"),
    "organizer sign-in, wrong password": _wrong_password,
    "door without a door pass": lambda w: open_page(pseudo(w, code="ABCDEFGHJKMNPQRS"), "checkin.py"),
    "door with a door pass": lambda w: door_page(w),
    "door, a guest found by name": _door_found_guest,
    "door, checked in": lambda w: _door_typed(w, w.guests["julia"].ticket_code),
    "door, already checked in": lambda w: _door_typed(w, w.guests["julia"].ticket_code, w.guests["julia"].ticket_code),
    "door, invalid code": lambda w: _door_typed(w, "NOT-A-CODE"),
    "door, another event's ticket": lambda w: door_page(w, code=w.guests["rosa"].checkin_code),
    "door, a walk-in": _door_walk_in,
    "door, a check-in undone": lambda w: click(_door_typed(w, w.guests["julia"].ticket_code), "Undo this check-in"),
    "door, a guest on the waiting list": lambda w: door_page(w, code=_waiting_guest(w).checkin_code),
    "door, a revoked pass": _door_revoked,
    "door, a link that is not valid": lambda w: open_page(pseudo(w, door="invalid"), "checkin.py"),
    "draft preview for an organizer": lambda w: open_page(pseudo(w, signed_in=True, id=str(w.events["draft"].id)), "event_page.py"),
    "organizer: events": _organize_draft,
    "organizer: new event": lambda w: organizer_page(w, "edit_event.py"),
    "organizer: edit an event": _edit_existing,
    "organizer: registrations": _registrations,
    "organizer: door, choosing the event": _door_organizer,
    "organizer: write to guests, preview": lambda w: _write_to_guests(w, "wg_preview"),
    "organizer: write to guests, a test sent": lambda w: _write_to_guests(w, "wg_test"),
    "organizer: write to guests, the question": lambda w: _write_to_guests(w, "wg_ask"),
    "organizer: write to guests, sent": lambda w: _write_to_guests(w, "wg_ask", "wg_send"),
    "organizer: write to guests, refused": _write_to_guests_refused,
    "organizer: outbox of an event": _outbox_with_a_message,
    "organizer: outbox, empty": lambda w: organizer_page(w, "outbox.py"),
    "organizer: exports of an event": lambda w: organizer_page(w, "exports.py", id=str(w.events["open"].id)),
    "organizer: exports of a summit": _exports_of_a_summit,
    "organizer: venues and rooms": lambda w: organizer_page(w, "venues.py"),
    "organizer: summits": lambda w: organizer_page(w, "summits.py"),
    "organizer: accounts": lambda w: organizer_page(w, "accounts.py"),
    "organizer: import, events": lambda w: organizer_page(w, "imports.py"),
    "organizer: import, a guest list previewed": _import_guests_preview,
    "organizer: import, guests imported": lambda w: _import_guests_done(w),
    "organizer: import, a broken file": _import_broken,
    "organizer: reports, every event": lambda w: _reports(w),
    "organizer: reports, one event": lambda w: choose(_reports(w), "rp_event", w.events["open"].id),
    "organizer: reports, nothing yet": lambda w: organizer_page(w, "reports.py"),
    "admin: data": lambda w: organizer_page(w, "data_care.py"),
    "admin: data, the erasure question": lambda w: _erasing(w),
    "admin: data, erased": lambda w: _erasing(w, "erase_yes"),
    "organizer: venues, deleting an unused venue": _deleting_a_venue,
    "organizer: events, deleting a draft": _deleting_a_draft,
    "admin: audit log": _audit_log,
    "admin: audit log, one kind": lambda w: choose(_audit_log(w), "al_action", "event_edited"),
    "organizer: venues with a security list rule": lambda w: organizer_page(_security_list(w), "venues.py"),
    "organizer: registrations with a security list": lambda w: organizer_page(
        _security_list(w), "registrations.py", id=str(w.events["open"].id)),
    "door, not on the security list": _door_not_on_security_list,
    "door, let in though not on the security list": lambda w: click(_door_not_on_security_list(w),
                                                                    "Let them in anyway"),
    "admin: audit log with security list entries": lambda w: (_security_list(w), organizer_page(w, "audit_log.py"))[1],
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_word_on_the_page_is_marked_or_data(world, page_titles, case):
    assert_all_marked(CASES[case](world), world, page_titles)


# ---------------------------------------------------------------------- text the domain still writes


def _programme_with_online_event(world):
    p = world.planner
    start = START + timedelta(days=4)
    online = p.create_event(
        title="Seminario virtual andino", summit_id=world.summit.id, starts_at=start, ends_at=start + timedelta(hours=1),
        online_url="https://meet.example.org/seminario", timezone="America/Lima",
    )
    p.publish_event(online.id)
    return pseudo(world)


def _editor_with_invalid_times(world):
    at = organizer_page(world, "edit_event.py", id=str(world.events["draft"].id))
    at.time_input(key="ev_end").set_value(datetime(2000, 1, 1, 9, 0).time()).run()
    return at


def _rsvp_with_a_bad_address(world):
    return _registered(world, "open", "Nina Flores", "not-an-address")


def _organize_with_a_clash(world):
    p = world.planner
    clash = p.create_event(
        title="Reunión superpuesta", room_id=world.events["open"].room_id,
        starts_at=world.events["open"].starts_at, ends_at=world.events["open"].ends_at,
    )
    del clash
    return organizer_page(world, "organize.py")


def _walk_in_when_full(world):
    world.planner.update_event(world.events["open"].id, version=world.planner.get_event(world.events["open"].id).version, capacity=1)
    return _door_walk_in(world)


DOMAIN_CASES = {
    "door, a walk-in when the room is full": _walk_in_when_full,
    "programme with an online event": _programme_with_online_event,
    "editor with an end before the start": _editor_with_invalid_times,
    "RSVP with a bad email address": _rsvp_with_a_bad_address,
    "events table with a room clash": _organize_with_a_clash,
}


@pytest.mark.parametrize("case", list(DOMAIN_CASES))
def test_text_from_the_domain_is_marked_too(world, page_titles, case):
    """Refusals, places and clashes come from the domain: their sentences are marked there."""
    assert_all_marked(DOMAIN_CASES[case](world), world, page_titles)


def test_the_world_holds_every_state_the_cases_need(world):
    """Guards the cases above against a world that quietly lost what they look at."""
    p = world.planner
    assert p.event_counts(world.events["full"].id).is_full
    assert world.guests["pedro"].status == "waitlisted" and world.guests["julia"].ticket_code
    assert {e.status for e in p.list_events()} == {"draft", "published", "cancelled"}
    assert not p.conflicts()
