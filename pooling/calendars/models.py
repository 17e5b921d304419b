"""Private calendar-feed tokens and recurring booking series.

A person's token opens their feeds (their bookings, their structures', a resource's)
without a browser session, for calendar clients. Each fetch re-checks what the person
may see, so a feed stops showing a structure's bookings when they leave it.
Regenerating the token makes every old feed URL answer 404.

A series is stored as local wall-clock time + zone + RRULE (pooling.recurrence); each
occurrence is an ordinary booking, linked here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarToken(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return str(self.user)


class BookingSeries(models.Model):
    resource = models.ForeignKey(
        "resources.Resource",
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("booking structure"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60 * 31)],
    )
    time_zone = models.CharField(max_length=64, default="Europe/Paris")
    rrule = models.CharField(_("recurrence rule"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.resource} — {self.rrule}"


class SeriesOccurrence(models.Model):
    series = models.ForeignKey(
        BookingSeries, on_delete=models.CASCADE, related_name="occurrences"
    )
    booking = models.OneToOneField(
        "pooling.Booking", on_delete=models.CASCADE, related_name="series_link"
    )
    local_date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["local_date", "pk"]

    def __str__(self) -> str:
        return f"{self.series} @ {self.local_date}"
