from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from pooling.forms import DateInput, TimeInput
from pooling.recurrence import (
    MAX_INTERVAL,
    MAX_OCCURRENCES,
    Frequency,
    Recurrence,
    RecurrenceError,
    monthly_position,
)
from resources.models import OpeningPeriod, Resource

WEEKDAYS = [(str(value), label) for value, label in OpeningPeriod.Weekday.choices]


class SeriesForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    first_date = forms.DateField(label=_("First date"), widget=DateInput())
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    frequency = forms.ChoiceField(
        label=_("Repeat"),
        choices=[
            (Frequency.WEEKLY, _("Every week, or every n weeks, on chosen days")),
            (
                Frequency.MONTHLY,
                _("Every month, on the same weekday (e.g. 2nd Tuesday)"),
            ),
        ],
        widget=forms.RadioSelect,
        initial=Frequency.WEEKLY,
    )
    interval = forms.IntegerField(
        label=_("Every (weeks or months)"),
        min_value=1,
        max_value=MAX_INTERVAL,
        initial=1,
    )
    weekdays = forms.MultipleChoiceField(
        label=_("On (weekly)"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    until = forms.DateField(label=_("Until (date)"), required=False, widget=DateInput())
    count = forms.IntegerField(
        label=_("Or number of occurrences"),
        min_value=1,
        max_value=MAX_OCCURRENCES,
        required=False,
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    attendees = forms.IntegerField(
        label=_("Number of people"), min_value=0, max_value=100_000, required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, required=False, strip=True
    )

    def __init__(self, *args, resource: Resource, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["quantity"].validators.append(MaxValueValidator(resource.quantity))
        if resource.quantity == 1:
            self.fields["quantity"].widget = forms.HiddenInput()
        if resource.kind != Resource.Kind.PREMISES:
            del self.fields["attendees"]

    def clean(self):
        data = super().clean()
        first, start, end = (
            data.get("first_date"),
            data.get("start_time"),
            data.get("end_time"),
        )
        if not (first and start and end and data.get("frequency")):
            return data
        if end <= start:
            raise forms.ValidationError(_("The end must be after the start."))
        data["duration"] = datetime.combine(first, end) - datetime.combine(first, start)
        options = {
            "frequency": data["frequency"],
            "interval": data.get("interval") or 1,
            "until": data.get("until"),
            "count": data.get("count"),
        }
        if data["frequency"] == Frequency.WEEKLY:
            days = [int(day) for day in data.get("weekdays") or []]
            options["weekdays"] = tuple(days or [first.weekday()])
        else:
            options["week_of_month"], options["weekday"] = monthly_position(first)
        recurrence = Recurrence(**options)
        try:
            recurrence.validate()
        except RecurrenceError as error:
            raise forms.ValidationError(str(error)) from None
        data["recurrence"] = recurrence
        return data
