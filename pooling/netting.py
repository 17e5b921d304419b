"""Who owes whom: bilateral nets and the fewest transfers that settle a period.

Pure functions over charges (a structure used something another structure provided,
for an amount). Keys are whatever identifies a structure (ids in the ledger); they
must be sortable so that the same charges always give the same transfers.

Netting across the PTCE: each structure's balance is what it is owed minus what it
owes. Any set of transfers that moves exactly those balances settles the period; the
fewest transfers is n minus the largest number of groups whose balances sum to zero
(each group of k settles with k − 1 transfers). Finding those groups is a
partition problem, solved exactly for up to EXACT_LIMIT structures with non-zero
balances; above that, equal and opposite balances are paired first and the rest is
settled greedily, which still never needs more than n − 1 transfers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO, to_cents

EXACT_LIMIT = 12


@dataclass(frozen=True)
class Charge:
    user: Hashable  # the structure that booked, and owes
    provider: Hashable  # the structure that owns the resource, and is owed
    amount: Decimal


@dataclass(frozen=True)
class Transfer:
    debtor: Hashable
    creditor: Hashable
    amount: Decimal


class NettingError(ValueError):
    pass


def balances(charges: Iterable[Charge]) -> dict[Hashable, Decimal]:
    """Each structure's balance: positive when it is owed, negative when it owes.

    A structure's use of its own resources moves no money and is left out.
    """
    result: dict[Hashable, Decimal] = defaultdict(lambda: ZERO)
    for charge in charges:
        if charge.user == charge.provider:
            continue
        amount = to_cents(charge.amount)
        result[charge.user] -= amount
        result[charge.provider] += amount
    return dict(result)


def bilateral(charges: Iterable[Charge]) -> dict[tuple[Hashable, Hashable], Decimal]:
    """Net owed between each pair: {(debtor, creditor): amount > 0}.

    What A used from B and what B used from A cancel out; pairs that end even are left
    out.
    """
    owed: dict[tuple[Hashable, Hashable], Decimal] = defaultdict(lambda: ZERO)
    for charge in charges:
        if charge.user == charge.provider:
            continue
        owed[(charge.user, charge.provider)] += to_cents(charge.amount)
    result = {}
    for (debtor, creditor), amount in owed.items():
        net = amount - owed.get((creditor, debtor), ZERO)
        if net > 0:
            result[(debtor, creditor)] = net
    return result


def settle(balance: dict[Hashable, Decimal]) -> list[Transfer]:
    """The fewest transfers that bring every balance to zero (see module docstring)."""
    live = {key: to_cents(amount) for key, amount in balance.items() if amount}
    if sum(live.values(), ZERO) != ZERO:
        raise NettingError("Balances do not sum to zero.")
    keys = sorted(live)
    if len(keys) <= EXACT_LIMIT:
        groups = _zero_sum_groups(keys, live)
    else:
        groups = _pair_then_rest(keys, live)
    transfers: list[Transfer] = []
    for group in groups:
        transfers.extend(_greedy({key: live[key] for key in group}))
    return transfers


def _zero_sum_groups(
    keys: list[Hashable], live: dict[Hashable, Decimal]
) -> list[list[Hashable]]:
    """Split keys into the largest number of groups whose balances sum to zero.

    best[mask] is the largest number of complete zero-sum groups among the first
    elements removed from `mask`; a subset whose sum is zero closes a group. Walking
    back from the full set recovers the groups in order.
    """
    n = len(keys)
    values = [live[key] for key in keys]
    size = 1 << n
    total = [ZERO] * size
    for mask in range(1, size):
        low = (mask & -mask).bit_length() - 1
        total[mask] = total[mask & (mask - 1)] + values[low]
    best = [0] * size
    for mask in range(1, size):
        best[mask] = max(best[mask ^ (1 << i)] for i in range(n) if mask >> i & 1)
        best[mask] += total[mask] == ZERO
    groups: list[list[Hashable]] = []
    current: list[Hashable] = []
    mask = size - 1
    while mask:
        if total[mask] == ZERO and current:
            groups.append(current)
            current = []
        target = best[mask] - (total[mask] == ZERO)
        index = next(
            i for i in range(n) if mask >> i & 1 and best[mask ^ (1 << i)] == target
        )
        current.append(keys[index])
        mask ^= 1 << index
    if current:
        groups.append(current)
    return groups


def _pair_then_rest(
    keys: list[Hashable], live: dict[Hashable, Decimal]
) -> list[list[Hashable]]:
    creditors_by_amount: dict[Decimal, list[Hashable]] = defaultdict(list)
    for key in keys:
        if live[key] > 0:
            creditors_by_amount[live[key]].append(key)
    groups: list[list[Hashable]] = []
    rest: list[Hashable] = []
    for key in keys:
        if live[key] > 0:
            continue
        matches = creditors_by_amount.get(-live[key])
        if matches:
            groups.append([key, matches.pop(0)])
        else:
            rest.append(key)
    rest.extend(key for amounts in creditors_by_amount.values() for key in amounts)
    if rest:
        groups.append(sorted(rest))
    return groups


def _greedy(group: dict[Hashable, Decimal]) -> list[Transfer]:
    """Largest debtor pays largest creditor until the group is even (≤ k − 1 moves)."""
    debts = sorted(((-v, k) for k, v in group.items() if v < 0), reverse=True)
    credits = sorted(((v, k) for k, v in group.items() if v > 0), reverse=True)
    debts = [[amount, key] for amount, key in debts]
    credits = [[amount, key] for amount, key in credits]
    transfers = []
    d = c = 0
    while d < len(debts) and c < len(credits):
        amount = min(debts[d][0], credits[c][0])
        transfers.append(Transfer(debts[d][1], credits[c][1], amount))
        debts[d][0] -= amount
        credits[c][0] -= amount
        d += debts[d][0] == 0
        c += credits[c][0] == 0
    return transfers
