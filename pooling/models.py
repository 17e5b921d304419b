"""Bookings of pooled resources.

A booking is never deleted: it is declined, cancelled or expired, and each change is
recorded in the audit trail. Double booking is impossible at the database: on
PostgreSQL an exclusion constraint (migration 0002, btree_gist) forbids two active
bookings of a single-unit resource whose blocked ranges (times plus buffers)
overlap; quantities are checked under a lock on the resource row (services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from resources.models import Resource


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("booking status", "Awaiting approval")
        CONFIRMED = "confirmed", pgettext_lazy("booking status", "Confirmed")
        DECLINED = "declined", pgettext_lazy("booking status", "Declined")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("booking status", "Expired")

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("booking structure"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The range the resource is unavailable: start − buffer before, end + buffer after,
    # frozen from the resource's rules when the booking is made.
    blocked_start = models.DateTimeField(editable=False)
    blocked_end = models.DateTimeField(editable=False)
    # True when the resource had a single unit: the exclusion constraint applies.
    exclusive = models.BooleanField(default=True, editable=False)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    attendees = models.PositiveIntegerField(
        _("number of people"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Bookings made together (a room, 2 projectors and the van) share a group.
    group = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(
        _("reason for cancelling"), max_length=2000, blank=True
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Changes made after the request (pooling.services.booking_change): calendar
    # feeds raise the event's SEQUENCE so clients take the new times.
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    change_count = models.PositiveIntegerField(default=0, editable=False)
    # Price frozen when the booking is confirmed: a later change of the resource's
    # rate never rewrites it. Amounts in euros, cents-exact.
    priced_at = models.DateTimeField(_("priced at"), null=True, blank=True)
    price_unit = models.CharField(
        _("price unit"), max_length=16, choices=Resource.PriceUnit.choices, blank=True
    )
    unit_price = models.DecimalField(
        _("unit price excl. VAT"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    price_units = models.DecimalField(
        _("units charged"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_excl_vat = models.DecimalField(
        _("amount excl. VAT"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    vat_regime = models.CharField(
        _("VAT regime"), max_length=16, choices=Resource.VatRegime.choices, blank=True
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    vat_amount = models.DecimalField(
        _("VAT"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(
                fields=["resource", "blocked_start", "blocked_end"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="pooling_active_by_resource",
            ),
            # "Upcoming" lists (Mon espace): active bookings ending after now, of
            # some structures or of their resources (selectors.organisations_upcoming),
            # each range read from the index alone (start, id and booker in it).
            models.Index(
                fields=["organisation", "end"],
                include=["start", "id", "booked_by"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="pooling_active_by_org_end",
            ),
            models.Index(
                fields=["resource", "end"],
                include=["start", "id", "booked_by"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="pooling_active_by_res_end",
            ),
            # The person's own upcoming (selectors.user_upcoming): their active
            # bookings ending after now, read from the index alone (start and id
            # in it) and sorted; by start, the scan read all their past ones first.
            models.Index(
                fields=["booked_by", "end"],
                include=["start", "id"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="pooling_active_by_booker_end",
            ),
            models.Index(fields=["organisation", "start"]),
            models.Index(fields=["booked_by", "start"]),
            models.Index(fields=["status", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="pooling_booking_order"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="pooling_booking_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=models.F("start"))
                & Q(blocked_end__gte=models.F("end")),
                name="pooling_booking_blocked_covers",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.resource} — {local:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("pooling:booking_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def amount_incl_vat(self):
        if self.amount_excl_vat is None:
            return None
        return self.amount_excl_vat + (self.vat_amount or 0)
