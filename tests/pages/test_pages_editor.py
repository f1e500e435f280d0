"""The event editor (issue #16): keyboard rows for speakers and organizations, every problem at
once beside its field with a summary when saving fails, and publishing (with a room clash
confirmed right there) and cancelling from the editor itself."""

from __future__ import annotations

from datetime import datetime

from tests.pages.apptest import dialogue, no_exception, seen, signed_in, texts


def editor(app_planner, event_id=None):
    at = signed_in(app_planner)
    if event_id is not None:
        at.query_params["id"] = str(event_id)
    at.run()
    at.switch_page("edit_event.py").run()
    no_exception(at)
    return at


def errors_beside(at, key: str) -> list[str]:
    """The error messages in the container with that key (the slot beside a field)."""
    box = at.main.get_by_key(key)
    return [str(e.value) for e in box.error] if box is not None else []


def test_saving_with_several_problems_shows_them_all_beside_their_fields_and_a_summary(app_planner):
    at = editor(app_planner)
    before = len(app_planner.list_events())
    at.text_input(key="ev_online_url").input("javascript:alert")
    at.time_input(key="ev_end").set_value(datetime(2000, 1, 1, 9, 0).time())
    at.text_input(key="ev_sp_1_affiliation").input("CELS").run()  # a speaker row without a name
    at.button(key="ev_save").click().run()
    no_exception(at)
    assert len(app_planner.list_events()) == before  # nothing saved
    assert "title is required" in " ".join(errors_beside(at, "ev_err_title"))
    assert errors_beside(at, "ev_err_online_url")
    assert "must end after it starts" in " ".join(errors_beside(at, "ev_err_times"))
    assert "Name of speaker 1" in " ".join(errors_beside(at, "ev_sp_1_problems"))
    summary = " ".join(errors_beside(at, "ev_summary"))
    assert "Not saved: 4 things to fix" in summary
    assert at.text_input(key="ev_sp_1_affiliation").value == "CELS"  # what was typed stays


def test_an_own_capacity_starts_from_the_rooms_and_one_below_1_is_refused_beside_it(app_planner):
    event = dialogue(app_planner)  # in the Auditorium, the room's capacity
    room = app_planner.get_room(event.room_id)
    at = editor(app_planner, event.id)
    at.checkbox(key="ev_capacity_default").uncheck().run()
    assert at.number_input(key="ev_capacity").value == room.capacity  # not 50
    for wrong in (0, -5):
        at.number_input(key="ev_capacity").set_value(wrong).run()
        at.button(key="ev_save").click().run()
        no_exception(at)
        assert "Capacity must be at least 1." in " ".join(errors_beside(at, "ev_err_capacity"))
        assert "Not saved: 1 thing to fix" in " ".join(errors_beside(at, "ev_summary"))
        assert app_planner.get_event(event.id).capacity == event.capacity  # nothing saved, not 50 either
    at.number_input(key="ev_capacity").set_value(40).run()
    at.button(key="ev_save").click().run()
    assert app_planner.get_event(event.id).capacity == 40


def test_a_pasted_title_past_200_characters_is_kept_and_refused_with_its_length(app_planner):
    at = editor(app_planner)
    before = len(app_planner.list_events())
    at.text_input(key="ev_title").input("Civil society dialogue " + "x" * 227)  # 250 characters, pasted
    at.button(key="ev_save").click().run()
    no_exception(at)
    assert "can be at most 200 characters long (this one has 250)" in " ".join(errors_beside(at, "ev_err_title"))
    assert len(at.text_input(key="ev_title").value) == 250 and len(app_planner.list_events()) == before


def test_before_the_first_save_only_what_was_typed_wrong_is_shown(app_planner):
    at = editor(app_planner)
    assert not errors_beside(at, "ev_err_title")  # an empty new form is not scolded
    at.text_input(key="ev_online_url").input("ftp://files.example.org").run()
    assert errors_beside(at, "ev_err_online_url")


