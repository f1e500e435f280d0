"""Venues (buildings, with address and time zone) and their rooms."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from planner import i18n
from planner.i18n import _, format_number, ngettext
from planner.ui.components import security_list
from planner.ui.components.deleting import delete_button
from planner.ui.components.markdown import conflict_md, escape_md
from planner.ui.components.messages import add_then_clear, attempt, flash, refused, show_flash
from planner.ui.components.session import actor, planner
from planner.ui.components import organizer_style
from planner.validate import timezone_names


def render() -> None:
    organizer_style.apply()
    p = planner()
    st.title(_("Venues and rooms"))
    show_flash()
    venues = p.list_venues()
    rooms = p.list_rooms()
    zones = timezone_names()

    if not venues:
        st.info(_("No venues yet. Add the building first, then its rooms."), icon=":material/domain_add:")
    for venue in venues:
        with st.expander(f"{escape_md(venue.name)} · {venue.timezone}", icon=":material/domain:"):
            st.caption(escape_md(venue.address) if venue.address else _("No address yet"))
            own = [r for r in rooms if r.venue_id == venue.id]
            if own:
                room, capacity, accessibility = _("Room"), _("Capacity"), _("Accessibility")
                st.dataframe(
                    pd.DataFrame(
                        [{room: r.name, capacity: r.capacity, accessibility: r.accessibility} for r in own]
                    ),
                    hide_index=True,
                    width="stretch",
                )
            else:
                st.caption(_("No rooms yet."))
            with st.form(f"venue_{venue.id}"):
                name = st.text_input(_("Name"), venue.name)
                address = st.text_input(_("Address"), venue.address)
                own_zones = timezone_names(venue.timezone)  # an old zone name stays until changed
                zone = st.selectbox(_("Time zone"), own_zones, index=own_zones.index(venue.timezone),
                                    key=f"venue_zone_pick_{venue.id}")
                if st.form_submit_button(_("Save venue")):
                    st.session_state.pop(f"venue_zone_{venue.id}", None)  # this save's question, not an older one
                    changes = dict(name=name, address=address, timezone=zone)
                    held = p.venue_events_to_come(venue.id, actor=actor()) if zone != venue.timezone else []
                    if held:  # what do its events keep? asked below, before anything
                        st.session_state[f"venue_zone_{venue.id}"] = changes
                    else:
                        attempt(lambda: p.update_venue(venue.id, **changes, actor=actor()),
                                _("Saved {name}.").format(name=escape_md(name)))
            if st.session_state.get(f"venue_zone_{venue.id}"):
                _zone_choice(p, venue, st.session_state[f"venue_zone_{venue.id}"])
            with st.popover(_("Security list rule"), icon=":material/badge:"):  # issue #12
                security_list.rule_editor(p, "venue", venue.id)
            if not own:  # made by mistake, or no longer needed: nothing uses it
                delete_button(
                    f"delete_venue_{venue.id}", _("Delete venue"),
                    _("Delete the venue {name}? It has no rooms.").format(name=escape_md(venue.name)),
                    lambda: p.delete_venue(venue.id, actor=actor()),
                    _("Deleted the venue {name}.").format(name=escape_md(venue.name)),
                )

    left, right = st.columns(2)
    with left:
        st.subheader(_("Add a venue"), anchor=False)
        with st.form("add_venue"):
            st.text_input(
                _("Building name"), key="v_new_name",
                # Translators: an example building's name, shown greyed in the empty field.
                placeholder=_("Church Center for the United Nations"),
            )
            st.text_input(
                _("Address"), key="v_new_address",
                # Translators: an example address, shown greyed in the empty field.
                placeholder=_("777 UN Plaza, New York, NY 10017"),
            )
            st.selectbox(_("Time zone"), zones, index=zones.index("America/New_York"), key="v_new_zone")
            st.form_submit_button(_("Add venue"), type="primary", on_click=_add_venue, args=(p,))
        refused("v_new")
    with right:
        st.subheader(_("Add or change a room"), anchor=False)
        if not venues:
            st.caption(_("Add a venue first."))
            return
        by_id = {v.id: v for v in venues}
        with st.form("add_room"):
            st.selectbox(_("Venue"), list(by_id), format_func=lambda i: by_id[i].name, key="r_new_venue")
            st.text_input(
                _("Room name"), key="r_new_name",
                # Translators: an example room's name, shown greyed in the empty field.
                placeholder=_("Boss Room, 8th floor"),
            )
            st.number_input(_("Capacity"), min_value=1, max_value=100_000, value=50, step=1, key="r_new_capacity")
            st.text_area(
                _("Accessibility notes"), key="r_new_access",
                # Translators: an example of a room's accessibility notes, shown greyed in the empty field.
                placeholder=_("Step-free entrance on 44th Street; lift to 8th floor"),
            )
            st.form_submit_button(_("Add room"), type="primary", on_click=_add_room, args=(p,))
        refused("r_new")
        if rooms:
            room_by_id = {r.id: r for r in rooms}
            room_id = st.selectbox(_("Room to change"), list(room_by_id), format_func=lambda i: room_by_id[i].label)
            room = room_by_id[room_id]
            using = p.room_capacity_events(room.id, actor=actor())
            with st.form(f"room_{room.id}"):
                name = st.text_input(_("Room name"), room.name)
                capacity = st.number_input(_("Capacity"), min_value=1, max_value=100_000, value=room.capacity, step=1,
                                           key=f"room_cap_pick_{room.id}")
                access = st.text_area(_("Accessibility notes"), room.accessibility)
                if using:
                    st.caption(_("Events to come that use this room's capacity: {events}").format(
                        events=_(", ").join(i18n.typed(escape_md(e.title)) for e, _count in using)))
                if st.form_submit_button(_("Save room")):
                    st.session_state.pop(f"room_capacity_{room.id}", None)  # this save's question, not an older one
                    changes = dict(name=name, capacity=int(capacity), accessibility=access)
                    if [e for e, counts in using if counts.confirmed > int(capacity)]:  # asked below first
                        st.session_state[f"room_capacity_{room.id}"] = changes
                    else:
                        attempt(lambda: p.update_room(room.id, **changes, actor=actor()),
                                _("Saved {name}.").format(name=escape_md(name)))
            if st.session_state.get(f"room_capacity_{room.id}"):
                _capacity_choice(p, room, using, st.session_state[f"room_capacity_{room.id}"])
            with st.popover(_("Security list rule of this room"), icon=":material/badge:"):  # issue #12
                security_list.rule_editor(p, "room", room.id)
            if room.id not in {e.room_id for e in p.list_events(actor=actor())}:
                delete_button(
                    f"delete_room_{room.id}", _("Delete room"),
                    _("Delete the room {name}? No event uses it.").format(name=escape_md(room.label)),
                    lambda: p.delete_room(room.id, actor=actor()),
                    _("Deleted the room {name}.").format(name=escape_md(room.label)),
                )


def _zone_choice(p, venue, changes: dict) -> None:
    """A new time zone for a venue with events: keep their local times (a zone entered wrongly)
    or the moments they happen; their guests are told either way. Nothing changes before a choice."""
    key = f"venue_zone_{venue.id}"
    change = p.venue_zone_change(venue.id, changes["timezone"], actor=actor())
    held = [t.event for t in change.events]
    if not held:  # they ended or moved since the question was asked: nothing left to ask, save as asked
        _save_zone(p, venue, changes, False)
        return
    new = ZoneInfo(changes["timezone"])
    guests = sum(t.counts.confirmed + t.counts.waitlisted for t in change.events  # those who will be told
                 if t.event.status == "published")
    st.warning(
        ngettext(
            "The time zone changes from {old} to {new}, and {count} event is held here. What should it keep?",
            "The time zone changes from {old} to {new}, and {count} events are held here. What should they keep?",
            len(held),
        ).format(old=i18n.zone_name(venue.timezone), new=i18n.zone_name(new), count=format_number(len(held))),
        icon=":material/schedule:",
    )
    first, kept = change.events[0].event, change.events[0].moved
    local = kept.local_start, kept.local_end  # a skipped hour as it would be saved
    moment = first.starts_at.astimezone(new), first.ends_at.astimezone(new)
    shown = i18n.time_range(first.local_start, first.local_end, first.timezone)
    lines = [f"- {i18n.typed(escape_md(e.title))} · {i18n.long_date(e.local_start)}, "
             f"{i18n.time_range(e.local_start, e.local_end, e.timezone)}" for e in held[:8]]
    if len(held) > 8:
        lines.append("- " + _("and {count} more").format(count=format_number(len(held) - 8)))
    st.markdown("\n".join(lines))
    if guests:
        st.caption(ngettext(
            "The guest of the published events gets an email saying what changed.",
            "The {count} guests of the published events get an email saying what changed.", guests,
        ).format(count=format_number(guests)))
    notes = _keeping_local_notes(change)
    if notes:  # what "Keep their local times" would do that is worth knowing before choosing it
        st.warning("\n".join([_("If they keep their local times:"), *(f"- {n}" for n in notes)]),
                   icon=":material/warning:")
    keep_local, keep_moment, cancel = st.columns(3)
    with keep_local:
        if st.button(_("Keep their local times"), key=f"{key}_local", type="primary", width="stretch"):
            _save_zone(p, venue, changes, True)
        # Translators: under "Keep their local times": the first event's times now → after.
        st.caption(_("{now} → {after}: the zone was entered wrongly.").format(
            now=shown, after=i18n.time_range(*local, new)))
    with keep_moment:
        if st.button(_("Keep the moments they happen"), key=f"{key}_moment", width="stretch"):
            _save_zone(p, venue, changes, False)
        # Translators: under "Keep the moments they happen": the first event's times now → after.
        st.caption(_("{now} → {after}: the same moment, on the new zone's clock.").format(
            now=shown, after=i18n.time_range(*moment, new)))
    with cancel:
        if st.button(_("Don't change the zone"), key=f"{key}_keep", width="stretch"):
            st.session_state.pop(key, None)
            st.session_state.pop(f"venue_zone_pick_{venue.id}", None)  # the picker shows the venue's zone again
            st.rerun()


def _keeping_local_notes(change) -> list[str]:
    """Sentences (Markdown) on what keeping their local times in the new zone would do: a time
    the new zone's clocks skip or show twice that day, and each clash it would make."""
    zone = i18n.zone_name(change.timezone)
    notes = []
    for t in change.events:
        title = i18n.typed(escape_md(t.event.title))
        for which in t.skipped:
            was, now = (t.event.local_start, t.moved.local_start) if which == "start" else (t.event.local_end, t.moved.local_end)
            sentence = (_("“{title}” starts at {time} on {date}, an hour {zone} skips (the clocks go forward): it would "
                          "start at {moved}.") if which == "start" else
                        _("“{title}” ends at {time} on {date}, an hour {zone} skips (the clocks go forward): it would "
                          "end at {moved}."))
            notes.append(sentence.format(title=title, time=i18n.format_time(was), date=i18n.long_date(was), zone=zone,
                                         moved=i18n.format_time(now)))
        for which in t.twice:
            was = t.event.local_start if which == "start" else t.event.local_end
            sentence = (_("“{title}” starts at {time} on {date}, an hour {zone} has twice (the clocks go back): it "
                          "would start at the first {time}.") if which == "start" else
                        _("“{title}” ends at {time} on {date}, an hour {zone} has twice (the clocks go back): it "
                          "would end at the first {time}."))
            notes.append(sentence.format(title=title, time=i18n.format_time(was), date=i18n.long_date(was), zone=zone))
    return notes + [conflict_md(c) for c in change.clashes]


