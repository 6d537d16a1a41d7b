"""Countries by development status as the United Nations classifies them for statistics (M49's
developing and developed regions, with the least developed countries, landlocked developing
countries and small island developing States). The table ships in ``wgec/data/``, its source
named in its header."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "m49_development.csv"

DEVELOPING, DEVELOPED, UNCLASSIFIED = "developing", "developed", "unclassified"


@dataclass(frozen=True)
class Development:
    status: str  # developing, developed or unclassified
    ldc: bool
    lldc: bool
    sids: bool


@cache
def development_table() -> dict[str, Development]:
    """The classification by ISO 3166-1 alpha-2 code."""
    with DATA.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {
            row["code"]: Development(
                row["status"], row["ldc"] == "yes", row["lldc"] == "yes", row["sids"] == "yes"
            )
            for row in rows
        }


def development_of(code: str) -> Development | None:
    """The development status of a country, or None when it is not recorded."""
    return development_table().get((code or "").upper())
