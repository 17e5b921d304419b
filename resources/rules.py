"""Checks other apps plug in when a resource's rules change.

resources knows nothing of bookings (pooling depends on resources, not the reverse):
pooling registers, when Django starts, a check that refuses lowering a quantity below
what future bookings already use.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Resource

_quantity_checks: list[Callable[[Resource], None]] = []


def register_quantity_check(check: Callable[[Resource], None]) -> None:
    if check not in _quantity_checks:
        _quantity_checks.append(check)


def check_quantity_change(resource: Resource) -> None:
    """Call under the resource row lock; a check raises ValidationError to refuse."""
    for check in _quantity_checks:
        check(resource)
