"""Audit labels: how the audit trail's actions and states read for people.

Contract — an app declares, in its own `audit_labels.py`, the words for the actions
its services record with `audit_record(action=…)` and for the values they record in
`before` / `after`:

    from ptce.audit_labels import register

    register(
        "pooling",                                   # its actions' prefix
        actions={
            "pooling.booking.request": _("Booking requested"),
            "pooling.booking.approve": _("Booking approved"),
        },
        states=dict(Booking.Status.choices),         # "pending" → « En attente … »
    )

A history (a structure's management page) shows `action_label(event.action)` and
`state_label(event.action, value)`. States are looked up per app, so one word
("pending") may read differently in two apps. An action no app labelled reads
« Other change » — never its code — and `unlabelled()` names it, for a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OTHER_CHANGE = _("Other change")

_actions: dict[str, str | Promise] = {}
_states: dict[str, dict[str, str | Promise]] = {}


def register(
    prefix: str,
    *,
    actions: Mapping[str, str | Promise],
    states: Mapping[str, str | Promise] | None = None,
) -> None:
    wrong = [code for code in actions if not code.startswith(f"{prefix}.")]
    if wrong:
        raise ValueError(f"Actions outside {prefix!r}: {', '.join(wrong)}")
    _actions.update(actions)
    _states.setdefault(prefix, {}).update(states or {})


def action_label(action: str) -> str:
    return str(_actions.get(action, OTHER_CHANGE))


def state_label(action: str, value: str) -> str:
    prefix = action.split(".", 1)[0]
    return str(_states.get(prefix, {}).get(value, value))


def unlabelled(actions: Iterable[str]) -> list[str]:
    """The actions among `actions` that no app labelled."""
    return sorted({action for action in actions if action not in _actions})
