"""Search by need: "a room for 12 with 2 projectors, free Tuesday 14:00–17:00".

What fits and is free comes first; what fits but is busy (or closed) then comes with
the nearest free time of the same length. One Snapshot for every candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from resources.models import Resource
from resources.selectors import matching

from . import availability, selectors
from .services import Part

MAX_CANDIDATES = 40
SUGGESTION_WINDOW = timedelta(days=7)
NEAR_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Match:
    resource: Resource
    quantity: int
    problems: list[str] = field(default_factory=list)
    suggestion: tuple[datetime, datetime] | None = None

    @property
    def suggestion_label(self) -> str:
        return availability.fmt_span(*self.suggestion) if self.suggestion else ""


@dataclass
class Results:
    start: datetime
    end: datetime
    fits: list[Match] = field(default_factory=list)
    almost: list[Match] = field(default_factory=list)
    equipment_fits: list[Match] = field(default_factory=list)
    equipment_almost: list[Match] = field(default_factory=list)
    equipment_asked: str = ""
    equipment_quantity: int = 1

    @property
    def span(self) -> str:
        return availability.fmt_span(self.start, self.end)


def _matching(queryset: QuerySet[Resource], text: str) -> QuerySet[Resource]:
    # The catalogue's word-by-word, accent-insensitive match (resources.selectors).
    return matching(queryset, text)


def _classify(resources, quantity, people, start, end, snapshot, now):
    """(fits, almost): `almost` holds (resource, problems) for what does not fit."""
    fits, almost = [], []
    for resource in resources:
        problems = availability.problems_for(
            resource,
            organisation=None,
            start=start,
            end=end,
            quantity=quantity,
            attendees=people if resource.kind == Resource.Kind.PREMISES else None,
            now=now,
            snapshot=snapshot,
        )
        if problems:
            almost.append((resource, [p.message for p in problems]))
        else:
            fits.append(Match(resource, quantity))
    return fits, almost


def _suggest(almost, start, end, now, snapshot) -> list[list[Match]]:
    """What almost fits, with the nearest free time of the same length.

    `almost` is a list of (quantity, [(resource, problems)]) groups. `snapshot` holds
    every candidate's opening hours, closures over ± SUGGESTION_WINDOW and bookings
    over the asked day ± NEAR_WINDOW, where the nearest free time almost always is
    (it is then the nearest of the whole window, as every nearer candidate was
    checked); one more query, over ± SUGGESTION_WINDOW, serves the few with none.
    """
    pending = [
        (resource, quantity) for quantity, group in almost for resource, _p in group
    ]
    found: dict[tuple[int, int], tuple[datetime, datetime] | None] = {}
    bookings = snapshot
    for window in (NEAR_WINDOW, SUGGESTION_WINDOW):
        if not pending:
            break
        if window is SUGGESTION_WINDOW:
            resources = [resource for resource, _q in pending]
            bookings = availability.load(
                resources,
                *selectors.buffered_window(resources, start - window, end + window),
                periods_from=snapshot,
                closures_from=snapshot,
            )
        for resource, quantity in pending:
            found[resource.pk, quantity] = availability.nearest_free(
                resource,
                start=start,
                end=end,
                quantity=quantity,
                now=now,
                snapshot=bookings,
                window=window,
            )
        pending = [key for key in pending if found[key[0].pk, key[1]] is None]
    return [
        [
            Match(resource, quantity, problems, found[resource.pk, quantity])
            for resource, problems in group
        ]
        for quantity, group in almost
    ]


# What the engine and the results page read of a candidate (pooling/includes/
# match.html): the wide columns (description, search text…) are never loaded.
CANDIDATE_FIELDS = (
    "kind",
    "name",
    "status",
    "quantity",
    "capacity",
    "wheelchair_accessible",
    "granularity",
    "min_duration",
    "max_duration",
    "buffer_before",
    "buffer_after",
    "min_notice",
    "horizon_days",
    "open_to_all",
    "owner__name",
)


def _candidates(queryset: QuerySet[Resource], text: str) -> list[Resource]:
    return list(_matching(queryset.only(*CANDIDATE_FIELDS), text)[:MAX_CANDIDATES])


def search(data: dict[str, Any], *, now: datetime | None = None) -> Results:
    """What fits and is free, then what almost fits with its nearest free time.

    Six queries at most, whatever the data size: the candidates, the equipment, one
    snapshot for all of them (opening hours, closures over the suggestion window,
    bookings over the asked day ± NEAR_WINDOW: the asked times and the nearest free
    times around them in one read), then for the few with no free time near, the
    bookings further around (see _suggest). On PostgreSQL the bookings are read
    through the GiST index of active blocked ranges (availability.overlapping): only
    overlapping rows are visited, whatever the history.
    """
    now = now or timezone.now()
    start, end = data["start"], data["end"]
    people = data.get("people")
    results = Results(start, end)
    candidates = selectors.bookable_resources().filter(kind=data["kind"])
    if people and data["kind"] == Resource.Kind.PREMISES:
        candidates = candidates.filter(capacity__gte=people)
    if data.get("accessible"):
        candidates = candidates.filter(wheelchair_accessible=True)
    candidates = _candidates(candidates, data.get("text", ""))
    equipment: list[Resource] = []
    quantity = data.get("equipment_quantity") or 1
    if data.get("equipment"):
        results.equipment_asked = data["equipment"]
        results.equipment_quantity = quantity
        equipment = _candidates(
            selectors.bookable_resources().filter(
                kind=Resource.Kind.EQUIPMENT, quantity__gte=quantity
            ),
            data["equipment"],
        )
    every = candidates + equipment
    snapshot = availability.load(
        every,
        *selectors.buffered_window(every, start - NEAR_WINDOW, end + NEAR_WINDOW),
        closures_window=(start - SUGGESTION_WINDOW, end + SUGGESTION_WINDOW),
    )
    results.fits, almost = _classify(candidates, 1, people, start, end, snapshot, now)
    results.equipment_fits, equipment_almost = _classify(
        equipment, quantity, None, start, end, snapshot, now
    )
    results.almost, results.equipment_almost = _suggest(
        [(1, almost), (quantity, equipment_almost)], start, end, now, snapshot
    )
    return results


def parts_from_post(post) -> list[Part] | None:
    """The resources ticked on the results page, with their quantities."""
    ids = []
    for value in post.getlist("resource")[:10]:
        if not value.isdigit():
            return None
        ids.append(int(value))
    resources = {r.pk: r for r in Resource.objects.filter(pk__in=ids)}
    if len(resources) != len(set(ids)):
        return None
    parts = []
    for pk in dict.fromkeys(ids):
        raw = post.get(f"quantity_{pk}", "1")
        quantity = int(raw) if raw.isdigit() and len(raw) < 6 else 0
        parts.append(Part(resources[pk], quantity))
    return parts