def test_typing_a_name_into_the_last_row_adds_the_next_with_the_usual_role(app_planner):
    at = editor(app_planner)
    assert at.selectbox(key="ev_org_1_role").value == "host"  # the first organization hosts
    at.text_input(key="ev_org_1_name").input("Climate Space").run()
    at.text_input(key="ev_org_2_name").input("GCM").run()
    assert at.selectbox(key="ev_org_2_role").value == "co-sponsor"
    assert at.text_input(key="ev_org_3_name").value == ""  # always one empty row at the end
    at.text_input(key="ev_sp_1_name").input("Ana Pérez").run()
    at.selectbox(key="ev_sp_1_role").set_value("chair").run()
    at.text_input(key="ev_title").input("Rows typed one after another")
    at.button(key="ev_save").click().run()
    no_exception(at)
    created = next(e for e in app_planner.list_events() if e.title == "Rows typed one after another")
    assert [(o.name, o.role) for o in created.organizations] == [("Climate Space", "host"), ("GCM", "co-sponsor")]
    assert [(s.name, s.role) for s in created.speakers] == [("Ana Pérez", "chair")]


def test_a_row_can_be_removed(app_planner):
    at = editor(app_planner)
    at.text_input(key="ev_org_1_name").input("Mistake").run()
    at.text_input(key="ev_org_2_name").input("Kept").run()
    at.button(key="ev_org_1_remove").click().run()
    assert [t.value for t in at.text_input if t.key and t.key.startswith("ev_org_")] == ["Kept", ""]


def test_publishing_from_the_editor_over_a_room_clash_needs_the_confirmation_beside_it(app_planner):
    event = dialogue(app_planner)
    clash = app_planner.create_event(
        title="Overlapping meeting", starts_at=event.starts_at, ends_at=event.ends_at, room_id=event.room_id
    )
    at = editor(app_planner, clash.id)
    assert "is booked twice" in texts(at)  # beside the times, before anything is pressed
    assert at.button(key="ev_publish").disabled
    at.checkbox(key="ev_confirm_clash").check().run()
    at.button(key="ev_publish").click().run()
    no_exception(at)
    assert app_planner.get_event(clash.id).status == "published"
    assert "it is now on the public programme" in texts(at)


def test_a_new_event_is_created_and_published_in_one_press(app_planner):
    at = editor(app_planner)
    at.text_input(key="ev_title").input("Published at once")
    at.button(key="ev_publish").click().run()
    no_exception(at)
    created = next(e for e in app_planner.list_events() if e.title == "Published at once")
    assert created.status == "published"


def test_a_published_event_is_cancelled_from_the_editor_with_a_reason(app_planner):
    event = dialogue(app_planner)
    at = editor(app_planner, event.id)
    assert "ev_publish" not in [b.key for b in at.button]  # published already
    at.button(key="ev_cancel").click().run()
    assert "reason for cancelling is required" in texts(at)
    assert app_planner.get_event(event.id).status == "published"
    at.text_input(key="ev_cancel_reason").input("Speakers cannot travel.")
    at.button(key="ev_cancel").click().run()
    no_exception(at)
    assert app_planner.get_event(event.id).status == "cancelled"


def test_the_description_is_previewed_as_markdown(app_planner):
    at = editor(app_planner)
    at.text_area(key="ev_description").input("**Bold** words <script>x</script>").run()
    preview = at.main.get_by_key("ev_description_preview")
    html = " ".join(str(h.proto.body) for h in preview.html)
    assert "<strong>Bold</strong>" in html and "<script>" not in html


def test_moving_the_start_moves_the_end_with_it(app_planner):
    at = editor(app_planner)
    at.time_input(key="ev_start").set_value(datetime(2000, 1, 1, 9, 30).time()).run()
    assert at.time_input(key="ev_end").value == datetime(2000, 1, 1, 11, 30).time()


