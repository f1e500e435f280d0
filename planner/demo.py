"""Demo data: the Global Coalition on Migration's side events, from its activity page.

``seed_demo(planner)`` fills an empty database with real events the coalition held or took
part in, so that a new install shows what a programme looks like:

* around the 69th Session of the UN General Assembly in New York: OHCHR's launch of the
  "Recommended Principles and Guidelines on Human Rights at International Borders" at UN
  Headquarters, and GCM's own celebration and civil society dialogue at the Church Center;
* around COP20 in Lima: the Rights of Nature Tribunal, the WeCan workshop and the Climate
  Space discussions of the People's Summit on Climate Change;
* online: the MICIC webinar for civil society (GCM and MADE);
* one clearly-labelled draft, to show organizers what a draft looks like.

Titles, speakers, affiliations, roles and organizations come from the page. Where the page is
silent (rooms in Lima and at UN Headquarters, most times of day, the webinar's date) the
choice is marked in a comment below.

The original dates are moved to their next occurrence, so the demo is always upcoming: each
group of events (one summit's, or a lone event) keeps its month and day, and takes the first
year in which all of its days are on or after ``today``. Times of day and time zones are kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .models import Room, Summit, Venue
from .planner import Planner
from .text import match_key

# One seeding at a time in this process, so two sessions opening an empty database at once
# do not both seed it. The Planner has no cross-call transaction, so a second process is kept
# out by the database's set-up lock, which config.open_planner holds around seed_demo.
_SEED_LOCK = threading.Lock()

NEW_YORK = "America/New_York"
LIMA = "America/Lima"

OHCHR = "Office of the High Commissioner for Human Rights (OHCHR)"
GCM = "Global Coalition on Migration (GCM)"
MADE = "Migration and Development Civil Society Network (MADE)"
WECAN = "Women's Earth & Climate Action Network (WECAN)"
CLIMATE_SPACE = "Climate Space"

# The co-sponsors of GCM's borders dialogue, in the page's order and spelling.
BORDERS_CO_SPONSORS = (
    "American Civil Liberties Union (ACLU)",
    "American Friends Service Committee (AFSC)",
    "Black Alliance for Just Immigration (BAJI)",
    "Centro de Estudios Legales y Sociales (CELS)",
    "Colectivo PND-Migración",
    "DRUM South Asian Organizing Center",
    "Families for Freedom",
    "Migrants Rights International (MRI)",
    "National Alliance for Latin American & Caribbean Communities (NALACC)",
    "National Network for Immigrant & Refugee Rights (NNIRR)",
    "NGO Committee on Migration",
    "Platform for International Cooperation on Undocumented Migrants (PICUM)",
    "United Methodist Women (UMW)",
)

GUIDELINES = "Recommended Principles and Guidelines on Human Rights at International Borders"


# ---------------------------------------------------------------------- the data


@dataclass(frozen=True)
class _Place:
    venue: str
    address: str
    timezone: str
    room: str
    capacity: int


@dataclass(frozen=True)
class _DemoEvent:
    key: str
    title: str
    group: str  # events of one group move to the same year (a summit's, or a lone event)
    month: int
    day: int
    start: time
    end: time
    description: str
    place: _Place | None = None
    timezone: str | None = None  # only for events without a room
    online_url: str | None = None
    format: str | None = None
    speakers: tuple[dict, ...] = ()
    organizations: tuple[dict, ...] = ()
    publish: bool = True


_BOSS_ROOM = _Place(
    venue="Church Center for the United Nations",
    address="777 UN Plaza, New York, NY 10017",
    timezone=NEW_YORK,
    room="Boss Room, 8th floor",
    # The page gives no capacity; 60 is a guess for a meeting room.
    capacity=60,
)

_UN_HQ = _Place(
    venue="United Nations Headquarters",
    address="405 East 42nd Street, New York, NY 10017",
    timezone=NEW_YORK,
    # Not on the page: it names no conference room for OHCHR's launch. A plausible one.
    room="Conference Room 6",
    capacity=150,
)

# Not on the page: it names neither the People's Summit's grounds nor any room. The venue is a
# plausible park in central Lima and the rooms are made up for the demo.
_LIMA_VENUE = "People's Summit grounds, Parque de la Exposición"
_LIMA_ADDRESS = "Av. 28 de Julio, Cercado de Lima, Lima, Peru"
_TRIBUNAL_HALL = _Place(_LIMA_VENUE, _LIMA_ADDRESS, LIMA, "Tribunal hall", 300)
_WORKSHOP_TENT = _Place(_LIMA_VENUE, _LIMA_ADDRESS, LIMA, "Workshop tent 3", 80)
_CLIMATE_SPACE_TENT = _Place(_LIMA_VENUE, _LIMA_ADDRESS, LIMA, "Climate Space tent", 120)


def _speaker(name: str, affiliation: str, role: str = "speaker") -> dict:
    # The page gives no email addresses; none are made up.
    return {"name": name, "affiliation": affiliation, "email": None, "role": role}


def _org(name: str, role: str) -> dict:
    return {"name": name, "role": role}


_NY = "un-general-assembly"
_COP = "cop20-peoples-summit"

DEMO_EVENTS: tuple[_DemoEvent, ...] = (
    _DemoEvent(
        key="ohchr-launch",
        title=f"OHCHR launch of the “{GUIDELINES}”",
        group=_NY,
        month=10,
        day=23,
        # Not on the page: it gives the day (October 23) but no time. 1:15–2:45 pm is the
        # usual lunchtime slot for side events at UN Headquarters.
        start=time(13, 15),
        end=time(14, 45),
        place=_UN_HQ,
        description=f"""\
