"""Recurring bookings: a form, the list of occurrences (free or not), then booking
the free ones; and "cancel this and all following" on a booking of a series."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pooling import permissions
from pooling.forms import CancelForm
from pooling.models import Booking
from resources.models import Resource

from . import series
from .forms import SeriesForm

MAX_DATES = 400


def _resource(request, pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("owner"), pk=pk)
    if not permissions.can_view_resource(request.user, resource):
        raise Http404
    return resource


def _chosen_dates(request) -> set[date]:
    chosen = set()
    for value in request.POST.getlist("dates")[:MAX_DATES]:
        try:
            chosen.add(date.fromisoformat(value))
        except ValueError:
            continue
    return chosen


@login_required
def series_create(request, pk: int):
    resource = _resource(request, pk)
    organisations = permissions.bookable_organisations(request.user)
    if not organisations:
        messages.error(request, _("You must act for a member structure to book."))
        return redirect(resource.get_absolute_url())
    form = SeriesForm(
        request.POST or None, resource=resource, organisations=organisations
    )
    checks, refusal = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "resource": resource,
            "organisation": data["organisation"],
            "by": request.user,
            "recurrence": data["recurrence"],
            "first_date": data["first_date"],
            "start_time": data["start_time"],
            "duration": data["duration"],
            "quantity": data["quantity"],
            "attendees": data.get("attendees"),
        }
        try:
            if request.POST.get("action") == "book":
                booked = series.series_book(
                    **common, dates=_chosen_dates(request), purpose=data["purpose"]
                )
                count = booked.occurrences.count()
                messages.success(
                    request,
                    ngettext(
                        "%(count)d occurrence is booked.",
                        "%(count)d occurrences are booked.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("pooling:my_space")
            checks = series.series_preview(**common)
        except ValidationError as error:
            refusal = list(error.messages)
        except PermissionDenied:
            form.add_error("organisation", _("You may not book for this structure."))
    return render(
        request,
        "pooling/calendars/series_form.html",
        {
            "resource": resource,
            "form": form,
            "checks": checks,
            "free_count": sum(1 for check in checks or [] if check.free),
            "refusal": refusal,
        },
    )


@require_POST
@login_required
def series_cancel_following(request, pk: int):
    booking = get_object_or_404(Booking.objects.select_related("resource"), pk=pk)
    if not permissions.can_view_booking(request.user, booking):
        raise Http404
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancelled = series.series_cancel_following(
            booking=booking, by=request.user, reason=reason
        )
    except PermissionDenied:
        messages.error(request, _("You may not cancel this booking."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d occurrence is cancelled.",
                "%(count)d occurrences are cancelled.",
                len(cancelled),
            )
            % {"count": len(cancelled)},
        )
    return redirect(booking.get_absolute_url())
