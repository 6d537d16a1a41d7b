"""Coverage rows a room above holds: the extension point through which the map import leaves
them alone.

The Coverage sheet of the map workbook lists all coverage, so importing it removes a pair the
sheet leaves out (``mechanisms.map_workbook.coverage_sheet``), unless a room above holds that
row: the consensus room holds a coverage status that has an item without consensus, so that an
import never removes it with its item. A hold names the rows it holds and says why, for the
import's error ("... is missing, but it has an item without consensus: keep its row (or settle
the item first)."). A room adds its holds in its ``AppConfig.ready`` with
``coverage_hold_register``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CoverageHold:
    """Coverage rows that must stay, and why."""

    name: str
    reason: str  # "it has an item without consensus"
    remedy: str  # "settle the item first"
    coverage_ids: Callable[[], Iterable[int]]


_HOLDS: dict[str, CoverageHold] = {}


def coverage_hold_register(hold: CoverageHold) -> None:
    """Have the map import keep the rows a hold names (again under the same name: replace it)."""
    _HOLDS[hold.name] = hold


def coverage_held() -> dict[int, CoverageHold]:
    """Every held coverage row (its ID) with the hold that keeps it (one query per hold)."""
    held: dict[int, CoverageHold] = {}
    for hold in _HOLDS.values():
        for pk in hold.coverage_ids():
            held.setdefault(pk, hold)
    return held
