"""属地: find the district an appeal belongs to from its address and content, using a gazetteer file."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json"


@dataclass(frozen=True)
class Gazetteer:
    """Place names mapped to their district; longer names are tried first so 南岳衡山开发区 beats 南岳区."""

    city: str
    districts: tuple[str, ...]
    names: tuple[tuple[str, str], ...]  # (place name, district), longest name first

    @classmethod
    def load(cls, path: Path | str = DEFAULT_GAZETTEER) -> Gazetteer:
        """Read a gazetteer JSON file ({city, districts: [{name, aliases, places}]})."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        pairs: dict[str, str] = {}
        for district in raw["districts"]:
            for name in [district["name"], *district.get("aliases", []), *district.get("places", [])]:
                pairs.setdefault(name, district["name"])
        names = tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))
        return cls(city=raw["city"], districts=tuple(d["name"] for d in raw["districts"]), names=names)

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
