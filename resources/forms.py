from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, User

from .models import OpeningPeriod, Resource, StaffCostItem
from .services import EDITABLE_FIELDS

COST_FIELDS = {
    StaffCostItem.Category.SALARY: "cost_salary",
    StaffCostItem.Category.SOCIAL_CHARGES: "cost_social_charges",
    StaffCostItem.Category.EXPENSES: "cost_expenses",
}


class ResourceForm(forms.ModelForm):
    """The resource's description, rules and price; the service validates the rest."""

    cost_salary = forms.DecimalField(
        label=_("Gross salary per hour (€)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
    )
    cost_social_charges = forms.DecimalField(
        label=_("Social charges per hour (€)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
    )
    cost_expenses = forms.DecimalField(
        label=_("Professional expenses per hour (€)"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
    )

    class Meta:
        model = Resource
        fields = [*EDITABLE_FIELDS, "allowed_organisations"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "allowed_organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, owner: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["staff_person"].queryset = User.objects.filter(
            memberships__organisation=owner, is_active=True
        )
        self.fields["allowed_organisations"].queryset = Organisation.objects.filter(
            status=Organisation.Status.MEMBER
        ).exclude(pk=owner.pk)
        self.fields["allowed_organisations"].help_text = _(
            "Only when not every member structure may book."
        )
        if self.instance.pk:
            for item in self.instance.cost_items.all():
                self.initial[COST_FIELDS[item.category]] = item.hourly_amount

    def cost_items(self) -> list[dict]:
        if self.cleaned_data.get("kind") != Resource.Kind.STAFF:
            return []
        return [
            {"category": category, "hourly_amount": self.cleaned_data[name]}
            for category, name in COST_FIELDS.items()
            if self.cleaned_data.get(name) not in (None, Decimal("0"))
        ]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

    def _post_clean(self):
        # The model is validated by the service (with the staff-at-cost rule); the
        # form only checks each field.
        pass


class OpeningHoursForm(forms.Form):
    """Two periods per weekday (morning and afternoon), local time."""

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        existing: dict[int, list[OpeningPeriod]] = {}
        for period in resource.opening_periods.all():
            existing.setdefault(period.weekday, []).append(period)
        for weekday, label in OpeningPeriod.Weekday.choices:
            periods = existing.get(weekday, [])
            for index in range(2):
                period = periods[index] if index < len(periods) else None
                for end in ("opens", "closes"):
                    name = f"d{weekday}_{index}_{end}"
                    self.fields[name] = forms.TimeField(
                        label=f"{label} — "
                        + (
                            str(_("opens at"))
                            if end == "opens"
                            else str(_("closes at"))
                        )
                        + f" ({index + 1})",
                        required=False,
                        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                        initial=getattr(period, end, None),
                    )

    def periods(self) -> list[tuple[int, time, time]]:
        result = []
        for weekday in range(7):
            for index in range(2):
                opens = self.cleaned_data.get(f"d{weekday}_{index}_opens")
                closes = self.cleaned_data.get(f"d{weekday}_{index}_closes")
                if opens is None and closes is None:
                    continue
                if (
                    opens is None
                    or closes is None
                    or not (closes > opens or closes == time(0))
                ):
                    self.add_error(
                        f"d{weekday}_{index}_closes",
                        _("Give an opening and a later closing time."),
                    )
                    continue
                result.append((weekday, opens, closes))
        return result

    def rows(self):
        for weekday, label in OpeningPeriod.Weekday.choices:
            yield (
                label,
                [
                    (self[f"d{weekday}_{i}_opens"], self[f"d{weekday}_{i}_closes"])
                    for i in range(2)
                ],
            )


class ClosureForm(forms.Form):
    start = forms.DateTimeField(
        label=_("From"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    end = forms.DateTimeField(
        label=_("Until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        for name in ("start", "end"):
            value = data.get(name)
            if value and not datetime(2000, 1, 1, tzinfo=value.tzinfo) <= value <= (
                datetime(2100, 1, 1, tzinfo=value.tzinfo)
            ):
                self.add_error(name, _("That date is not possible."))
        return data


class ManagersForm(forms.Form):
    managers = forms.ModelMultipleChoiceField(
        label=_("Resource managers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They decide on requests and keep the rules of this resource."),
    )

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = User.objects.filter(
            memberships__organisation_id=resource.owner_id, is_active=True
        ).order_by("last_name", "first_name")
        self.initial.setdefault(
            "managers", list(resource.manager_links.values_list("user_id", flat=True))
        )


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds"))] + list(Resource.Kind.choices),
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner structure"),
        # Only structures that share something: the list stays short however many
        # member structures the PTCE has.
        queryset=Organisation.objects.filter(
            status=Organisation.Status.MEMBER,
            pk__in=Resource.objects.filter(
                status__in=(Resource.Status.ACTIVE, Resource.Status.PAUSED)
            ).values("owner_id"),
        ),
        required=False,
        empty_label=_("All structures"),
    )
    capacity = forms.IntegerField(
        label=_("At least (people)"), min_value=1, max_value=100_000, required=False
    )
    accessible = forms.BooleanField(
        label=_("Accessible to wheelchair users"), required=False
    )
    free_from = forms.DateTimeField(
        label=_("Free from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    free_until = forms.DateTimeField(
        label=_("Free until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("free_from"), data.get("free_until")
        if bool(start) != bool(end):
            self.add_error("free_until", _("Give both times, or neither."))
        elif start and end:
            now = timezone.now()
            if end <= start:
                self.add_error("free_until", _("The end must be after the start."))
            elif end - start > timezone.timedelta(days=31) or start.year > now.year + 5:
                self.add_error("free_until", _("Look at one month at most."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Resource.Status.choices)
    reason = forms.CharField(max_length=2000, required=False)


class PhotoForm(forms.Form):
    """Upload a photo; its checks (format, size) are resources.photos'."""

    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, 5 MB at most."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )
    alt = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        error_messages={
            "required": _("Describe the photo for people who cannot see it.")
        },
        help_text=_(
            "What the photo shows, for people who cannot see it "
            "(for example: « Salle claire, 12 chaises autour d’une table »)."
        ),
    )


class PhotoMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
