"""Personal data: what each app holds about a person, exported and erased on request.

Contract — an app declares, in its own `personal_data.py`, one entry per concern:

    from ptce.personal_data import register
    register(
        key="bookings",               # the section's name in the JSON export
        models=("pooling.Booking",),  # every model with a foreign key to the user
        export=export_bookings,       # JSON-serialisable, the person's own data only
        erase=erase_bookings,         # called inside the erasure's transaction
        order=50,                     # erasers run from high to low order
    )

`export` returns only what is the person's own (nothing matched through an address they
have not verified). `erase` removes or anonymises the person's data and must leave other
people's records alone; shared records (a booking of a structure) are kept with the
person shown as « Ancien·ne membre ». A test fails when a model with a foreign key to
the user is listed by no registration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalData:
    key: str
    models: tuple[str, ...]
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    order: int = 100


_registry: dict[str, PersonalData] = {}


def register(
    *,
    key: str,
    models: tuple[str, ...],
    export: Callable[[Any], Any],
    erase: Callable[[Any], None],
    order: int = 100,
) -> PersonalData:
    entry = PersonalData(key, tuple(models), export, erase, order)
    existing = _registry.get(key)
    if existing is not None and existing != entry:
        raise ValueError(f"Personal data {key!r} is registered twice.")
    _registry[key] = entry
    return entry


def entries() -> list[PersonalData]:
    return sorted(_registry.values(), key=lambda entry: (entry.order, entry.key))


def covered_models() -> set[str]:
    return {label.lower() for entry in _registry.values() for label in entry.models}


def user_addresses(user) -> set[str]:
    """The addresses the person has proved are theirs, lower-cased.

    Only verified ones: anybody can type someone else's address as a secondary
    address, and must not thereby reach that person's invitations or e-mails.
    The login address counts unless allauth holds it as unverified.
    Erasers match what was sent to the person on these; call before the addresses
    themselves are erased (members erases them last).
    """
    from allauth.account.models import EmailAddress  # loaded once apps are ready

    rows = {
        email.lower(): verified
        for email, verified in EmailAddress.objects.filter(user=user).values_list(
            "email", "verified"
        )
    }
    addresses = {email for email, verified in rows.items() if verified}
    if user.email and rows.get(user.email.lower(), True):
        addresses.add(user.email.lower())
    return addresses


def export_all(user) -> dict[str, Any]:
    return {entry.key: entry.export(user) for entry in entries()}


def erase_all(user) -> None:
    """Run every eraser, highest order first; call inside one transaction."""
    for entry in reversed(entries()):
        entry.erase(user)


# --- The bottom app's own part: the audit trail -------------------------------------
# (Registered here: ptce cannot provide a plug-in module besides its registries.)


def _export_audit(user) -> list[dict[str, Any]]:
    """The person's own acts, as the structures' histories recorded them."""
    from .selectors import audit_by_actor

    return [
        {
            "date": event.created_at.isoformat(),
            "action": event.action,
            "object": event.target_label,
            "from": event.before,
            "to": event.after,
            "reason": event.reason,
        }
        for event in audit_by_actor(user).order_by("created_at", "id")
    ]


def _erase_audit(user) -> None:
    """Events stay (the structures' history); the person's name leaves their labels.

    The actor column keeps pointing at the anonymised account, shown
    « Ancien·ne membre ».
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.utils.translation import gettext

    from .models import AuditEvent

    about_them = Q(data__person=user.pk) | Q(
        target_type=ContentType.objects.get_for_model(user, for_concrete_model=False),
        target_id=str(user.pk),
    )
    for address in user_addresses(user):
        about_them |= Q(target_label__icontains=address)
    AuditEvent.objects.filter(about_them).update(target_label=gettext("Former member"))


register(
    key="audit_trail",
    models=("ptce.AuditEvent",),
    export=_export_audit,
    erase=_erase_audit,
    order=90,
)