The Office of the High Commissioner for Human Rights (OHCHR) launches the **“{GUIDELINES}”** \
at UN Headquarters in New York, one of its two public launch side events (the other is in \
Brussels). The document is released as a conference document of the 69th Session of the UN \
General Assembly.

The Guidelines set out recommendations for human rights-based border governance, including \
human rights training for border officials, accountability of private actors contracted to \
manage borders, and procedures for reporting human rights violations at borders, with access \
to justice.

The panel reflects on the crisis at international borders, including the deaths of migrants \
at sea. Catherine Tactaquin (NNIRR) speaks for the Global Coalition on Migration (GCM) on the \
human rights concerns of migrant communities in the world's major migration corridors.

Chaired by the Representative of the Permanent Mission of Argentina.""",
        speakers=(
            # The page names the chair only by office.
            _speaker(
                "Representative of the Permanent Mission of Argentina",
                "Permanent Mission of Argentina to the United Nations",
                "chair",
            ),
            _speaker("Ivan Šimonović", "Assistant Secretary-General for Human Rights"),
            _speaker(
                "H.E. Thomas Mayr-Harting",
                "Ambassador, Head of the Delegation of the European Union to the United Nations",
            ),
            _speaker("Francisco Carrión-Mena", "Chairperson, Committee on Migrant Workers"),
            _speaker("Udo Janz", "Director, UNHCR Office in New York"),
            _speaker("Michele Klein Solomon", "Permanent Observer of IOM to the United Nations"),
            _speaker(
                "Catherine Tactaquin",
                "Executive Director, National Network for Immigrant and Refugee Rights (NNIRR)",
            ),
        ),
        organizations=(_org(OHCHR, "host"),),
    ),
    _DemoEvent(
        key="gcm-borders-dialogue",
        title=f"GCM celebration and civil society dialogue on the “{GUIDELINES}”",
        group=_NY,
        month=10,
        day=23,
        start=time(17, 0),  # "On October 23rd, from 5pm to 7pm"
        end=time(19, 0),
        place=_BOSS_ROOM,
        description=f"""\
Following OHCHR's launch at the UN, the Global Coalition on Migration (GCM) hosts a \
celebration and interactive civil society dialogue on the **“{GUIDELINES}”**, and on the \
document's potential for enhancing human rights protections at international borders. The \
event is endorsed by the Office of the High Commissioner for Human Rights (OHCHR).

GCM members took part in drafting the Guidelines, a process led by OHCHR. The document does \
not set out new rights, but it gives migrant communities and civil society an advocacy tool: \
borders are not “zones of exception”, and no appeal to national security excuses disregard \
for the human rights of those crossing them.

**Speakers**

- Leonardo Castilho (OHCHR) places the document in context and presents its core elements.
- Jamil Dakwar (ACLU), who took part in the drafting, on the negotiating and drafting process.
- Diego Morales (CELS/GCM), in a video message, on his organization's role in formulating \
the Guidelines.
- Yanira Chacón-López (NALACC/GCM) on what the Guidelines mean for grassroots advocates and \
migrant communities.

Church Center for the United Nations, 777 UN Plaza, Boss Room, 8th floor.

