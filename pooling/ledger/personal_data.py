"""What the cost-sharing ledger holds about a person (see ptce.personal_data).

Ledger lines, closed months and quotas are the structures' accounts: they stay through
erasure, the person who acted shown as « Ancien membre » (the user row is anonymised,
not deleted). The export lists what the person recorded.
"""

from __future__ import annotations

from typing import Any

from ptce.personal_data import register

from .models import ClosedMonth, LedgerLine, Quota


def _export(user) -> dict[str, Any]:
    return {
        "ledger_lines_recorded": LedgerLine.objects.filter(created_by=user).count(),
        "months_closed": [
            str(month) for month in ClosedMonth.objects.filter(closed_by=user)
        ],
        "quotas_set": Quota.objects.filter(created_by=user).count(),
    }


def _keep(user) -> None:
    """The accounts stay; the person is shown as « Ancien membre »."""


register(
    key="ledger",
    models=(
        "pooling_ledger.LedgerLine",
        "pooling_ledger.ClosedMonth",
        "pooling_ledger.Quota",
    ),
    export=_export,
    erase=_keep,
    order=55,
)
