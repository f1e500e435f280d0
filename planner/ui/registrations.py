"""Organizers follow an event's registrations: counts, the list, capacity, cancelling for someone,
and the way to writing to the guests and to the messages they were sent."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import PlannerError, StaleEdit, i18n
from planner.codes import CHECKIN_VERDICTS, REGISTRATION_STATUS_LABELS, REGISTRATION_STATUSES, label
from planner.i18n import _, format_number, ngettext
from planner.ui.components import language, questions_form, security_list
from planner.ui.components.link_copy_qr import link_with_copy, qr_image
from planner.ui.components.events import event_choice
from planner.ui.components.markdown import escape_md
from planner.ui.components.messages import flash, show_error, show_flash
from planner.ui.components.navigation import CHECKIN, EXPORTS, OUTBOX, WRITE_TO_GUESTS
from planner.ui.components.session import PAGE_SET, actor, planner
from planner.ui.components.times import clock_seconds, day_and_time
from planner.ui.components import organizer_style


def render() -> None:
    organizer_style.apply()
    p = planner()
    st.title(_("Registrations"))
    show_flash()
    events = [e for e in p.list_events(actor=actor()) if e.published_at is not None or e.status == "published"]
    if not events:
        st.info(
            _("No published events yet: registrations open when an event is published."), icon=":material/event_note:"
        )
        return
    by_id = {e.id: e for e in events}
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit() and int(wanted) in by_id and "r_event" not in st.session_state:
        st.session_state["r_event"] = int(wanted)
    event = by_id[st.selectbox(_("Event"), list(by_id), key="r_event",
                               persist_state=PAGE_SET, format_func=lambda i: event_choice(by_id[i]))]
    counts = p.event_counts(event.id)
    m = st.container(key="metrics_registrations").columns(4)
    m[0].metric(
        _("Confirmed"),
        f"{format_number(counts.confirmed)} / {format_number(counts.capacity)}" if counts.capacity else counts.confirmed,
    )
    m[1].metric(label(REGISTRATION_STATUS_LABELS, "waitlisted"), counts.waitlisted)
    m[2].metric(_("Places left"), _("No limit") if counts.seats_left is None else counts.seats_left)
    m[3].metric(_("Cancelled"), counts.cancelled)
    mail = st.columns(3)
    mail[0].page_link(WRITE_TO_GUESTS, label=_("Write to guests"), icon=":material/forward_to_inbox:",
                      query_params={"id": str(event.id)})
    mail[1].page_link(OUTBOX, label=_("Messages sent to guests (outbox)"), icon=":material/outbox:",
                      query_params={"id": str(event.id)})
    mail[2].page_link(EXPORTS, label=_("Export to a spreadsheet (CSV, XLSX)"), icon=":material/download:",
                      query_params={"id": str(event.id)})

    _capacity(p, event, counts)
    security_list.deadline_panel(p, event)  # issue #12
    _door(p, event)
    _table(p, event)


def _capacity(p, event, counts) -> None:
    with st.expander(_("Change the capacity"), icon=":material/groups:"):
        new = st.number_input(
            _("New capacity"), min_value=1, max_value=1_000_000, step=1, value=counts.capacity or 50, key=f"r_cap_{event.id}"
        )
        promoted = p.capacity_preview(event.id, int(new), actor=actor())
        if promoted:
            names = _(", ").join(escape_md(r.name) for r in promoted[:10]) + (" …" if len(promoted) > 10 else "")
            st.info(
                # Translators: **{count}** (bold) people move up; {names} lists them ("Ana, Luis, Diego").
                ngettext(
                    "Raising the capacity to {capacity} moves **{count}** person up from the waiting list at once: {names}",
                    "Raising the capacity to {capacity} moves **{count}** people up from the waiting list at once: {names}",
                    len(promoted),
                ).format(capacity=format_number(new), count=format_number(len(promoted)), names=names),
                icon=":material/trending_up:",
            )
        elif counts.capacity and new < counts.confirmed:
            st.warning(
                ngettext(
                    "{count} person is already confirmed: nobody loses their place, but new registrations go to "
                    "the waiting list until fewer than {capacity} are confirmed.",
                    "{count} people are already confirmed: nobody loses their place, but new registrations go to "
                    "the waiting list until fewer than {capacity} are confirmed.",
                    counts.confirmed,
                ).format(count=format_number(counts.confirmed), capacity=format_number(new)),
                icon=":material/info:",
            )
        if st.button(_("Apply the new capacity"), key=f"r_cap_apply_{event.id}", disabled=new == counts.capacity):
            try:
                p.update_event(event.id, version=event.version, capacity=int(new), actor=actor())
            except StaleEdit:
                st.error(_("Someone changed this event a moment ago. Look again, then apply."), icon=":material/error:")
            except PlannerError as err:
                show_error(err)
            else:
                if promoted:
                    done = ngettext(
                        "Capacity is now {capacity}; {count} moved up from the waiting list.",
                        "Capacity is now {capacity}; {count} moved up from the waiting list.",
                        len(promoted),
                    )
                else:
                    done = _("Capacity is now {capacity}.")
                flash(done.format(capacity=format_number(new), count=format_number(len(promoted))))
                st.rerun()


def _door(p, event) -> None:
    """Door passes for volunteers, the door list, and the scans so far."""
    with st.expander(_("Door check-in"), icon=":material/qr_code_scanner:"):
        a = p.attendance(event.id, actor=actor())
        walk_ins = ngettext("{count} walk-in", "{count} walk-ins", a.walk_ins).format(count=format_number(a.walk_ins))
        # Translators: **{checked_in}** (bold) people are inside, of {expected}; {walk_ins} is "2 walk-ins".
        inside = _("**{checked_in}** checked in of {expected} expected ({walk_ins})").format(
            checked_in=format_number(a.checked_in), expected=format_number(a.expected), walk_ins=walk_ins
        )
        if a.capacity:
            inside = _("{headcount} · capacity {capacity}").format(headcount=inside, capacity=format_number(a.capacity))
        st.markdown(inside)
        note = p.past_capacity_note(event.id, actor=actor())
        if note:
            st.warning(escape_md(note), icon=":material/group_add:")
        st.page_link(
            CHECKIN, label=_("Open the check-in page"), icon=":material/open_in_new:", query_params={"event": str(event.id)}
        )
        st.markdown(
            _(
                "**Door passes** — a link per door for volunteers without an account; it opens this event's "
                "check-in page and nothing else."
            )
        )
        passes = p.door_passes(event.id, actor=actor())
        just_made = st.session_state.get("r_new_pass")
        for dp in passes:
            left, right = st.columns([4, 1], vertical_alignment="top")
            if dp.active:
                left.markdown("**{}**".format(escape_md(dp.label)))
                # In the organizer's language, which the volunteer can change with the switcher.
                url = i18n.in_address(dp.url)
                with left:
                    link_with_copy(url, f"pass-{dp.id}")
                    # Translators: the text alternative of a door pass's QR code; {door} is the door's name.
                    alt = _("QR code of the door pass for {door}").format(door=dp.label)
                    if dp.id == just_made:
                        st.success(_("Door pass created. Scan the code with the volunteer's phone, or copy the link "
                                     "and send it to them."), icon=":material/check_circle:")
                        qr_image(url, alt)
                    else:
                        with st.popover(_("QR code"), icon=":material/qr_code_2:"):
                            qr_image(url, alt)
                if right.button(_("Revoke"), key=f"r_revoke_{dp.id}"):
                    p.revoke_door_pass(dp.id, actor=actor())
                    flash(
                        _("Revoked the pass “{door}”: it stops working at its next action.").format(door=escape_md(dp.label))
                    )
                    st.rerun()
            else:
                # Translators: ~~…~~ strikes the door's name through (Markdown); {when} is when it was revoked.
                left.caption(
                    _("~~{door}~~ (revoked {when})").format(door=escape_md(dp.label), when=day_and_time(dp.revoked_at))
                )
        with st.form(f"r_pass_{event.id}", border=False):
            door = st.text_input(_("Door"), placeholder=_("Main door"), key=f"r_pass_label_{event.id}")
            if st.form_submit_button(_("Create a door pass")):
                try:
                    made = p.create_door_pass(event.id, door or _("Main door"), actor=actor())
                except PlannerError as err:
                    show_error(err)
                else:
                    st.session_state["r_new_pass"] = made.id  # its QR code shows at once
                    del st.session_state[f"r_pass_label_{event.id}"]  # an empty field for the next door
                    st.rerun()
        st.download_button(
            _("Door list for printing (CSV)"), data=language.later(lambda: p.door_list_csv(event.id, actor=actor())),
            file_name=_("door-list-{id}").format(id=event.id) + ".csv",
            mime="text/csv", icon=":material/print:", key=f"r_door_list_{event.id}", on_click="ignore",
        )
        scans = p.scans(event.id, actor=actor())[:50]
        if scans:
            st.markdown("**{}**".format(_("Latest scans")))
            time, door, verdict = _("Time"), _("Door"), _("Verdict")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            time: clock_seconds(x.scanned_at.astimezone(event.zone)),
                            door: x.door,
                            verdict: label(CHECKIN_VERDICTS, x.verdict),
                        }
                        for x in scans
                    ]
                ),
                hide_index=True, width="stretch",
            )


def _table(p, event) -> None:
    st.subheader(_("Who registered"), anchor=False)
    registrations = p.registrations(event.id, actor=actor())
    if not registrations:
        st.info(_("Nobody has registered yet. Share the event page's link."), icon=":material/person_add:")
        return
    left, right = st.columns([1, 2])
    status = left.selectbox(
        _("Status"), ["", *REGISTRATION_STATUSES],
        format_func=lambda s: label(REGISTRATION_STATUS_LABELS, s) if s else _("All"), key=f"r_status_{event.id}",
    )
    query = right.text_input(_("Search name, email or organization"), key=f"r_query_{event.id}")
    filtered = bool(status or query.strip())
    shown = p.registrations(event.id, status=status or None, query=query, actor=actor()) if filtered else registrations
    st.caption(
        ngettext("{shown} of {count} registration", "{shown} of {count} registrations", len(registrations)).format(
            shown=format_number(len(shown)), count=format_number(len(registrations))
        )
    )
    problems = p.undelivered(event.id, actor=actor())
    if problems:
        st.warning(ngettext(
            "The mail server refused the last message to {n} guest: its reason is in the table, under "
            "“Email not delivered”. Check the address with them.",
            "The mail server refused the last message to {n} guests: the reasons are in the table, under "
            "“Email not delivered”. Check the addresses with them.", len(problems)).format(n=format_number(len(problems))),
            icon=":material/mail:")
    columns = [_("Name"), _("Email"), _("Organization"), _("Needs"), _("Status"), _("Registered"), _("Checked in"),
               _("Door")]
    if problems:
        columns.append(_("Email not delivered"))
    records = [
        dict(zip(columns, [r.name, r.email, r.organization, r.needs, _registration_status(r),
                           day_and_time(r.created_at.astimezone(event.zone)),
                           day_and_time(r.checked_in_at.astimezone(event.zone)) if r.checked_in_at else "",
                           r.checked_in_door or "", problems.get(r.id, "")]))
        | questions_form.cells(r)  # issue #12: privacy choices and a column per answer
        for r in shown
    ]
    columns += [c for c in dict.fromkeys(k for record in records for k in record) if c not in columns]
    st.dataframe(
        pd.DataFrame(records, columns=columns),
        hide_index=True,
        width="stretch",
    )
    active = {r.id: r for r in registrations if r.status != "cancelled"}
    if not active:
        return
    with st.expander(_("Cancel a registration on someone's behalf"), icon=":material/person_remove:"):
        chosen = st.selectbox(
            _("Registration"), list(active), key=f"r_cancel_pick_{event.id}",
            # Translators: a registration to choose: the person's name, email and status ("Waiting list").
            format_func=lambda i: _("{name} <{email}> ({status})").format(
                name=active[i].name, email=active[i].email, status=label(REGISTRATION_STATUS_LABELS, active[i].status)
            ),
        )
        sure = st.checkbox(_("Yes, cancel this person's registration"), key=f"r_cancel_sure_{event.id}")
        if st.button(_("Cancel registration"), disabled=not sure, key=f"r_cancel_{event.id}"):
            p.cancel_registration_for(chosen, actor=actor())
            flash(_("Cancelled {name}'s registration.").format(name=escape_md(active[chosen].name)))
            st.session_state.pop(f"r_cancel_sure_{event.id}", None)
            st.rerun()


def _registration_status(registration) -> str:
    """"Confirmed", "Walk-in" (registered at the door), or "Waiting list #2" with the place on the list."""
    if registration.walk_in and registration.status == "confirmed":
        return label(REGISTRATION_STATUS_LABELS, "walk_in")
    status = label(REGISTRATION_STATUS_LABELS, registration.status)
    if registration.position:
        # Translators: a status and a place on the waiting list: "Waiting list #2".
        return _("{status} #{position}").format(status=status, position=format_number(registration.position))
    return status


if __name__ == "__main__":
    render()