# ---------------------------------------------------------------- the events table


def test_the_events_table_puts_past_events_apart_and_a_row_chooses_the_event(app_planner):
    from datetime import UTC, timedelta

    start = datetime.now(UTC) - timedelta(days=3)
    old = app_planner.create_event(title="Last week's briefing", starts_at=start, ends_at=start + timedelta(hours=1),
                                   timezone="UTC", allow_past=True)
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    no_exception(at)
    upcoming, past = at.dataframe[0].value, at.dataframe[1].value
    assert "Last week's briefing" not in upcoming["Title"].tolist()
    assert past["Title"].tolist()[0] == "Last week's briefing"
    assert [s.value for s in at.subheader][:2] == ["Upcoming", "Past"]
    assert list(upcoming.columns) == ["When", "Title", "Status", "Registered", "Places left", "Waiting", "Clashes",
                                      "Place"]
    assert "Select an event in a table above" in texts(at)  # nothing chosen yet: no dropdown either
    assert not [s for s in at.selectbox if s.key == "o_event"]
    at.session_state["o_event"] = old.id  # what a click on its row sets
    at.run()
    assert at.button(key=f"publish_{old.id}")


# ---------------------------------------------------------------- venues, rooms and summits


def test_the_venue_form_empties_once_added_and_refuses_an_existing_name_keeping_the_input(app_planner):
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    at.text_input(key="v_new_name").input("Palais des Nations")
    at.button(key="FormSubmitter:add_venue-Add venue").click().run()
    no_exception(at)
    assert "Added the venue Palais des Nations." in texts(at)
    assert at.text_input(key="v_new_name").value == ""  # a second press adds nothing twice
    at.text_input(key="v_new_name").input("palais des nations")
    at.button(key="FormSubmitter:add_venue-Add venue").click().run()
    assert "There is already a venue called “Palais des Nations”" in texts(at)
    assert at.text_input(key="v_new_name").value == "palais des nations"
    assert [v.name for v in app_planner.list_venues()].count("Palais des Nations") == 1


def test_the_room_form_refuses_a_room_name_its_venue_has(app_planner):
    room = next(r for r in app_planner.list_rooms() if r.name.startswith("Boss Room"))
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    at.selectbox(key="r_new_venue").set_value(room.venue_id)
    at.text_input(key="r_new_name").input(room.name.upper())
    at.button(key="FormSubmitter:add_room-Add room").click().run()
    no_exception(at)
    assert "already has a room called" in texts(at)
    at.text_input(key="r_new_name").input("Small meeting room")
    at.button(key="FormSubmitter:add_room-Add room").click().run()
    assert at.text_input(key="r_new_name").value == ""
    assert any(r.name == "Small meeting room" for r in app_planner.list_rooms())


def test_the_summit_form_empties_once_added_and_refuses_an_existing_name(app_planner):
    existing = app_planner.list_summits()[0]
    at = signed_in(app_planner).run()
    at.switch_page("summits.py").run()
    at.text_input(key="s_new_name").input(existing.name)
    at.button(key="FormSubmitter:add_summit-Add summit").click().run()
    no_exception(at)
    assert "There is already a summit called" in texts(at)
    at.text_input(key="s_new_name").input("Habitat IV")
    at.button(key="FormSubmitter:add_summit-Add summit").click().run()
    assert "Added Habitat IV." in texts(at)
    assert at.text_input(key="s_new_name").value == ""


# ---------------------------------------------------------------- registrations and door passes


def registrations_of(app_planner, event):
    at = signed_in(app_planner)
    at.query_params["id"] = str(event.id)
    at.run()
    at.switch_page("registrations.py").run()
    no_exception(at)
    return at


