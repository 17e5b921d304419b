"""What the site keeps per person about their notifications (ptce.personcache), and
the one function that forgets it.

- UNREAD: the bell's count.
- TOTAL: how many notifications a person has (the centre's pagination).
- FIRST_PAGE: the centre's first page of rows, as data (pk, text, created_at,
  read_at). It is read in the request's one batch on the centre only (apps.py). The
  HTML is written from it on each request, so the day labels follow the date.

Whatever adds, removes or marks notifications calls `forget()` for their recipients:
- the services (notify, marking read, the erasure);
- the manager's `bulk_create()` (models.NotificationQuerySet);
- every save (apps.py).

A `QuerySet.update()` or `delete()` outside the services is not seen. The person
cache's 5-minute timeout bounds what it leaves stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ptce.personcache import person_forget

UNREAD = "notifications-unread"
TOTAL = "notifications-total"
FIRST_PAGE = "notifications-first-page"


def forget(person_pks: Iterable[Any], *, count: bool = True) -> None:
    """These people's notifications changed: their next page reads them again.
    `count=False`: only marked (read), none added or removed."""
    person_forget(
        (UNREAD, FIRST_PAGE, TOTAL) if count else (UNREAD, FIRST_PAGE), person_pks
    )
