"""The Planner's calendar files, web-calendar links and tickets (mixed into ``Planner``): what a
person takes away from the event page and their private page."""

from __future__ import annotations

from .. import access
from ..errors import ValidationError
from ..i18n import N_, current, using
from ..mail.render import private_url
from ..models import Event, Registration
from ..outputs import calendar, calendar_links
from ..outputs.qr import qr_png


class CalendarMethods:
    """Mixed into ``Planner``; see the module's docstring."""

    def _ics(self, events_: list[Event], name: str, personal=None) -> bytes:
        return calendar.calendar_bytes(events_, base_url=self.base_url, contact_email=self.contact_email, name=name,
                                       personal=personal)

    def event_ics(self, event_id: int) -> bytes:
        """One public event as an iCalendar file (METHOD:PUBLISH), its title and description in
        the active language when the organizers gave them (else the original)."""
        event = self.get_event(event_id, actor=access.PUBLIC).localized(current())
        return self._ics([event], event.title)

    def programme_ics(self, summit_id: int | None = None, organization: int | str | None = None) -> bytes:
        """Every public event (of one summit, if given; of one organization in any role, if given,
        by id, name or slug as ``programme_feed`` finds it), cancelled ones as CANCELLED, in the
        active language as ``event_ics``. ``NotFound`` for an unknown summit or organization."""
        feed = self.programme_feed(summit_id, organization)
        name = feed.summit.name if feed.summit else str(N_("Side events"))
        if feed.organization:
            # Translators: a subscribed calendar's name: the programme's ("Side events", a summit's)
            # and the organization it is narrowed to.
            name = str(N_("{calendar} · {organization}").format(calendar=name, organization=feed.organization.name))
        return self._ics(list(feed.events), name)

    def registration_ics(self, manage_token: str) -> bytes:
        """The attendee's own file: the event plus their join link, private page and a reminder an hour before,
        in the language of the registration (its text, the event's title and description in that language when
        the organizers gave them, and the ``?lang=`` of its links), as their messages are."""
        registration, event, personal = self._personal(manage_token)
        with using(registration.language):
            return self._ics([event], event.title, personal)

    def _personal(self, manage_token: str) -> tuple[Registration, Event, calendar.Personal]:
        registration = self.registration(manage_token)
        event = self.get_event(registration.event_id).localized(registration.language)
        return registration, event, calendar.Personal(private_url(self.base_url, manage_token, registration.language),
                                                      event.join_url_for(registration))

    def calendar_links(self, event_id: int) -> dict[str, str]:
        """"Add to Google Calendar" and "Add to Outlook.com" links of one public event (keys "google",
        "outlook"), with its public details; none for a cancelled event. ``NotFound`` if never public."""
        return calendar_links.links(self.get_event(event_id, actor=access.PUBLIC).localized(current()),
                                    base_url=self.base_url)

    def registration_calendar_links(self, manage_token: str) -> dict[str, str]:
        """The same links with the person's own details (join link, private page), as ``registration_ics``;
        none for a cancelled registration. ``NotFound`` for an unknown token."""
        registration, event, personal = self._personal(manage_token)
        if registration.status == "cancelled":
            return {}
        with using(registration.language):
            return calendar_links.links(event, base_url=self.base_url, personal=personal)

    def join_url(self, manage_token: str) -> str | None:
        """The online link for a confirmed registrant of an online or hybrid event not cancelled, else None."""
        registration = self.registration(manage_token)
        return self.get_event(registration.event_id).join_url_for(registration)

    def ticket_url(self, registration: Registration) -> str | None:
        """What the ticket's QR code encodes (None unless confirmed); showing it is ``Registration.has_ticket``."""
        return f"{self.base_url}/checkin?code={registration.checkin_code}" if registration.ticket_code else None

    def ticket_qr_png(self, manage_token: str) -> bytes:
        """The ticket's QR code as a PNG (``ValidationError`` unless confirmed)."""
        url = self.ticket_url(self.registration(manage_token))
        if url is None:
            raise ValidationError("no_ticket", field="status")
        return qr_png(url)
