"""The Streamlit pages, run with AppTest against a fresh database seeded with the demo.

AppTest cannot send cookies, so signed-in tests put the session token in session state,
where the sign-in page's own flow would otherwise be replaced by the cookie.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.i18n import long_date
from tests.pages.apptest import app, dialogue, event_page, no_exception, signed_in, texts

# ---------------------------------------------------------------- the public programme


def test_programme_lists_published_events_by_day_in_the_venue_zone(app_planner):
    at = app().run()
    no_exception(at)
    assert at.title[0].value == "Side events programme"
    event = dialogue(app_planner)
    page = texts(at)
    assert f"{event.local_start:%A} {event.local_start.day} {event.local_start:%B %Y}" in page
    assert "17:00–19:00 New York time" in page  # the zone named for people (CLDR), not "EDT"
    assert "Boss Room, 8th floor" in page
    assert "Draft example" not in page  # drafts stay private


def test_past_events_come_after_the_upcoming_ones_under_their_own_heading_latest_first(app_planner):
    from planner import clock

    room = next(r for r in app_planner.list_rooms() if r.venue)
    ended = []
    for days in (9, 2):  # ended nine days ago and two days ago
        start = (clock.now() - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        event = app_planner.create_event(title=f"Over {days} days ago", room_id=room.id, starts_at=start,
                                         ends_at=start + timedelta(hours=1), allow_past=True)
        app_planner.publish_event(event.id, allow_past=True)
        ended.append(event)
    at = app().run()
    no_exception(at)
    headings = [h.value for h in at.header]
    assert headings[-1] == "Past events" and len(headings) > 1  # upcoming days first, as h2
    assert long_date(dialogue(app_planner).local_start) in headings[:-1]  # an upcoming day, before the past
    assert [s.value for s in at.subheader][-2:] == [long_date(e.local_start) for e in reversed(ended)]


def test_programme_shows_the_viewers_own_time_when_it_differs(app_planner):
    at = app()
    at.context["timezone"] = "Europe/Berlin"
    at.run()
    assert "your time" in texts(at)
    at = app()
    at.context["timezone"] = "America/New_York"
    at.run()
    page = texts(at)
    event = dialogue(app_planner)
    own = event.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{own:%H:%M}" in page


def test_programme_search_and_filters_narrow_the_list(app_planner):
    at = app().run()
    at.text_input(key="f_query").input("tribunal").run()
    no_exception(at)
    page = texts(at)
    assert "1 of" in page
    at.text_input(key="f_query").input("nothing matches this").run()
    assert "No events match these filters" in texts(at)
    at.text_input(key="f_query").input("").run()
    at.selectbox(key="f_format").set_value("hybrid").run()
    assert "1 of" in texts(at)


def test_programme_filter_by_organization_is_accent_blind(app_planner):
    at = app().run()
    orgs = at.selectbox(key="f_org").options
    assert "Centro de Estudios Legales y Sociales (CELS)" in orgs
    at.selectbox(key="f_org").set_value("Centro de Estudios Legales y Sociales (CELS)").run()
    assert "1 of" in texts(at)


def test_empty_programme_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "empty.db"))
    monkeypatch.setenv("PLANNER_DEMO", "off")
    at = app().run()
    no_exception(at)
    assert "No side events have been published yet" in texts(at)


# ---------------------------------------------------------------- the event page


def test_event_page_shows_everything_about_the_event(app_planner):
    event = dialogue(app_planner)
    at = event_page(app_planner, event.id)
    no_exception(at)
    page = texts(at)
    assert event.title in page
    assert "Diego Morales" in page and "By video message" in page
    assert "Endorsed by" in page and "Office of the High Commissioner for Human Rights" in page
    assert "Co-sponsored by" in page and "United Methodist Women" in page
    assert "777 UN Plaza" in page and "openstreetmap.org" in page
    assert "17:00–19:00 New York time" in page  # the zone named as people say it (CLDR)


def test_drafts_and_unknown_events_are_not_found_for_the_public(app_planner):
    draft = next(e for e in app_planner.list_events() if e.status == "draft")
    for wanted in (draft.id, 99999, "not-a-number", "99999999999999999999"):
        at = event_page(app_planner, wanted)
        no_exception(at)
        assert at.title[0].value == "Event not found"
        assert draft.title not in texts(at)


def test_organizers_preview_drafts(app_planner):
    draft = next(e for e in app_planner.list_events() if e.status == "draft")
    at = event_page(app_planner, draft.id, signed_in(app_planner))
    no_exception(at)
    assert "draft preview" in texts(at)


def test_cancelled_event_says_so_with_the_reason(app_planner):
    event = dialogue(app_planner)
    app_planner.cancel_event(event.id, reason="The room is closed for repairs.")
    at = event_page(app_planner, event.id)
    no_exception(at)
    assert "This event is cancelled" in texts(at)
    assert "closed for repairs" in texts(at)


# ---------------------------------------------------------------- the organizer area


def test_anonymous_sessions_get_only_the_sign_in_page(app_planner):
    at = app().run()
    with pytest.raises(ValueError):
        at.switch_page("organize.py")
    with pytest.raises(ValueError):
        at.switch_page("edit_event.py")
    at.switch_page("sign_in.py").run()
    assert at.title[0].value == "Organizer sign-in"


def test_a_wrong_password_is_refused_in_plain_words(app_planner):
    at = app().run()
    at.switch_page("sign_in.py").run()
    at.text_input[0].input("admin@example.org")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    no_exception(at)
    assert "do not match" in texts(at)
    assert "sign_in_code" not in at.session_state


def test_the_right_password_hands_over_to_the_cookie_route(app_planner):
    at = app().run()
    at.switch_page("sign_in.py").run()
    at.text_input[0].input("admin@example.org")
    at.text_input[1].input("correct-horse-battery")
    at.button[0].click().run()
    no_exception(at)
    assert "Signing you in" in texts(at)


def test_events_table_shows_status_and_clash_badges(app_planner):
    event = dialogue(app_planner)
    clash = app_planner.create_event(
        title="Overlapping meeting",
        starts_at=event.starts_at + timedelta(minutes=30),
        ends_at=event.ends_at,
        room_id=event.room_id,
    )
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    no_exception(at)
    table = at.dataframe[0].value
    row = table[table["Title"] == "Overlapping meeting"].iloc[0]
    assert row["Status"] == "Draft" and row["Clashes"] == "⚠ 1"
    assert "is booked twice" in texts(at)
    del clash


def test_publishing_over_a_room_clash_needs_confirmation(app_planner):
    event = dialogue(app_planner)
    clash = app_planner.create_event(
        title="Overlapping meeting", starts_at=event.starts_at, ends_at=event.ends_at, room_id=event.room_id
    )
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    at.session_state["o_event"] = clash.id  # as a click on its row does
    at.run()
    publish = at.button(key=f"publish_{clash.id}")
    assert publish.disabled
    at.checkbox(key=f"confirm_clash_{clash.id}").check().run()
    at.button(key=f"publish_{clash.id}").click().run()
    no_exception(at)
    assert app_planner.get_event(clash.id).status == "published"


def test_cancelling_needs_a_reason(app_planner):
    event = dialogue(app_planner)
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    at.session_state["o_event"] = event.id  # as a click on its row does
    at.run()
    at.button(key=f"cancel_{event.id}").click().run()
    assert "reason for cancelling is required" in texts(at)
    assert app_planner.get_event(event.id).status == "published"
    at.text_input(key=f"cancel_reason_{event.id}").input("Speakers cannot travel.")
    at.button(key=f"cancel_{event.id}").click().run()
    assert app_planner.get_event(event.id).status == "cancelled"


def test_creating_an_event_in_the_editor(app_planner):
    room = next(r for r in app_planner.list_rooms() if r.name.startswith("Boss Room"))
    at = signed_in(app_planner).run()
    at.switch_page("edit_event.py").run()
    no_exception(at)
    assert at.title[0].value == "New event"
    at.text_input(key="ev_title").input("Borders and climate: a dialogue")
    at.selectbox(key="ev_room").set_value(room.id).run()
    assert "America/New_York" in texts(at)
    at.button(key="ev_save").click().run()
    no_exception(at)
    created = next(e for e in app_planner.list_events() if e.title == "Borders and climate: a dialogue")
    assert created.status == "draft" and created.room_id == room.id
    assert created.local_start.hour == 17 and created.timezone == "America/New_York"


def test_editor_refuses_bad_input_and_keeps_it(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("edit_event.py").run()
    at.text_input(key="ev_title").input("Ends before it starts").run()
    at.time_input(key="ev_end").set_value(datetime(2000, 1, 1, 9, 0).time()).run()
    assert "must end after it starts" in texts(at)
    before = len(app_planner.list_events())
    at.button(key="ev_save").click().run()
    no_exception(at)
    assert len(app_planner.list_events()) == before
    assert at.text_input(key="ev_title").value == "Ends before it starts"


def test_a_stale_save_shows_what_changed_and_keeps_the_input(app_planner):
    event = dialogue(app_planner)
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("edit_event.py").run()
    at.text_input(key="ev_title").input("My new title").run()
    app_planner.update_event(event.id, version=event.version, title="Their new title")
    at.button(key="ev_save").click().run()
    no_exception(at)
    page = texts(at)
    assert "Someone else saved this event" in page
    assert at.table[0].value.iloc[0]["Now"] == "Their new title"
    assert at.text_input(key="ev_title").value == "My new title"
    at.button(key="ev_stale_mine").click().run()
    assert app_planner.get_event(event.id).title == "My new title"


def test_admin_sees_accounts_and_organizers_do_not(app_planner):
    at = signed_in(app_planner, role="organizer").run()
    with pytest.raises(ValueError):
        at.switch_page("accounts.py")
    at = signed_in(app_planner, role="admin").run()
    at.switch_page("accounts.py").run()
    no_exception(at)
    assert "admin@example.org" in at.dataframe[0].value["Email"].tolist()


def test_an_account_added_leaves_an_empty_form_and_a_refused_one_keeps_what_was_typed(app_planner):
    at = signed_in(app_planner, role="admin").run()
    at.switch_page("accounts.py").run()
    at.text_input(key="acc_new_email").input("new.organizer@example.org")
    at.text_input(key="acc_new_name").input("Nadia New")
    at.button(key="FormSubmitter:add_user-Add account").click().run()
    no_exception(at)
    assert any(u.email == "new.organizer@example.org" for u in app_planner.list_users())
    assert at.text_input(key="acc_new_email").value == "" and at.text_input(key="acc_new_name").value == ""
    at.text_input(key="acc_new_email").input("not an address")
    at.text_input(key="acc_new_name").input("Typo Person")
    at.button(key="FormSubmitter:add_user-Add account").click().run()
    no_exception(at)
    assert at.text_input(key="acc_new_email").value == "not an address" and at.error


def test_venues_and_summits_pages_add_records(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    no_exception(at)
    form_inputs = [t for t in at.text_input if t.label == "Building name"]
    form_inputs[0].input("Palais des Nations")
    at.button(key="FormSubmitter:add_venue-Add venue").click().run()
    no_exception(at)
    assert any(v.name == "Palais des Nations" for v in app_planner.list_venues())
    at.switch_page("summits.py").run()
    no_exception(at)
    assert "69th Session of the UN General Assembly" in at.dataframe[0].value["Summit"].tolist()


def test_the_summits_page_gives_the_html_to_embed_the_programme_on_a_website(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("summits.py").run()
    no_exception(at)
    lima = next(s for s in app_planner.list_summits() if "COP20" in s.name)
    at.selectbox(key="embed_summit").set_value(lima.id).run()
    at.text_input(key="embed_org").input("Global Coalition on Migration (GCM)").run()
    at.selectbox(key="embed_lang").set_value("es").run()
    no_exception(at)
    snippet = at.code[0].value
    assert f"/embed?summit={lima.id}&amp;organization=global-coalition-on-migration-gcm&amp;lang=es" in snippet
    assert snippet == app_planner.embed_snippet(lima.id, "Global Coalition on Migration (GCM)", "es").strip()


def test_pasting_a_list_of_speakers_and_organizations_fills_the_tables(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("edit_event.py").run()
    at.text_input(key="ev_title").input("Pasted lists")
    at.text_area(key="ev_sp_paste").input("Ana Pérez; Red Migrante; chair\nLuis Quispe\tCELS\tluis@example.org\tspeaker")
    at.button(key="ev_sp_paste_add").click().run()
    assert at.text_area(key="ev_sp_paste").value == ""  # emptied once added
    at.text_area(key="ev_org_paste").input("Climate Space; host\nGCM; co-sponsor\nWECAN; co-sponsor")
    at.button(key="ev_org_paste_add").click().run()
    no_exception(at)
    at.button(key="ev_save").click().run()
    no_exception(at)
    created = next(e for e in app_planner.list_events() if e.title == "Pasted lists")
    assert [(s.name, s.affiliation, s.email, s.role) for s in created.speakers] == [
        ("Ana Pérez", "Red Migrante", None, "chair"),
        ("Luis Quispe", "CELS", "luis@example.org", "speaker"),
    ]
    assert [(o.name, o.role) for o in created.organizations] == [
        ("Climate Space", "host"), ("GCM", "co-sponsor"), ("WECAN", "co-sponsor")
    ]


def test_an_event_without_room_or_link_reads_place_to_be_announced_on_its_page_and_the_programme(app_planner):
    summit = app_planner.list_summits()[0]
    start = datetime(2027, 11, 18, 9, tzinfo=ZoneInfo(summit.timezone))
    tba = app_planner.create_event(title="Somewhere soon", starts_at=start, ends_at=start + timedelta(hours=1),
                                   summit_id=summit.id)
    app_planner.publish_event(tba.id)
    at = event_page(app_planner, tba.id)
    no_exception(at)
    page = texts(at)
    assert ":material/location_on: Place to be announced" in page
    assert "videocam" not in page and "Also online" not in page  # never "In person" with a video icon
    at = app().run()
    cards = [m.value for m in at.markdown if "Place to be announced" in m.value]
    assert cards == [":material/location_on: Place to be announced"]


def test_a_hybrid_events_place_reads_with_its_address_then_and_online_on_the_programme(app_planner):
    hybrid = next(e for e in app_planner.list_events() if e.status == "published" and e.format == "hybrid" and e.room)
    at = app().run()
    no_exception(at)
    from planner.ui.components.markdown import escape_md

    assert hybrid.place.endswith(f"{hybrid.venue.address} — and online")
    assert f":material/location_on: {escape_md(hybrid.place)}" in [m.value for m in at.markdown], texts(at)
