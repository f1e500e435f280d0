"""The Data page (admins): erasing a person with a confirmation step, counts only afterwards;
the retention period shown; and the delete buttons that ask first on the venues, summits and
events pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.pages.apptest import no_exception, signed_in, texts


def _data_page(app_planner, role="admin"):
    at = signed_in(app_planner, role).run()
    return at.switch_page("data_care.py").run()


def test_an_admin_erases_a_person_after_saying_yes_and_sees_only_counts(app_planner):
    event = next(e for e in app_planner.list_events() if e.status == "published" and e.ends_at > datetime.now(UTC))
    app_planner.register(event.id, name="Erin Erasable", email="erin@example.org", organization="Org E")
    at = _data_page(app_planner)
    no_exception(at)
    assert "180" in texts(at)  # the retention period
    at.text_input(key="erase_email_input").input("erin@example.org")
    next(b for b in at.button if b.label == "Erase…").click()
    at.run()
    assert "cannot be undone" in texts(at)
    assert all(r.name == "Erin Erasable" for r in app_planner.registrations(event.id) if r.email == "erin@example.org")
    at.button(key="erase_yes").click().run()
    no_exception(at)
    assert "Erased" in texts(at)
    assert [m.value for m in at.metric][0] == "1"
    assert "Their place at an event still to come was given up." in texts(at)  # an upcoming event's seat
    assert "moved up" not in texts(at)  # nobody was waiting: nobody is said to have moved up
    assert "erin@example.org" not in texts(at) and "Erin" not in texts(at)
    assert all(r.email != "erin@example.org" for r in app_planner.registrations(event.id))
    assert app_planner.audit_log(action="erasure")


def test_erasing_an_address_nothing_is_kept_under_says_to_check_it(app_planner):
    at = _data_page(app_planner)
    at.text_input(key="erase_email_input").input("nobody-here@example.org")
    next(b for b in at.button if b.label == "Erase…").click()
    at.run()
    at.button(key="erase_yes").click().run()
    no_exception(at)
    assert "No registration, held place, message or speaker entry was found under that address" in texts(at)
    assert "given up" not in texts(at)


def test_saying_keep_it_erases_nothing(app_planner):
    event = next(e for e in app_planner.list_events() if e.status == "published" and e.ends_at > datetime.now(UTC))
    app_planner.register(event.id, name="Kept Person", email="kept@example.org")
    at = _data_page(app_planner)
    at.text_input(key="erase_email_input").input("kept@example.org")
    next(b for b in at.button if b.label == "Erase…").click()
    at.run()
    at.button(key="erase_keep").click().run()
    assert any(r.email == "kept@example.org" for r in app_planner.registrations(event.id))


def test_the_data_page_is_for_admins_only(app_planner):
    assert "data_care.py" in str(signed_in(app_planner, "admin").run()._registered_pages)
    assert "data_care.py" not in str(signed_in(app_planner, "organizer").run()._registered_pages)


def test_an_unused_venue_is_deleted_after_saying_yes(app_planner):
    venue = app_planner.add_venue(name="Empty Hall", timezone="UTC")
    at = signed_in(app_planner).run()
    at.switch_page("venues.py").run()
    at.button(key=f"delete_venue_{venue.id}").click().run()
    assert "Empty Hall" in texts(at)
    at.button(key=f"delete_venue_{venue.id}_yes").click().run()
    no_exception(at)
    assert "Empty Hall" not in [v.name for v in app_planner.list_venues()]
    assert "Deleted the venue" in texts(at)


def test_an_unused_summit_is_deleted_and_a_used_one_has_no_button(app_planner):
    summit = app_planner.add_summit(name="Nobody's Summit", timezone="UTC", starts_on=date(2030, 1, 1),
                                    ends_on=date(2030, 1, 2))
    at = signed_in(app_planner).run()
    at.switch_page("summits.py").run()
    used = app_planner.list_events()[0].summit_id
    chooser = next(s for s in at.selectbox if s.label == "Summit")
    chooser.set_value(used).run()
    assert not [b for b in at.button if b.key == f"delete_summit_{used}"]
    next(s for s in at.selectbox if s.label == "Summit").set_value(summit.id).run()
    at.button(key=f"delete_summit_{summit.id}").click().run()
    at.button(key=f"delete_summit_{summit.id}_yes").click().run()
    no_exception(at)
    assert summit.id not in [s.id for s in app_planner.list_summits()]


def test_a_draft_is_deleted_from_the_events_page_after_saying_yes(app_planner):
    start = datetime.now(UTC) + timedelta(days=40)
    draft = app_planner.create_event(title="Oops, a draft", starts_at=start, ends_at=start + timedelta(hours=1),
                                     timezone="UTC")
    at = signed_in(app_planner).run()
    at.switch_page("organize.py").run()
    at.session_state["o_event"] = draft.id  # as a click on its row does
    at.run()
    at.button(key=f"delete_event_{draft.id}").click().run()
    at.button(key=f"delete_event_{draft.id}_yes").click().run()
    no_exception(at)
    assert draft.id not in [e.id for e in app_planner.list_events()]


def test_the_backup_download_is_a_zip_of_the_database_and_its_key_made_in_a_private_folder(app_planner, monkeypatch):
    import io
    import sqlite3
    import tempfile
    import zipfile

    from planner.access import of_user
    from planner.ui.data_care import backup_zip

    made = []
    real = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: made.append(real(**kw)) or made[-1])
    admin = next(u for u in app_planner.list_users() if u.is_admin)
    archive = zipfile.ZipFile(io.BytesIO(backup_zip(app_planner, of_user(admin))))
    assert sorted(archive.namelist()) == ["checkin.key", "planner.db"]
    assert all((info.external_attr >> 16) & 0o777 == 0o600 for info in archive.infolist())
    assert archive.read("checkin.key") == (app_planner.path.parent / "checkin.key").read_bytes()
    assert made and not __import__("os").path.exists(made[0])  # the temporary folder is gone
    with tempfile.NamedTemporaryFile(suffix=".db") as f:
        f.write(archive.read("planner.db"))
        f.flush()
        assert sqlite3.connect(f.name).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
