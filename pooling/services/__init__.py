"""Every write on bookings, with its rules: request, decide, cancel, change, expire,
remind — one module per concern, all importable from here (`pooling.services`).

A request locks the rows of the resources it books (in id order, so two sets never
deadlock), loads the bookings that overlap under that lock, and checks them with the
availability engine: for a pooled quantity the peak of simultaneous use, never the
plain sum. On PostgreSQL the exclusion constraint on single-unit resources backs this
up; on SQLite the whole transaction holds the database's write lock (IMMEDIATE).
Nothing is written when any part is refused.

- common: the refusal, a request's parts, recipients, locks, frozen prices;
- requests: booking_request, booking_set_request, resource_quantity_check;
- decisions: booking_decide, bookings_decide, booking_cancel;
- changes: booking_change, change_lines;
- reminders: bookings_expire, booking_expire, booking_reminders_send.
"""

from .changes import booking_change, change_lines
from .common import (
    EXPIRY_LEAD,
    MAX_PURPOSE,
    MAX_TEXT,
    PRICE_FIELDS,
    REMINDER_LEAD,
    BookingRefused,
    Part,
    approvers_of,
    pending_counts_forget,
)
from .decisions import BatchResult, booking_cancel, booking_decide, bookings_decide
from .reminders import booking_expire, booking_reminders_send, bookings_expire
from .requests import booking_request, booking_set_request, resource_quantity_check

__all__ = [
    "EXPIRY_LEAD",
    "MAX_PURPOSE",
    "MAX_TEXT",
    "PRICE_FIELDS",
    "REMINDER_LEAD",
    "BatchResult",
    "BookingRefused",
    "Part",
    "approvers_of",
    "booking_cancel",
    "booking_change",
    "booking_decide",
    "booking_expire",
    "booking_reminders_send",
    "booking_request",
    "booking_set_request",
    "bookings_decide",
    "bookings_expire",
    "change_lines",
    "pending_counts_forget",
    "resource_quantity_check",
]
