"""The catalogue of what member structures pool: premises, equipment, staff time.

A resource carries its booking rules (hours, closures, granularity, durations, buffers,
notice, horizon, approval, who may book) and its price. Rules are read by pooling's
availability engine; they are written only through resources.services.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ptce.search_providers import fold_words

MAX_QUANTITY = 1000
MAX_MINUTES = 60 * 24 * 366
# What the catalogue and the site search read, folded into Resource.search_text on
# save (the owner's name is matched through Organisation.name_sort).
SEARCHED_FIELDS = (
    "name",
    "summary",
    "description",
    "equipment_present",
    "staff_role",
    "staff_skills",
)


class Resource(models.Model):
    class Kind(models.TextChoices):
        PREMISES = "premises", _("Premises")
        EQUIPMENT = "equipment", _("Equipment")
        STAFF = "staff", _("Staff time")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Bookable")
        PAUSED = "paused", _("Paused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Granularity(models.IntegerChoices):
        QUARTER = 15, _("15 minutes")
        HALF_HOUR = 30, _("30 minutes")
        HOUR = 60, _("1 hour")
        HALF_DAY = 240, _("Half-day")
        DAY = 1440, _("Day")

    class PriceUnit(models.TextChoices):
        FREE = "free", _("Free")
        HOUR = "hour", _("Per hour")
        HALF_DAY = "half_day", _("Per half-day")
        DAY = "day", _("Per day")
        USE = "use", _("Per use")

    class VatRegime(models.TextChoices):
        EXEMPT = "exempt_261b", _("Exempt (art. 261 B CGI)")
        TAXABLE = "taxable", _("Subject to VAT")
        FRANCHISE = "franchise_293b", _("VAT threshold exemption (art. 293 B CGI)")
        NOT_LIABLE = "not_liable", _("Not liable to VAT")

    owner = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("owner structure"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    quantity = models.PositiveIntegerField(
        _("quantity held"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
        help_text=_("How many identical units can be booked at the same time."),
    )
    # Premises
    capacity = models.PositiveIntegerField(
        _("capacity (persons)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
    )
    surface = models.DecimalField(
        _("surface (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    floor = models.CharField(_("floor"), max_length=50, blank=True)
    wheelchair_accessible = models.BooleanField(
        _("accessible to wheelchair users"), default=False
    )
    equipment_present = models.CharField(
        _("equipment present"), max_length=500, blank=True
    )
    # Equipment
    leaves_premises = models.BooleanField(_("may leave the premises"), default=False)
    # Staff time
    staff_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff_role = models.CharField(_("role"), max_length=150, blank=True)
    staff_skills = models.CharField(_("skills"), max_length=500, blank=True)
    staff_hours_per_week = models.DecimalField(
        _("hours available per week"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )
    # Booking rules
    granularity = models.PositiveIntegerField(
        _("booking granularity"), choices=Granularity.choices, default=Granularity.HOUR
    )
    min_duration = models.PositiveIntegerField(
        _("minimum duration (minutes)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
    )
    max_duration = models.PositiveIntegerField(
        _("maximum duration (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
    )
    buffer_before = models.PositiveIntegerField(
        _("buffer before (minutes)"),
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Setting-up time kept free before each booking."),
    )
    buffer_after = models.PositiveIntegerField(
        _("buffer after (minutes)"),
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Cleaning or tidying time kept free after each booking."),
    )
    min_notice = models.PositiveIntegerField(
        _("minimum notice (hours)"), default=0, validators=[MaxValueValidator(24 * 90)]
    )
    horizon_days = models.PositiveIntegerField(
        _("booking horizon (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3 * 366)],
        help_text=_("How far ahead one may book."),
    )
    approval_required = models.BooleanField(
        _("bookings need the owner's approval"), default=True
    )
    open_to_all = models.BooleanField(
        _("every member structure may book"), default=True
    )
    allowed_organisations = models.ManyToManyField(
        "members.Organisation",
        verbose_name=_("structures allowed to book"),
        blank=True,
        related_name="+",
    )
    cancellation_notice_hours = models.PositiveIntegerField(
        _("free cancellation until (hours before)"),
        default=48,
        validators=[MaxValueValidator(24 * 90)],
    )
    # Price
    price_unit = models.CharField(
        _("price"), max_length=16, choices=PriceUnit.choices, default=PriceUnit.FREE
    )
    price_amount = models.DecimalField(
        _("rate excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    vat_regime = models.CharField(
        _("VAT regime"),
        max_length=16,
        choices=VatRegime.choices,
        default=VatRegime.NOT_LIABLE,
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("30"))],
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resource managers"),
        through="ResourceManager",
        through_fields=("resource", "user"),
        blank=True,
        related_name="managed_resources",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived on every save (see save()): the searched text without accents or case,
    # as words each preceded by a space, so that "velo" finds "Atelier vélo" with a
    # plain LIKE on SQLite and PostgreSQL alike (the members directory does the same).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="resources_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(price_amount__gte=0), name="resources_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_duration__isnull=True)
                | Q(max_duration__gte=models.F("min_duration")),
                name="resources_max_duration_after_min",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Every door (services, admin, demo loader, factories) goes through save(), so
        # the folded copy cannot drift; QuerySet.update() is never used on these
        # fields (bulk_create callers fill search_text with fold_text()).
        self.search_text = self.fold_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"pk": self.pk})

    def fold_text(self) -> str:
        return fold_words(
            " ".join(str(getattr(self, name) or "") for name in SEARCHED_FIELDS)
        )

    @property
    def is_bookable(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_pooled_quantity(self) -> bool:
        return self.quantity > 1

    @property
    def is_free(self) -> bool:
        return self.price_unit == self.PriceUnit.FREE


class ResourceManager(models.Model):
    """A person of the owner structure a référent named to manage one resource."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="manager_links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("resource manager")
        verbose_name_plural = _("resource managers")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "user"], name="resources_manager_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.resource}"