All are welcome to join!""",
        # The page names no chair or moderator for this dialogue.
        speakers=(
            _speaker("Leonardo Castilho", "OHCHR"),
            _speaker("Jamil Dakwar", "ACLU"),
            _speaker("Diego Morales", "CELS/GCM", "video message"),
            _speaker("Yanira Chacón-López", "NALACC/GCM"),
        ),
        organizations=(
            _org(GCM, "host"),
            _org(OHCHR, "endorser"),
            *(_org(name, "co-sponsor") for name in BORDERS_CO_SPONSORS),
        ),
    ),
    _DemoEvent(
        key="draft-planning-meeting",
        title="Draft example: GCM delegation planning meeting",
        group=_NY,
        month=10,
        day=23,
        # Not on the page: made up (date, time and room) to show a draft.
        start=time(10, 0),
        end=time(11, 30),
        place=_BOSS_ROOM,
        description="""\
**This is an example draft.** It is not on the coalition's activity page: the demo adds it to \
show what a draft looks like. A draft stays off the public programme until an organizer \
publishes it.

The GCM delegation meets to prepare for OHCHR's launch side event and for the evening's \
celebration and civil society dialogue.""",
        organizations=(_org(GCM, "host"),),
        publish=False,
    ),
    _DemoEvent(
        key="rights-of-nature-tribunal",
        title="Rights of Nature Tribunal",
        group=_COP,
        month=12,
        day=6,
        # Not on the page: it gives December 6–8 but no times; a morning session is chosen.
        start=time(9, 30),
        end=time(13, 0),
        place=_TRIBUNAL_HALL,
        description="""\
A parallel event to COP20. A panel of 13 “judges” hears testimonies from experts and from \
witnesses from grassroots communities affected by climate change.

Cases address the impacts of climate change, extractive industries and deforestation, and \
include critiques of “techno-solutions” such as Climate Smart Agriculture and geo-engineering. \
A number of testimonies are accounts of displacement.

The Global Coalition on Migration (GCM) takes part as a member of the Climate Space.""",
        # The page names no organizer for the Tribunal (GCM and the Climate Space took part
        # in it), so no organization is attached.
    ),
    _DemoEvent(
        key="wecan-workshop",
        title="WeCan Workshop (Women's Earth & Climate Action Network)",
        group=_COP,
        month=12,
        day=7,
        # Not on the page: time of day chosen.
        start=time(10, 0),
        end=time(12, 30),
        place=_WORKSHOP_TENT,
        description="""\
A workshop of the Women's Earth & Climate Action Network (WECAN) that raises the voices of \
women, particularly Indigenous women, who are often excluded from the COP negotiations.

Participants share women's leadership in struggles for climate justice, linking them to the \
wider struggles against colonial oppression and violence, and the importance of solidarity \
with all affected communities.""",
        organizations=(_org(WECAN, "host"),),
    ),
    _DemoEvent(
        key="climate-space-discussions",
        title="Climate Space discussions: migrants' rights and climate justice on the road to COP21",
        group=_COP,
        month=12,
        day=8,
        # Not on the page: time of day chosen.
        start=time(15, 0),
        end=time(18, 0),
        place=_CLIMATE_SPACE_TENT,
        # Not on the page: a placeholder livestream address, to show a hybrid event.
        online_url="https://livestream.example.org/climate-space-lima",
        format="hybrid",
        description="""\
The Climate Space, a loose configuration of grassroots organizations that has engaged in \
advocacy around the COPs for many years, discusses next steps in the lead-up to COP21 in \
Paris. Participation outside the COP is the priority: building advocacy and international \
solidarity, and gaining clarity on root causes and false solutions.

The Global Coalition on Migration (GCM) brings a human rights-based analysis of the \
intersections between migrants' rights and climate justice, beyond the “climate refugee” \
concept.

Join in person or follow the livestream.""",
        # GCM took part "as part of the Climate Space"; the Planner has no "participant"
        # role, so it is listed as a co-sponsor.
        organizations=(_org(CLIMATE_SPACE, "host"), _org(GCM, "co-sponsor")),
    ),
    _DemoEvent(
        key="micic-webinar",
        title="MICIC webinar for civil society",
        group="micic-webinar",
        # Not on the page: it announces the webinar without a date or time. Chosen.
        month=11,
        day=18,
        start=time(15, 0),
        end=time(16, 30),
        # Not on the page: a zone chosen for a global audience (mid-afternoon in Europe is
        # morning in the Americas and evening in Asia).
        timezone="Europe/Brussels",
        # Not on the page: a placeholder web-meeting address.
        online_url="https://webinar.example.org/micic-civil-society",
        format="online",
        description="""\
A webinar for civil society on the MICIC (Migrants in Countries in Crisis) Initiative, part \
of the year-long campaign of the Global Coalition on Migration (GCM) and the Migration and \
Development Civil Society Network (MADE).

GCM and MADE co-organize independent, parallel civil society regional consultations alongside \
each of the government regional consultations. This webinar brings GCM's members and other \
civil society partners around the world into the campaign.""",
        organizations=(_org(GCM, "host"), _org(MADE, "host")),
    ),
)