def test_the_list_shows_check_in_time_and_door_walk_ins_and_who_was_let_in_past_capacity(app_planner):
    event = dialogue(app_planner)
    app_planner.update_event(event.id, version=event.version, capacity=1)
    guest = app_planner.register(event.id, name="Ana Pérez", email="ana@example.org")
    app_planner.check_in(guest.checkin_code, event.id, door="North door")
    app_planner.walk_in(event.id, name="Bo Walker", door="Main door", force=True)
    at = registrations_of(app_planner, event)
    table = at.dataframe[-1].value
    ana = table[table["Name"] == "Ana Pérez"].iloc[0]
    assert ana["Door"] == "North door" and ana["Checked in"]
    bo = table[table["Name"] == "Bo Walker"].iloc[0]
    assert bo["Status"] == "Walk-in" and bo["Door"] == "Main door"
    assert "2 inside for 1 place: 1 let in past capacity by Main door at " in seen(at)


def test_a_new_door_pass_shows_its_whole_link_a_copy_button_and_its_qr_code(app_planner):
    event = dialogue(app_planner)
    at = registrations_of(app_planner, event)
    at.text_input(key=f"r_pass_label_{event.id}").input("East door")
    at.button(key=f"FormSubmitter:r_pass_{event.id}-Create a door pass").click().run()
    no_exception(at)
    [made] = [d for d in app_planner.door_passes(event.id) if d.label == "East door"]
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert made.url.split("?")[1].split("&")[0] in html  # the link, in full
    assert ">Copy</button>" in html
    assert 'alt="QR code of the door pass for East door"' in html
    assert "Door pass created" in texts(at)
    assert at.text_input(key=f"r_pass_label_{event.id}").value == ""  # empty for the next door


def test_publishing_a_new_event_dated_in_the_past_asks_first_then_publishes(app_planner):
    from datetime import date, timedelta

    at = editor(app_planner)
    at.text_input(key="ev_title").input("Yesterday's vigil")
    at.date_input(key="ev_date").set_value(date.today() - timedelta(days=2))
    at.button(key="ev_publish").click().run()
    no_exception(at)
    assert not [e for e in app_planner.list_events() if e.title == "Yesterday's vigil"]  # asked, not saved
    at.button(key="ev_past_confirm").click().run()
    no_exception(at)
    [saved] = [e for e in app_planner.list_events() if e.title == "Yesterday's vigil"]
    assert saved.status == "published"


def test_a_list_sent_again_by_a_late_rerun_is_not_added_twice(app_planner):
    at = editor(app_planner)
    at.text_area(key="ev_org_paste").input("Climate Space; host\nGCM").run()
    at.text_area(key="ev_org_paste").input("Climate Space; host\nGCM").run()  # the browser's stale copy
    names = [t.value for t in at.text_input if t.key and t.key.startswith("ev_org_") and t.value]
    assert names == ["Climate Space", "GCM"]


def test_the_public_page_is_previewed_from_what_is_typed_before_saving(app_planner):
    at = editor(app_planner)
    at.text_input(key="ev_title").input("Previewed <b>dialogue</b>")
    at.text_input(key="ev_org_1_name").input("Climate Space").run()
    at.text_input(key="ev_sp_1_name").input("Ana Pérez").run()
    preview = at.main.get_by_key("ev_public_preview")
    shown = " ".join(str(m.value) for m in preview.markdown)
    assert "Previewed \\<b\\>dialogue\\</b\\>" in shown  # typed text, escaped
    assert "Hosted by" in shown and "Climate Space" in shown and "Ana Pérez" in shown
    assert not [e for e in app_planner.list_events() if e.title.startswith("Previewed")]  # nothing saved


def test_an_end_typed_first_stays_when_the_start_moves_before_it(app_planner):
    at = editor(app_planner)
    at.time_input(key="ev_end").set_value(datetime(2000, 1, 1, 20, 0).time()).run()
    at.time_input(key="ev_start").set_value(datetime(2000, 1, 1, 18, 0).time()).run()
    assert at.time_input(key="ev_end").value == datetime(2000, 1, 1, 20, 0).time()
