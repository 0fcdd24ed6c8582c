"""The curated lexicons of `schema/lexicon/`: national names and the gazetteer of places.

Names that no pattern can find (浙里办, 民法典, 枫桥经验 written without quotes) live in
`national.jsonl`, one entry a line, each with its canonical name and the spellings reports use. Only
national or well-known provincial names belong there: a bureau's own stations and programs are found
by the patterns, never listed. `places.json` is the GB/T 2260 table of provinces, prefectures and
counties, so a place and the province it lies in are known without a model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class LexiconEntry:
    """One well-known name: its kind, canonical name and other spellings."""

    kind: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Place:
    """One administrative division; `level` is province, prefecture or county."""

    name: str
    level: str
    province: str | None = None
    prefecture: str | None = None


@dataclass
class Gazetteer:
    """Places by full name, and the short forms (浙江, 宁波) of provinces and prefectures."""

    places: dict[str, Place] = field(default_factory=dict)
    short_forms: dict[str, str] = field(default_factory=dict)
    #: What may open an organisation's name as its place: full names and the provinces' short forms
    #: (江苏; a city's short form is too often a street's name: 玉林派出所), and their first two characters,
    #: which most names do not start with (one set lookup instead of one per prefix length).
    name_prefixes: frozenset[str] = frozenset()
    name_prefix_starts: frozenset[str] = frozenset()

    def index_prefixes(self) -> None:
        """Fill `name_prefixes` once the table is loaded."""
        provinces = {short for short, full in self.short_forms.items() if self.places[full].level == "province"}
        self.name_prefixes = frozenset(self.places) | provinces
        self.name_prefix_starts = frozenset(name[:2] for name in self.name_prefixes)

    def lookup(self, name: str) -> Place | None:
        """The place written `name` (full or short form), if the table knows it."""
        full = self.short_forms.get(name, name)
        return self.places.get(full)


def _lexicon_text(filename: str) -> str:
    return resources.files("policekg.schema").joinpath("lexicon", filename).read_text(encoding="utf-8")


@cache
def national_entries() -> tuple[LexiconEntry, ...]:
    """Every entry of `schema/lexicon/national.jsonl`."""
    entries = []
    for line in _lexicon_text("national.jsonl").splitlines():
        if line.strip():
            row = json.loads(line)
            entries.append(LexiconEntry(row["kind"], row["name"], tuple(row.get("aliases", ()))))
    return tuple(entries)


@cache
def police_departments() -> tuple[str, ...]:
    """Standard department names inside a bureau (户政科, 看守所): local units of the issuer."""
    return tuple(json.loads(_lexicon_text("police_departments.json"))["departments"])


@cache
def gazetteer() -> Gazetteer:
    """The places of `schema/lexicon/places.json`; a county name shared by two provinces has none."""
    data = json.loads(_lexicon_text("places.json"))
    gaz = Gazetteer()
    for row in data["provinces"]:
        gaz.places[row["name"]] = Place(row["name"], "province", province=row["name"])
        gaz.short_forms[row["short"]] = row["name"]
    for row in data["prefectures"]:
        gaz.places[row["name"]] = Place(row["name"], "prefecture", province=row["province"],
                                        prefecture=row["name"])
        if row["short"] and row["short"] not in gaz.short_forms:
            gaz.short_forms[row["short"]] = row["name"]
    for row in data["counties"]:
        if row["name"] not in gaz.places:
            gaz.places[row["name"]] = Place(row["name"], "county", row["province"], row["prefecture"])
    gaz.index_prefixes()
    return gaz
