"""Decisions and cancellations as actions of the Wagtail admin.

The admin is one more door to the same services: approving, declining (one or several
at once, with a reason) and cancelling call pooling.services, whose permission checks
refuse here exactly what they refuse on the site, and which notify and record the
history. Only people who may see bookings in the admin reach these views.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import permissions, services
from .forms import BatchDecisionForm, CancelForm
from .models import Booking
from .views import report_decisions


def _may_open(user) -> bool:
    return user.has_perm("pooling.view_booking")


class _BookingAdminView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not _may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("bookings:index"),
                "label": capfirst(Booking._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]


def _pending():
    return Booking.objects.filter(status=Booking.Status.PENDING).select_related(
        "resource__owner", "organisation", "booked_by"
    )


class BookingDecisionView(_BookingAdminView):
    """Approve or decline pending requests, one or several (?id=…&id=…)."""

    template_name = "pooling/admin/booking_decide.html"
    page_title = gettext_lazy("Decide on booking requests")

    def _queue(self):
        queue = _pending().order_by("start", "pk")
        ids = [value for value in self.request.GET.getlist("id") if value.isdigit()]
        if ids:
            queue = queue.filter(pk__in=ids)
        return queue

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None)
        queue = self._queue()
        if form is None:
            form = BatchDecisionForm(
                queue=queue,
                initial={"bookings": [b.pk for b in queue if self._decides(b)]},
            )
        rows = [(booking, self._decides(booking)) for booking in queue[:200]]
        return super().get_context_data(form=form, rows=rows, **kwargs)

    def _decides(self, booking) -> bool:
        # permissions.can_decide for a pending request, at a fixed cost per page.
        if not hasattr(self, "_decided_ids"):
            self._decided_ids = (
                permissions.approver_resource_ids(self.request.user) or set()
            )
        return booking.resource_id in self._decided_ids

    def post(self, request, *args, **kwargs):
        # Every pending request is a choice: the service, not the form, says who
        # may decide it (a crafted id is refused with the site's message).
        form = BatchDecisionForm(request.POST, queue=_pending())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        result = services.bookings_decide(
            bookings=form.cleaned_data["bookings"],
            by=request.user,
            approve=form.cleaned_data["decision"] == form.APPROVE,
            reason=form.cleaned_data["reason"],
        )
        report_decisions(request, result)
        if result.refused and not result.done:
            return self.render_to_response(self.get_context_data(form=form), status=403)
        return redirect("bookings:index")


class BookingCancelView(_BookingAdminView):
    """Cancel a booking, with a reason told to the other side."""

    template_name = "pooling/admin/booking_cancel.html"
    page_title = gettext_lazy("Cancel a booking")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.booking = get_object_or_404(
            Booking.objects.select_related("resource__owner", "organisation"),
            pk=kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            booking=self.booking,
            form=kwargs.pop("form", None) or CancelForm(),
            may_cancel=permissions.can_cancel(self.request.user, self.booking),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = CancelForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.booking_cancel(
                booking=self.booking,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied:
            messages.error(request, _("You may not cancel this booking."))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("The booking is cancelled."))
        return redirect("bookings:inspect", self.booking.pk)
