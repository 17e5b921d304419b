from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from resources.models import Resource

from . import availability
from .models import Booking

MAX_REASON = 2000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TimesMixin:
    """Local date and times → aware instants; a skipped local time is an error."""

    def _instants(self, day: date, start: time, end: time, end_day: date | None):
        end_day = end_day or day
        try:
            start_at = availability.local_datetime(day, start)
        except availability.NonExistentLocalTime as error:
            self.add_error("start_time", str(error))
            return None, None
        try:
            end_at = availability.local_datetime(end_day, end)
        except availability.NonExistentLocalTime as error:
            self.add_error("end_time", str(error))
            return None, None
        return start_at, end_at


class BookingFieldsForm(TimesMixin, forms.Form):
    """Times, quantity, people and purpose: what a request asks and a change alters."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_date = forms.DateField(
        label=_("Until (date)"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for a booking over several days."),
    )
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    attendees = forms.IntegerField(
        label=_("Number of people"), min_value=0, max_value=100_000, required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"), max_length=300, required=False, strip=True
    )

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["quantity"].validators.append(MaxValueValidator(resource.quantity))
        self.fields["quantity"].widget.attrs["max"] = resource.quantity
        if resource.quantity == 1:
            self.fields["quantity"].widget = forms.HiddenInput()
        if resource.kind != Resource.Kind.PREMISES:
            del self.fields["attendees"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            try:
                data["start"], data["end"] = self._instants(
                    day, start, end, data.get("end_date")
                )
            except OverflowError:
                raise forms.ValidationError(_("That date is not possible.")) from None
        return data


class BookingForm(BookingFieldsForm):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    field_order = ["organisation"]

    def __init__(self, *args, resource: Resource, organisations, **kwargs):
        super().__init__(*args, resource=resource, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )


class BookingChangeForm(BookingFieldsForm):
    """The booking page's change form, filled with the booking as it is (prefixed:
    the page's other forms have a reason field too)."""

    prefix = "modif"

    reason = forms.CharField(
        label=_("Why this change (told to the other side)"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, booking: Booking, **kwargs):
        start = timezone.localtime(booking.start)
        end = timezone.localtime(booking.end)
        kwargs.setdefault(
            "initial",
            {
                "date": start.date(),
                "start_time": start.time(),
                "end_date": end.date() if end.date() != start.date() else None,
                "end_time": end.time(),
                "quantity": booking.quantity,
                "attendees": booking.attendees,
                "purpose": booking.purpose,
            },
        )
        super().__init__(*args, resource=booking.resource, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (told to the other side)"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (told to the requester)"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchDecisionForm(DecisionForm):
    bookings = forms.ModelMultipleChoiceField(
        label=_("Requests"),
        queryset=Booking.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one request.")},
    )

    def __init__(self, *args, queue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bookings"].queryset = queue

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not data.get("reason"):
            self.add_error("reason", _("Say why you decline."))
        return data


def check_plausible(day: date | None) -> None:
    """Refuse dates calendars cannot page around (year 9999 would overflow)."""
    if day and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise forms.ValidationError(_("That date is not possible."))


class DayForm(forms.Form):
    date = forms.DateField(
        label=_("Day"),
        widget=DateInput(),
        required=False,
        validators=[check_plausible],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds"))] + list(Resource.Kind.choices),
        required=False,
    )


class NeedForm(TimesMixin, forms.Form):
    """A room for 12 with 2 projectors, free Tuesday 14:00–17:00."""

    date = forms.DateField(
        label=_("Date"), widget=DateInput(), validators=[check_plausible]
    )
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    kind = forms.ChoiceField(
        label=_("I need"),
        choices=list(Resource.Kind.choices),
        initial=Resource.Kind.PREMISES,
    )
    people = forms.IntegerField(
        label=_("For how many people"), min_value=1, max_value=100_000, required=False
    )
    accessible = forms.BooleanField(
        label=_("Accessible to wheelchair users"), required=False
    )
    text = forms.CharField(
        label=_("Words describing it"),
        max_length=100,
        required=False,
        help_text=_("For example: kitchen, van, accountant."),
    )
    equipment = forms.CharField(
        label=_("With equipment"),
        max_length=100,
        required=False,
        help_text=_("For example: projector."),
    )
    equipment_quantity = forms.IntegerField(
        label=_("How many"), min_value=1, max_value=1000, required=False, initial=1
    )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["start"], data["end"] = self._instants(day, start, end, None)
            if data["start"] and data["end"] and data["end"] <= data["start"]:
                self.add_error("end_time", _("The end must be after the start."))
        return data


def week_start(value: str | None, today: date) -> date:
    """The Monday of `value` (YYYY-MM-DD) or of today; junk means today."""
    try:
        day = datetime.strptime(value or "", "%Y-%m-%d").date()  # noqa: DTZ007
    except ValueError:
        day = today
    if not date(2000, 1, 1) <= day <= date(2100, 1, 1):
        day = today
    return day - timedelta(days=day.weekday())
