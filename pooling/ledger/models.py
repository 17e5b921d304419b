"""The cost-sharing ledger: immutable lines, closed months, quotas.

A ledger line is written once, by pooling.ledger.services, when a booking is
confirmed (a charge at the price frozen on the booking), cancelled in time (a
reversal) or changed (the charge in force is withdrawn by a "replaced" line and the
re-confirmed booking charged again, one revision later); lines are never edited or
deleted. Each line counts in one month
(`period`, the first day of that month): the month the resource was used, or — when
that month is already closed — the first open month after it, as an adjustment. So a
closed month never changes and its statement reads the same forever.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pooling.money import money_field
from resources.models import Resource


class LedgerLine(models.Model):
    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        REVERSAL = "reversal", _("Cancelled in time, not charged")
        REPLACED = "replaced", _("Booking changed: replaced by a new line")

    booking = models.ForeignKey(
        "pooling.Booking",
        verbose_name=_("booking"),
        on_delete=models.PROTECT,
        related_name="ledger_lines",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Each change of a confirmed booking starts a new revision: its charge, and the
    # reversal or replacement that withdraws it, share the revision number.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    period = models.DateField(_("month"), db_index=True)
    service_month = models.DateField(_("month of use"))
    user = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("user structure"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    provider = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("provider structure"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Frozen copies: the statement reads the same after the resource is renamed.
    label = models.CharField(_("description"), max_length=300)
    resource_kind = models.CharField(
        _("kind of resource"), max_length=16, choices=Resource.Kind.choices
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    price_unit = models.CharField(
        _("price unit"), max_length=16, choices=Resource.PriceUnit.choices, blank=True
    )
    unit_price = money_field(_("unit price excl. VAT"))
    units = models.DecimalField(_("units charged"), max_digits=10, decimal_places=2)
    amount_excl_vat = money_field(_("amount excl. VAT"))
    vat_regime = models.CharField(
        _("VAT regime"), max_length=16, choices=Resource.VatRegime.choices
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=4, decimal_places=2, default=0
    )
    vat_amount = money_field(_("VAT"))
    # Staff time at cost: [{"category", "label", "hourly_amount", "amount"}, …].
    cost_items = models.JSONField(_("itemised costs"), default=list, blank=True)
    # Until when a cancellation is free, frozen from the resource's rule at
    # confirmation (charges only).
    free_cancellation_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        ordering = ["period", "start", "pk"]
        indexes = [
            models.Index(fields=["period", "user"]),
            models.Index(fields=["period", "provider"]),
            models.Index(fields=["user", "resource", "service_month"]),
        ]
        constraints = [
            # Per revision of a booking: one charge, and at most one line that
            # withdraws it (a reversal or a replacement).
            models.UniqueConstraint(
                fields=["booking", "revision", "kind"],
                name="pooling_ledger_one_line_per_kind",
            ),
            models.UniqueConstraint(
                fields=["booking", "revision"],
                condition=Q(kind__in=["reversal", "replaced"]),
                name="pooling_ledger_one_withdrawal_per_revision",
            ),
            models.CheckConstraint(
                condition=Q(period__gte=models.F("service_month")),
                name="pooling_ledger_period_not_before_use",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.period:%m/%Y})"

    @property
    def amount_incl_vat(self):
        return self.amount_excl_vat + self.vat_amount

    @property
    def is_adjustment(self) -> bool:
        return self.period != self.service_month


class ClosedMonth(models.Model):
    """A month whose statement is final: no line may be written in it any more."""

    period = models.DateField(_("month"), unique=True)
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y}"


class Quota(models.Model):
    """At most `hours_per_month` booked by a structure, on a resource or on a kind.

    Exactly one of `resource` and `resource_kind` is set. Pending and confirmed
    bookings count, in local months.
    """

    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    resource_kind = models.CharField(
        _("kind of resource"), max_length=16, choices=Resource.Kind.choices, blank=True
    )
    # Whose resources a kind-wide quota covers (the owner who set it), None = all.
    owner = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("resources of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    hours_per_month = models.DecimalField(
        _("hours per month"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(744)],
    )
    created_at = models.DateTimeField(_("set on"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["organisation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resource__isnull=False) & Q(resource_kind=""))
                | (Q(resource__isnull=True) & ~Q(resource_kind="")),
                name="pooling_quota_resource_or_kind",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=0),
                name="pooling_quota_not_negative",
            ),
            models.UniqueConstraint(
                fields=["organisation", "resource"],
                condition=Q(resource__isnull=False),
                name="pooling_quota_one_per_resource",
            ),
            models.UniqueConstraint(
                fields=["organisation", "resource_kind", "owner"],
                condition=Q(resource__isnull=True, owner__isnull=False),
                name="pooling_quota_one_per_kind_of_owner",
            ),
            models.UniqueConstraint(
                fields=["organisation", "resource_kind"],
                condition=Q(resource__isnull=True, owner__isnull=True),
                name="pooling_quota_one_per_kind",
            ),
        ]

    def __str__(self) -> str:
        target = self.resource or self.resource_kind
        return f"{self.organisation} — {target} : {self.hours_per_month} h"
