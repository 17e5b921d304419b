"""Monthly statements, read from the ledger in a fixed number of queries.

A statement is the lines of one month (`LedgerLine.period`), whatever month the use
was in: adjustments about a closed month appear, marked, in the month they were
recorded in. Amounts that move between structures are VAT included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    F,
    Max,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat

from members.models import Membership, Organisation
from members.permissions import is_coordinator
from pooling.money import ZERO, to_cents
from pooling.netting import Charge, Transfer, balances, bilateral, settle

from .models import ClosedMonth, LedgerLine


@dataclass
class Totals:
    excl_vat: Decimal = ZERO
    vat: Decimal = ZERO

    @property
    def incl_vat(self) -> Decimal:
        return self.excl_vat + self.vat

    def add(self, line: LedgerLine) -> None:
        self.excl_vat += line.amount_excl_vat
        self.vat += line.vat_amount


class Party(NamedTuple):
    """A structure as a statement names it."""

    pk: int
    name: str


@dataclass
class Net:
    other: Organisation | Party
    amount: Decimal  # > 0: the other owes us; < 0: we owe them


@dataclass
class Statement:
    period: date
    closed: ClosedMonth | None
    organisation: Organisation | None = None
    used: list[LedgerLine] = field(default_factory=list)
    provided: list[LedgerLine] = field(default_factory=list)
    used_totals: Totals = field(default_factory=Totals)
    provided_totals: Totals = field(default_factory=Totals)
    nets: list[Net] = field(default_factory=list)
    balance: Decimal = ZERO
    transfers: list[Transfer] = field(default_factory=list)
    # PTCE-wide statement only: one page of the month's lines, and how many in all.
    lines: list[LedgerLine] = field(default_factory=list)
    lines_page: Page | None = None
    line_count: int = 0
    balances: list[tuple[Organisation, Decimal]] = field(default_factory=list)


def _lines(period: date):
    return (
        LedgerLine.objects.filter(period=period)
        .select_related("user", "provider", "booking")
        .order_by("start", "pk")
    )


# What a statement's table shows of a line (pooling/ledger/_lines.html, whose cache
# key in templatetags/ledger.py reads the same): the line's own columns, with the two
# structures' names and the booking's status joined in. One model instance per line,
# not four (line, booking, user, provider, each with every column).
SHOWN_FIELDS = (
    "period",
    "service_month",
    "kind",
    "label",
    "resource_kind",
    "start",
    "end",
    "quantity",
    "price_unit",
    "unit_price",
    "units",
    "amount_excl_vat",
    "vat_regime",
    "vat_rate",
    "vat_amount",
    "cost_items",
    "user",
    "provider",
    "booking",
)


def _shown_lines(period: date):
    return (
        LedgerLine.objects.filter(period=period)
        .only(*SHOWN_FIELDS)
        .annotate(
            user_name=F("user__name"),
            provider_name=F("provider__name"),
            booking_status=F("booking__status"),
        )
        .order_by("start", "pk")
    )


def _amount():
    return Sum(
        F("amount_excl_vat") + F("vat_amount"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def _fingerprint() -> Concat:
    """The lines' "count:last pk:sum", as text written by the database.

    Lines are only ever added (never edited or deleted, see LedgerLine), so a
    month's fingerprint changes whenever its settlement can change.
    """
    return Concat(
        Cast(Count("pk"), CharField()),
        Value(":"),
        Cast(Max("pk"), CharField()),
        Value(":"),
        Cast(_amount(), CharField()),
        output_field=CharField(),
    )


def _month_fingerprint(period: date) -> Subquery:
    """The fingerprint of the whole month, to read along with any query."""
    return Subquery(
        LedgerLine.objects.filter(period=period)
        .order_by()
        .values("period")
        .annotate(fingerprint=_fingerprint())
        .values("fingerprint")[:1],
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Settlement:
    """The PTCE-wide netting of a month: each structure's balance (positive: it is
    owed) and the fewest transfers that settle them, keyed by structure ids."""

    balance: dict[int, Decimal]
    transfers: list[Transfer]


# The same for every reader (sums between structures, nothing personal), so kept
# per content: its key is the month's fingerprint, and a new line gives a new one.
SETTLEMENT_CACHE_SECONDS = 24 * 3600


def _settlement_key(period: date, fingerprint: str) -> str:
    return f"ledger-settlement:{period:%Y-%m}:{fingerprint}"


def _settlement(period: date, fingerprint: str | None) -> Settlement:
    """The month's settlement, from the cache under `fingerprint` (see
    _month_fingerprint), else from the charges summed per pair of structures by the
    database (one query whatever the number of lines), then kept under the
    fingerprint of the very rows it was computed from."""
    if fingerprint:
        found = cache.get(_settlement_key(period, fingerprint))
        if found is not None:
            return found
    rows = list(
        LedgerLine.objects.filter(period=period)
        .values("user_id", "provider_id")
        .annotate(amount=_amount(), month=_month_fingerprint(period))
        .order_by("user_id", "provider_id")
    )
    balance = balances(
        Charge(r["user_id"], r["provider_id"], r["amount"]) for r in rows
    )
    settlement = Settlement(balance=balance, transfers=settle(balance))
    if rows:
        # The fingerprint read in the same statement as the sums: of these rows.
        key = _settlement_key(period, rows[0]["month"])
        cache.set(key, settlement, SETTLEMENT_CACHE_SECONDS)
    return settlement


def _pair_charges_of(lines, organisation: Organisation) -> list[Charge]:
    """The month's charges between `organisation` and each other structure, summed
    per pair from its own lines (every line it is party to is among them)."""
    sums: dict[tuple[int, int], Decimal] = {}
    for line in lines:
        pair = (line.user_id, line.provider_id)
        sums[pair] = sums.get(pair, ZERO) + line.amount_excl_vat + line.vat_amount
    return [Charge(user, provider, amount) for (user, provider), amount in sums.items()]


def _closed(period: date) -> ClosedMonth | None:
    return ClosedMonth.objects.filter(period=period).select_related("closed_by").first()


def structure_statement(*, organisation: Organisation, period: date) -> Statement:
    """What `organisation` used and provided in `period`, and who owes whom.

    The transfers are those of the whole PTCE's settlement that involve this
    structure, so each structure's statement agrees with every other's. Only this
    structure's lines are loaded, as shown (_shown_lines); the PTCE-wide balances
    come from sums per pair of structures computed by the database. Four queries
    at most, whatever the size.
    """
    lines = list(
        _shown_lines(period)
        .filter(Q(user=organisation) | Q(provider=organisation))
        .annotate(month_fingerprint=_month_fingerprint(period))
    )
    statement = Statement(
        period=period, closed=_closed(period), organisation=organisation
    )
    # The structures named on the page, by the names the lines joined in.
    orgs: dict[int, Organisation | Party] = {organisation.pk: organisation}
    for line in lines:
        orgs.setdefault(line.user_id, Party(line.user_id, line.user_name))
        orgs.setdefault(line.provider_id, Party(line.provider_id, line.provider_name))
        if line.user_id == organisation.pk:
            statement.used.append(line)
            statement.used_totals.add(line)
        if line.provider_id == organisation.pk:
            statement.provided.append(line)
            statement.provided_totals.add(line)
    settlement = _settlement(period, lines[0].month_fingerprint if lines else None)
    transfers = [
        t for t in settlement.transfers if organisation.pk in (t.debtor, t.creditor)
    ]
    missing = {pk for t in transfers for pk in (t.debtor, t.creditor)} - set(orgs)
    if missing:
        orgs.update(Organisation.objects.only("name").in_bulk(missing))
    mine = _pair_charges_of(lines, organisation)
    for (debtor, creditor), amount in sorted(bilateral(mine).items()):
        other = creditor if debtor == organisation.pk else debtor
        sign = -1 if debtor == organisation.pk else 1
        statement.nets.append(Net(other=orgs[other], amount=sign * amount))
    statement.nets.sort(key=lambda net: net.other.name)
    statement.balance = settlement.balance.get(organisation.pk, ZERO)
    statement.transfers = [
        Transfer(orgs[t.debtor], orgs[t.creditor], t.amount) for t in transfers
    ]
    return statement


def structure_lines(*, organisation: Organisation, period: date):
    """Every line `organisation` used or provided in `period`, with its relations
    (for the CSV export, which shows every column)."""
    return _lines(period).filter(Q(user=organisation) | Q(provider=organisation))


LINES_PER_PAGE = 100


def ptce_lines(*, period: date):
    """Every line of `period`, in date order (for the CSV export)."""
    return _lines(period)


def ptce_statement(
    *, period: date, page: int | str | None = 1, per_page: int = LINES_PER_PAGE
) -> Statement:
    """Each structure's balance, the fewest transfers and one page of lines.

    Balances, transfers and totals come from sums computed by the database, so the
    page costs the same few queries for 20 lines a month or 5,000; the lines are
    shown `per_page` at a time (every line is in the CSV export).
    """
    sums = (
        LedgerLine.objects.filter(period=period)
        .values("period")
        .annotate(
            excl_vat=Sum("amount_excl_vat"),
            vat=Sum("vat_amount"),
            fingerprint=_fingerprint(),
        )
        .order_by("period")
        .first()
    ) or {"excl_vat": None, "vat": None, "fingerprint": None}
    settlement = _settlement(period, sums["fingerprint"])
    balance = settlement.balance
    orgs = Organisation.objects.in_bulk(balance)
    lines_page = Paginator(_shown_lines(period), per_page).get_page(page)
    statement = Statement(
        period=period,
        closed=_closed(period),
        lines=list(lines_page),
        lines_page=lines_page,
        line_count=lines_page.paginator.count,
        used_totals=Totals(
            excl_vat=to_cents(sums["excl_vat"] or ZERO),
            vat=to_cents(sums["vat"] or ZERO),
        ),
    )
    statement.balances = sorted(
        ((orgs[pk], amount) for pk, amount in balance.items()),
        key=lambda item: (item[0].name_sort, item[0].pk),
    )
    statement.transfers = [
        Transfer(orgs[t.debtor], orgs[t.creditor], t.amount)
        for t in settlement.transfers
    ]
    return statement


def closed_months(limit: int = 24) -> list[ClosedMonth]:
    return list(ClosedMonth.objects.select_related("closed_by")[:limit])


def statement_organisations(user) -> list[Organisation]:
    """The structures whose statements `user` may read (see permissions)."""
    if is_coordinator(user):
        return list(Organisation.objects.order_by("name_sort", "pk"))
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.REFERENT
        ).order_by("name_sort", "pk")
    )