class OpeningPeriod(models.Model):
    """Open from `opens` to `closes` (local wall-clock time) on a weekday.

    A resource with no period at all is open at any time. `closes` at 00:00 means
    midnight at the end of the day.
    """

    # Labels with their own context: a capitalised « Jeudi » for a form label must
    # not replace Django's own « jeudi » in every formatted date of the site.
    class Weekday(models.IntegerChoices):
        MONDAY = 0, pgettext_lazy("weekday label", "Monday")
        TUESDAY = 1, pgettext_lazy("weekday label", "Tuesday")
        WEDNESDAY = 2, pgettext_lazy("weekday label", "Wednesday")
        THURSDAY = 3, pgettext_lazy("weekday label", "Thursday")
        FRIDAY = 4, pgettext_lazy("weekday label", "Friday")
        SATURDAY = 5, pgettext_lazy("weekday label", "Saturday")
        SUNDAY = 6, pgettext_lazy("weekday label", "Sunday")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="opening_periods"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="resources_opening_weekday_range",
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")) | Q(closes="00:00:00"),
                name="resources_opening_closes_after_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A period when the resource cannot be booked (holidays, maintenance)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="closures"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start"]
        indexes = [models.Index(fields=["resource", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="resources_closure_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} : {self.reason}"


class StaffCostItem(models.Model):
    """One itemised cost of lent staff time, per hour (code du travail L8241-1).

    Staff time is re-invoiced at cost only: its hourly rate is the sum of these items,
    never a margin or a flat fee.
    """

    class Category(models.TextChoices):
        SALARY = "salary", _("Gross salary")
        SOCIAL_CHARGES = "social_charges", _("Social charges")
        EXPENSES = "expenses", _("Professional expenses")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="cost_items"
    )
    category = models.CharField(_("cost"), max_length=20, choices=Category.choices)
    label = models.CharField(_("detail"), max_length=150, blank=True)
    hourly_amount = models.DecimalField(
        _("amount per hour (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("staff cost item")
        verbose_name_plural = _("staff cost items")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_amount__gte=0), name="resources_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.hourly_amount} €"


class ResourcePhoto(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    alt = models.CharField(_("description of the image"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.alt