def _save_zone(p, venue, changes: dict, keep_local_times: bool) -> None:
    st.session_state.pop(f"venue_zone_{venue.id}", None)
    attempt(lambda: p.update_venue(venue.id, **changes, keep_local_times=keep_local_times, actor=actor()),
            _("Saved {name}.").format(name=escape_md(changes["name"])))


def _capacity_choice(p, room, using, changes: dict) -> None:
    """A smaller room than the guests already confirmed at its events: said, with a choice,
    before anything is saved. Nobody loses a place; those events take newcomers onto the waiting list."""
    key = f"room_capacity_{room.id}"
    over = [(e, counts.confirmed) for e, counts in using if counts.confirmed > changes["capacity"]]
    st.warning(ngettext(
        "{count} place is fewer than some events in this room already have confirmed:",
        "{count} places are fewer than some events in this room already have confirmed:", changes["capacity"],
    ).format(count=format_number(changes["capacity"])), icon=":material/group:")
    st.markdown("\n".join(
        "- " + _("{title}: {confirmed} confirmed").format(title=i18n.typed(escape_md(e.title)),
                                                       confirmed=format_number(confirmed)) for e, confirmed in over))
    st.caption(_("Nobody loses their place: those events are full until enough guests cancel, and new "
                 "registrations go to the waiting list. Their public pages show the new number of places."))
    save, keep = st.columns(2)
    if save.button(_("Save the smaller capacity"), key=f"{key}_save", type="primary", width="stretch"):
        st.session_state.pop(key, None)
        attempt(lambda: p.update_room(room.id, **changes, actor=actor()),
                _("Saved {name}.").format(name=escape_md(changes["name"])))
    if keep.button(_("Keep the capacity"), key=f"{key}_keep", width="stretch"):
        st.session_state.pop(key, None)
        st.session_state.pop(f"room_cap_pick_{room.id}", None)  # the field shows the room's capacity again
        st.rerun()


def _add_venue(p) -> None:
    """Form callback: add the venue; the form empties only when it was added (no second copy by
    a second press), and keeps what was typed when refused."""
    s = st.session_state
    added = add_then_clear(
        lambda: p.add_venue(name=s["v_new_name"], address=s["v_new_address"], timezone=s["v_new_zone"], actor=actor()),
        "v_new", {"v_new_name": "", "v_new_address": ""},
    )
    if added:
        flash(_("Added the venue {name}.").format(name=escape_md(added.name)))


def _add_room(p) -> None:
    s = st.session_state
    added = add_then_clear(
        lambda: p.add_room(venue_id=s["r_new_venue"], name=s["r_new_name"], capacity=int(s["r_new_capacity"]),
                           accessibility=s["r_new_access"], actor=actor()),
        "r_new", {"r_new_name": "", "r_new_capacity": 50, "r_new_access": ""},
    )
    if added:
        flash(_("Added the room {name}.").format(name=escape_md(added.label)))


if __name__ == "__main__":
    render()
