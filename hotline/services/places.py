"""属地: find the district an appeal belongs to from its address and content, using the city's gazetteer.

The gazetteer lives in the database (``places``), loaded from the city package's gazetteer file.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Place, PlaceKind


@dataclass(frozen=True)
class Gazetteer:
    """Place names mapped to their district; longer names are tried first so 南岳衡山开发区 beats 南岳区."""

    city: str
    districts: tuple[str, ...]
    names: tuple[tuple[str, str], ...]  # (place name, district), longest name first

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, PlaceKind, str | None]]) -> Gazetteer:
        """Build from (name, kind, district) rows in the order entered; a district belongs to itself."""
        city, districts, pairs = "", [], {}
        for name, kind, district in rows:
            if kind == PlaceKind.CITY:
                city = name
                continue
            if kind == PlaceKind.DISTRICT:
                districts.append(name)
                district = name
            pairs.setdefault(name, district)
        names = tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))
        return cls(city=city, districts=tuple(districts), names=names)

    def extract(self, *texts: str) -> str | None:
        """The district of the first text (address before content) naming a known place, else None."""
        for text in texts:
            if not text:
                continue
            best: tuple[int, str] | None = None
            for name, district in self.names:
                position = text.find(name)
                # The earliest mention wins: an address reads from district down to street.
                if position >= 0 and (best is None or position < best[0]):
                    best = (position, district)
            if best is not None:
                return best[1]
        return None


EMPTY = Gazetteer(city="", districts=(), names=())


def load_gazetteer(session: Session) -> Gazetteer:
    """The city's gazetteer as the database holds it now (empty before a package is imported)."""
    return Gazetteer.from_rows(session.execute(select(Place.name, Place.kind, Place.district).order_by(Place.id)))
