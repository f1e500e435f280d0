"""Dates, zones, numbers, links and matching in the six languages (issue #13).

Babel's CLDR data holds every language whether or not our catalogue for it exists yet; the
fixture ``all_six`` makes the six available as if their catalogues had landed (the text stays
English until they do), so these tests read the formats now and keep passing afterwards.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from planner import i18n
from planner.text import match_key, sort_key

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2027, 9, 23, 17, 0, tzinfo=NEW_YORK)
END = datetime(2027, 9, 23, 19, 0, tzinfo=NEW_YORK)


@pytest.fixture
def all_six(monkeypatch):
    monkeypatch.setattr(i18n, "available", lambda: list(i18n.NAMES))


def test_spanish_dates_times_and_zone_read_as_spanish(all_six):
    with i18n.using("es"):
        assert i18n.long_date(START) == "jueves, 23 de septiembre de 2027"
        assert i18n.zone_name("America/New_York") == "hora de Nueva York"
        assert i18n.format_when(START, END) == "jueves, 23 de septiembre de 2027, 17:00–19:00 (hora de Nueva York)"


def test_french_dates_read_as_french(all_six):
    with i18n.using("fr"):
        assert i18n.long_date(START) == "jeudi 23 septembre 2027"
        assert i18n.format_time(START) == "17:00"
        assert i18n.zone_name(NEW_YORK) == "heure : New York"
        assert i18n.format_number(1234.5) == "1\u202f234,5"


def test_english_keeps_the_house_date_and_names_the_zone():
    assert i18n.long_date(START) == "Thursday 23 September 2027"
    assert i18n.zone_name(START) == "New York time"
    assert i18n.zone_name("UTC") == "UTC"
    assert i18n.format_when(START, END) == "Thursday 23 September 2027, 17:00–19:00 (New York time)"


@pytest.mark.parametrize("code, city", [("ar", "نيويورك"), ("zh", "纽约"), ("ru", "Нью-Йорк")])
def test_zone_names_in_other_scripts_name_the_city(all_six, code, city):
    with i18n.using(code):
        name = i18n.zone_name("America/New_York")
        assert city in name and "America" not in name and "летнее" not in name
        assert i18n.long_date(START)  # CLDR's full date, whatever the digits the locale uses
        assert i18n.format_number(1000)


def test_the_ui_date_helpers_use_the_active_language(all_six):
    from planner.ui.components import times

    with i18n.using("es"):
        assert times.long_date(START) == "jueves, 23 de septiembre de 2027"
        assert times.zone_name("America/New_York") == "hora de Nueva York"
    with i18n.using("fr"):
        assert times.long_date(START.date()) == "jeudi 23 septembre 2027"


def test_plurals_follow_the_language(all_six):
    with i18n.using("ar"):  # Arabic has six plural forms; without its catalogue the English ones stand in
        assert i18n.ngettext("{n} place", "{n} places", 1) == "{n} place"


def test_arabic_is_right_to_left_only_once_its_catalogue_exists(all_six, monkeypatch):
    with i18n.using("ar"):
        assert i18n.is_rtl() and i18n.direction() == "rtl"
        assert i18n.ltr("ABCD-EFGH") == "\u2066ABCD-EFGH\u2069"
    with i18n.using("fr"):
        assert not i18n.is_rtl() and i18n.ltr("ABCD") == "ABCD"
    monkeypatch.setattr(i18n, "available", lambda: ["en"])
    with i18n.using("ar"):  # no Arabic catalogue: English text, never turned around
        assert i18n.current() == "en" and not i18n.is_rtl()


def test_links_carry_the_language_but_english_adds_nothing(all_six):
    assert i18n.in_address("https://x.org/ticket?t=abc", "en") == "https://x.org/ticket?t=abc"
    assert i18n.in_address("https://x.org/ticket?t=abc", "ar") == "https://x.org/ticket?t=abc&lang=ar"
    assert i18n.in_address("/event?id=3&lang=fr", "es") == "/event?id=3&lang=es"
    with i18n.using("zh"):
        assert i18n.in_address("/checkin") == "/checkin?lang=zh"


@pytest.mark.parametrize("typed, stored", [
    ("Émile Durand", "emile durand"),
    ("مُحَمَّد", "محمد"),  # tashkeel
    ("أحمد", "احمد"),  # hamza on alef
    ("عـــلي", "علي"),  # tatweel
    ("مصطفى", "مصطفي"),  # alef maksura and yeh
    ("Пётр Ёлкин", "петр елкин"),  # ё and е
    ("北京 大学", "北京 大学"),
    ("ＵＮ　Ｗｏｍｅｎ", "un women"),  # full-width forms
])
def test_matching_is_blind_to_case_and_accents_in_every_script(typed, stored):
    assert match_key(typed) == match_key(stored)


def test_sorting_for_people_ignores_case_and_accents_in_every_script():
    assert sorted(["émile", "Zoé", "Eva", "ana"], key=sort_key) == ["ana", "émile", "Eva", "Zoé"]
    assert sorted(["Яна", "Ёлкин", "Ежов", "Абрамов"], key=sort_key) == ["Абрамов", "Ежов", "Ёлкин", "Яна"]
    assert sorted(["يوسف", "أحمد", "مُحَمَّد"], key=sort_key) == ["أحمد", "مُحَمَّد", "يوسف"]
