"""Who gets each picked conversation: spread by capacity, capped unless a lead overrides.

Pure (no database), so the rules can be read and tested on their own:

* A reviewer's capacity is what is left of the weekly goal: goal minus reviews done this
  week minus assignments still open. A reviewer without a goal has no known capacity: not
  capped, and takes only what reviewers with room cannot.
* Each conversation goes to the reviewer, among those who have not seen it, with the most
  room left; reviewers without a goal are balanced by open queue size (the behaviour
  before goals existed). Without an override nobody goes over capacity: the rest is left
  out and counted. With an override the overflow is spread so the overload stays even.
* The picks arrive in fair order (``strategies.fair_order``), so a cap cuts the last
  pick of every agent before the first pick of any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Seat:
    """One reviewer's standing before this sample."""

    reviewer_id: int
    capacity: int | None  # None: no weekly goal
    open: int = 0


@dataclass(frozen=True, slots=True)
class Spread:
    #: (index into the picks, reviewer id), in pick order.
    assigned: tuple[tuple[int, int], ...]
    left_out_capacity: int = 0
    left_out_seen: int = 0
    per_reviewer: dict[int, int] = field(default_factory=dict)


def _choose(
    seats: Sequence[Seat], given: dict[int, int], eligible: list[int], cap: bool
) -> int | None:
    """The reviewer for one conversation, or None when everyone eligible is full."""
    order = {seat.reviewer_id: n for n, seat in enumerate(seats)}
    by_id = {seat.reviewer_id: seat for seat in seats}

    def room(rid: int) -> int:
        return by_id[rid].capacity - given[rid]

    with_room = [r for r in eligible if by_id[r].capacity is not None and room(r) > 0]
    if with_room:
        return min(with_room, key=lambda r: (-room(r), order[r]))
    no_goal = [r for r in eligible if by_id[r].capacity is None]
    if no_goal:
        return min(no_goal, key=lambda r: (by_id[r].open + given[r], order[r]))
    if cap or not eligible:
        return None
    return min(eligible, key=lambda r: (-room(r), order[r]))


def spread(
    conversation_ids: Sequence[int],
    seats: Sequence[Seat],
    seen: set[tuple[int, int]],
    *,
    cap: bool = True,
) -> Spread:
    """Give each conversation (in order) to one reviewer; see the module docstring."""
    given = {seat.reviewer_id: 0 for seat in seats}
    assigned: list[tuple[int, int]] = []
    left_capacity = left_seen = 0
    for index, conv_id in enumerate(conversation_ids):
        eligible = [s.reviewer_id for s in seats if (s.reviewer_id, conv_id) not in seen]
        if not eligible:
            left_seen += 1
            continue
        chosen = _choose(seats, given, eligible, cap)
        if chosen is None:
            left_capacity += 1
            continue
        given[chosen] += 1
        assigned.append((index, chosen))
    return Spread(tuple(assigned), left_capacity, left_seen, given)
