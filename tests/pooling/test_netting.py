from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pooling import netting
from pooling.netting import Charge, NettingError, Transfer, balances, bilateral, settle

cents = st.integers(min_value=1, max_value=5_000_000).map(lambda c: Decimal(c) / 100)


def charges_strategy(max_structures: int, max_size: int = 40):
    structure = st.integers(min_value=0, max_value=max_structures - 1)
    return st.lists(
        st.builds(Charge, user=structure, provider=structure, amount=cents),
        max_size=max_size,
    )


def moved(transfers):
    result = defaultdict(Decimal)
    for transfer in transfers:
        result[transfer.debtor] -= transfer.amount
        result[transfer.creditor] += transfer.amount
    return result


def check_settlement(charges, transfers):
    balance = balances(charges)
    live = [key for key, amount in balance.items() if amount]
    # The nets of all structures sum to zero and match the charges.
    assert sum(balance.values(), Decimal(0)) == 0
    for key, amount in balance.items():
        owed = sum(c.amount for c in charges if c.provider == key and c.user != key)
        owes = sum(c.amount for c in charges if c.user == key and c.provider != key)
        assert amount == owed - owes
    # Netting preserves every structure's balance, with positive, cents-exact amounts.
    after = moved(transfers)
    for key in set(balance) | set(after):
        assert after.get(key, 0) == balance.get(key, 0)
    for transfer in transfers:
        assert transfer.amount > 0
        assert transfer.amount == transfer.amount.quantize(Decimal("0.01"))
        assert transfer.debtor != transfer.creditor
    assert len(transfers) <= max(len(live) - 1, 0)


@settings(max_examples=200, deadline=None)
@given(charges_strategy(max_structures=8))
def test_netting_small_ptce(charges):
    check_settlement(charges, settle(balances(charges)))


@settings(max_examples=60, deadline=None)
@given(charges_strategy(max_structures=40, max_size=120))
def test_netting_large_ptce_uses_the_fallback(charges):
    check_settlement(charges, settle(balances(charges)))


def set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        for i in range(len(partition)):
            yield partition[:i] + [[first, *partition[i]]] + partition[i + 1 :]
        yield [[first], *partition]


def fewest_transfers_by_brute_force(balance):
    live = [key for key, amount in balance.items() if amount]
    if not live:
        return 0
    groups = max(
        len(p)
        for p in set_partitions(live)
        if all(sum(balance[k] for k in block) == 0 for block in p)
    )
    return len(live) - groups


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=-30, max_value=30), min_size=1, max_size=7).map(
        lambda values: [*values, -sum(values)]
    )
)
def test_number_of_transfers_is_minimal(values):
    # Small amounts make zero-sum groups frequent, which is where greedy loses.
    balance = {i: Decimal(v) for i, v in enumerate(values)}
    transfers = settle(balance)
    after = moved(transfers)
    assert all(after.get(key, 0) == amount for key, amount in balance.items())
    assert len(transfers) == fewest_transfers_by_brute_force(balance)


def test_greedy_alone_would_not_be_minimal():
    balance = {"A": Decimal(-5), "B": Decimal(-3), "C": Decimal(4), "D": Decimal(4)}
    # Largest first: A→C 4, A→D 1, B→D 3 — three transfers, which is n − 1.
    assert len(settle(balance)) == 3
    balance = {
        "A": Decimal(-6),
        "B": Decimal(-4),
        "C": Decimal(5),
        "D": Decimal(1),
        "E": Decimal(4),
    }
    # {A, C, D} and {B, E} sum to zero: three transfers, where greedy makes four.
    assert len(settle(balance)) == 3


def test_fallback_pairs_equal_amounts(monkeypatch):
    monkeypatch.setattr(netting, "EXACT_LIMIT", 2)
    balance = {
        1: Decimal(-10),
        2: Decimal(10),
        3: Decimal(-7),
        4: Decimal(3),
        5: Decimal(4),
    }
    transfers = settle(balance)
    assert Transfer(1, 2, Decimal("10.00")) in transfers
    assert len(transfers) == 3


def test_bilateral_nets_each_pair():
    charges = [
        Charge("A", "B", Decimal("100")),
        Charge("B", "A", Decimal("30")),
        Charge("C", "A", Decimal("5")),
        Charge("A", "A", Decimal("50")),
        Charge("D", "E", Decimal("1")),
        Charge("E", "D", Decimal("1")),
    ]
    assert bilateral(charges) == {("A", "B"): Decimal("70"), ("C", "A"): Decimal("5")}
    assert balances(charges) == {
        "A": Decimal("-65"),
        "B": Decimal("70"),
        "C": Decimal("-5"),
        "D": Decimal("0"),
        "E": Decimal("0"),
    }


def test_unbalanced_input_is_refused():
    with pytest.raises(NettingError):
        settle({"A": Decimal(1)})


def test_same_charges_give_the_same_transfers():
    charges = [Charge(i % 5, (i * 3) % 7, Decimal(i + 1)) for i in range(30)]
    assert settle(balances(charges)) == settle(balances(list(reversed(charges))))