@dataclass(frozen=True)
class _DemoSummit:
    group: str
    name: str
    city: str
    timezone: str
    first: tuple[int, int]  # (month, day)
    last: tuple[int, int]


DEMO_SUMMITS: tuple[_DemoSummit, ...] = (
    # The page: the Guidelines were "released as a conference document during the 69th
    # Session of the UN General Assembly" on October 22; the side events were on October 23.
    _DemoSummit(_NY, "69th Session of the UN General Assembly", "New York", NEW_YORK, (10, 22), (10, 23)),
    _DemoSummit(_COP, "COP20 — People's Summit on Climate Change", "Lima", LIMA, (12, 6), (12, 8)),
)


# ---------------------------------------------------------------------- dates


def next_year(days: list[tuple[int, int]], today: date) -> int:
    """The first year, from ``today``'s on, in which every (month, day) is on or after today."""
    for year in range(today.year, today.year + 9):  # 8 years always contain a 29 February
        try:
            if all(date(year, month, day) >= today for month, day in days):
                return year
        except ValueError:  # 29 February in a common year
            continue
    raise ValueError(f"No year after {today} has all of {days}.")


def _group_years(today: date) -> dict[str, int]:
    groups: dict[str, list[tuple[int, int]]] = {}
    for e in DEMO_EVENTS:
        groups.setdefault(e.group, []).append((e.month, e.day))
    return {group: next_year(days, today) for group, days in groups.items()}


# ---------------------------------------------------------------------- seeding


def seed_demo(planner: Planner, today: date | None = None) -> bool:
    """Fill an empty database with the demo programme; True if it did.

    Does nothing and returns False when the database already holds an event (of any status).
    Dates are moved to their next occurrence on or after ``today`` (default: today).
    """
    if today is None:
        today = date.today()
    elif isinstance(today, datetime):
        today = today.date()
    with _SEED_LOCK:
        if planner.list_events():
            return False
        years = _group_years(today)

        summits: dict[str, Summit] = {}
        for s in DEMO_SUMMITS:
            year = years[s.group]
            summits[s.group] = _summit(
                planner,
                name=s.name,
                city=s.city,
                timezone=s.timezone,
                starts_on=date(year, *s.first),
                ends_on=date(year, *s.last),
            )

        created = []
        for spec in DEMO_EVENTS:
            room = _room(planner, spec.place) if spec.place else None
            zone = ZoneInfo(spec.place.timezone if spec.place else spec.timezone)
            day = date(years[spec.group], spec.month, spec.day)
            summit = summits.get(spec.group)
            event = planner.create_event(
                title=spec.title,
                # Wall-clock times in the venue's zone; zoneinfo works out the UTC offset.
                starts_at=datetime.combine(day, spec.start, tzinfo=zone),
                ends_at=datetime.combine(day, spec.end, tzinfo=zone),
                summit_id=summit.id if summit else None,
                room_id=room.id if room else None,
                online_url=spec.online_url,
                format=spec.format,
                description=spec.description,
                speakers=[dict(s) for s in spec.speakers],
                organizations=[dict(o) for o in spec.organizations],
                timezone=None if room else spec.timezone, allow_past=True,
            )
            created.append((spec, event))

        for spec, event in created:
            if spec.publish:
                planner.publish_event(event.id, allow_past=True)
        # Each call above is its own transaction: should one fail half-way, what was written
        # stays (the Planner has no multi-call transaction and no way to delete an event).
        return True


def _summit(planner: Planner, *, name, city, timezone, starts_on: date, ends_on: date) -> Summit:
    """The summit of that name and zone if one already covers these days, else a new one."""
    for s in planner.list_summits():  # one summit per name (issue #16): the existing one, whatever its days
        if match_key(s.name) == match_key(name):
            return s
    return planner.add_summit(name=name, city=city, timezone=timezone, starts_on=starts_on, ends_on=ends_on)


def _venue(planner: Planner, place: _Place) -> Venue:
    for v in planner.list_venues():
        if match_key(v.name) == match_key(place.venue):  # one venue per name (issue #16)
            return v
    return planner.add_venue(name=place.venue, address=place.address, timezone=place.timezone)


def _room(planner: Planner, place: _Place) -> Room:
    venue = _venue(planner, place)
    for r in planner.list_rooms(venue.id):
        if match_key(r.name) == match_key(place.room):
            return r
    return planner.add_room(venue_id=venue.id, name=place.room, capacity=place.capacity)
