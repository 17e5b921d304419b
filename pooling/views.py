"""Booking pages: thin over the availability engine and the services."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Organisation
from members.standing import request_standing
from ptce.dates import day_format
from ptce.pagecache import LocalTier, request_content_version, versioned
from ptce.personcache import request_value
from ptce.selectors import audit_for_target
from ptce.templatetags.ptce_pages import navigation
from resources import selectors as resource_selectors
from resources.forms import CatalogueFilterForm
from resources.models import Resource

from . import availability, permissions, selectors, services
from . import search as need_search
from .booking_rows import booking_items
from .forms import (
    BatchDecisionForm,
    BookingChangeForm,
    BookingForm,
    CancelForm,
    DayForm,
    DecisionForm,
    NeedForm,
    week_start,
)
from .models import Booking


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _resource_or_404(request, pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("owner"), pk=pk)
    if not permissions.can_view_resource(request.user, resource):
        raise Http404
    return resource


# --- Calendars -----------------------------------------------------------------------
# The calendars' shared parts, keyed by what visitors type (a week, a day, a page):
# in a process memory of their own, never in Redis (ptce.pagecache.versioned).
_calendar_tier = LocalTier(max_entries=2_000)


def _quarter(now) -> str:
    """`now` floored to the quarter hour. Every cell of the grids ends on a quarter
    hour (steps of 30 min at least, from a whole hour), so a grid cached under it
    shows past and free cells exactly as one computed now."""
    return f"{now:%Y%m%d%H}{now.minute // 15}"


@dataclass(frozen=True)
class WeekBooking:
    """A booking of the week's list, both ways it can be shown: with its details
    (to its booker's and the owner's people, the resource's managers and the
    coordinators) and as a mere « taken »."""

    booked_by_id: int | None
    organisation_id: int
    details: str
    plain: str


@dataclass(frozen=True)
class WeekPage:
    """What a resource's week shows to everyone: the resource's facts, the grid and
    the bookings (each both ways), rendered once per content version."""

    pk: int
    name: str
    quantity: int
    owner_id: int
    withdrawn: bool
    url: str
    grid: str
    bookings: tuple[WeekBooking, ...]


def _week_page(pk: int, monday, now) -> WeekPage | str:
    resource = Resource.objects.select_related("owner").filter(pk=pk).first()
    if resource is None:
        return "missing"  # cached too: an unknown id costs no query on a hit
    days, rows = selectors.week_grid(resource, monday, now=now)
    grid = render_to_string(
        "pooling/_week_grid.html",
        {
            "resource": resource,
            "days": days,
            "rows": rows,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
        },
    )
    midnight = timezone.datetime.min.time()
    start = availability._instant(monday, midnight)
    end = availability._instant(monday + timedelta(days=7), midnight)
    taken = _("taken")
    bookings = []
    for booking in selectors.week_bookings(resource, start, end):
        when = format_html(
            "{} → {}{}",
            day_format(timezone.localtime(booking.start), "l j F H:i"),
            f"{timezone.localtime(booking.end):%H:%M}",
            f" ×{booking.quantity}" if booking.quantity > 1 else "",
        )
        purpose = format_html(" : {}", booking.purpose) if booking.purpose else ""
        bookings.append(
            WeekBooking(
                booking.booked_by_id,
                booking.organisation_id,
                format_html(
                    '<li>{} — <a href="{}">{}</a>{} · '
                    '<span class="status status--{}">{}</span></li>',
                    when,
                    booking.get_absolute_url(),
                    booking.organisation_name,
                    purpose,
                    booking.status,
                    booking.get_status_display(),
                ),
                format_html("<li>{} — {}</li>", when, taken),
            )
        )
    return WeekPage(
        pk=resource.pk,
        name=resource.name,
        quantity=resource.quantity,
        owner_id=resource.owner_id,
        withdrawn=resource.status == Resource.Status.WITHDRAWN,
        url=resource.get_absolute_url(),
        grid=grid,
        bookings=tuple(bookings),
    )


def _week_bookings_html(request, week: WeekPage) -> str:
    """The week's bookings as this person may see them (permissions.sees_details)."""
    facts = permissions.request_viewer_facts(request)
    if facts is None:
        return "".join(b.plain for b in week.bookings)
    mine, managed, everything = facts
    pk = request.user.pk
    return "".join(
        b.details
        if everything
        or permissions.sees_details(
            pk,
            mine,
            managed,
            booked_by_id=b.booked_by_id,
            organisation_id=b.organisation_id,
            owner_id=week.owner_id,
            resource_id=week.pk,
        )
        else b.plain
        for b in week.bookings
    )


def week_view(request, pk: int):
    """A resource's week: the grid and the bookings are the same for everyone but
    for who booked and why, so they are rendered once per content version (a
    booking, a resource, its hours or a closure saved bump it), language and
    quarter hour; each row of the bookings is kept both ways and the viewer's
    structures (cached) choose. A hit costs no query."""
    today = timezone.localdate()
    monday = week_start(request.GET.get("semaine"), today)
    now = timezone.now()
    week = versioned(
        request,
        ("pooling:week", pk, monday.isoformat(), get_language(), _quarter(now)),
        lambda: _week_page(pk, monday, now),
        tier=_calendar_tier,
        shared=False,
    )
    if week == "missing":
        raise Http404
    if week.withdrawn:
        # Only its managers and the coordinators may still see it.
        _resource_or_404(request, pk)
    return render(
        request,
        "pooling/week.html",
        {
            "resource": week,
            "grid": mark_safe(week.grid),  # rendered by _week_page, escaped there
            "taken": mark_safe(_week_bookings_html(request, week)),  # format_html
            "monday": monday,
        },
    )


def day_view(request):
    """Every shared resource's day: the same for everyone (it shows no booking's
    details), rendered once per content version, language, quarter hour and query
    string; a hit validates no form and runs no query."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    now = timezone.now()
    body = versioned(
        request,
        ("pooling:day", get_language(), _quarter(now), query),
        lambda: _day_body(request.GET, now),
        tier=_calendar_tier,
        shared=False,
    )
    # Rendered by _day_body without the request: nothing of the person's in it.
    return render(request, "pooling/day.html", {"body": mark_safe(body)})


def _day_body(params, now) -> str:
    form = DayForm(params or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    day = data.get("date") or timezone.localdate(now)
    resources = selectors.bookable_resources()
    if data.get("kind"):
        resources = resources.filter(kind=data["kind"])
    page_obj = Paginator(
        resources.order_by("kind", "name", "pk"), DAY_PAGE_SIZE
    ).get_page(params.get("page"))
    hours, rows = selectors.day_grid(list(page_obj), day, now=now)
    kind = {"kind": data["kind"]} if data.get("kind") else {}
    return render_to_string(
        "pooling/_day_body.html",
        {
            "form": form,
            "day": day,
            "hours": hours,
            "rows": rows,
            "page_obj": page_obj,
            # Pages keep the day and the kind; days keep the kind.
            "extra": "&" + urlencode({"date": day.isoformat(), **kind}),
            "kind_query": ("&" + urlencode(kind)) if kind else "",
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
        },
    )


# --- Booking -------------------------------------------------------------------------
@login_required
def booking_create(request, pk: int):
    resource = _resource_or_404(request, pk)
    organisations = permissions.bookable_organisations(request.user)
    if not organisations:
        messages.error(request, _("You must act for a member structure to book."))
        return redirect(resource.get_absolute_url())
    initial = {
        "date": request.GET.get("date"),
        "start_time": request.GET.get("start"),
        "end_time": request.GET.get("end"),
        "quantity": 1,
    }
    form = BookingForm(
        request.POST or None,
        initial=initial,
        resource=resource,
        organisations=organisations,
    )
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_request(
                resource=resource,
                organisation=data["organisation"],
                by=request.user,
                start=data["start"],
                end=data["end"],
                quantity=data["quantity"],
                purpose=data["purpose"],
                attendees=data.get("attendees"),
            )
        except ValidationError as error:
            refusal = _messages_of(error)
        else:
            if booking.status == booking.Status.CONFIRMED:
                messages.success(request, _("Your booking is confirmed."))
            else:
                messages.success(
                    request,
                    _("Your request is sent: the owner will approve or decline it."),
                )
            return redirect(booking.get_absolute_url())
    return render(
        request,
        "pooling/booking_form.html",
        {"resource": resource, "form": form, "refusal": refusal},
        status=400 if refusal else 200,
    )


@login_required
@require_POST
def set_create(request):
    """Book the resources chosen in the search by need, all or nothing."""
    form = NeedForm(request.POST)
    organisations = permissions.bookable_organisations(request.user)
    organisation = next(
        (o for o in organisations if str(o.pk) == request.POST.get("organisation")),
        None,
    )
    if not form.is_valid() or organisation is None:
        messages.error(request, _("This request is incomplete. Search again."))
        return redirect("pooling:search")
    parts = need_search.parts_from_post(request.POST)
    if not parts:
        messages.error(request, _("Choose at least one resource."))
        return redirect("pooling:search")
    data = form.cleaned_data
    try:
        bookings = services.booking_set_request(
            parts=parts,
            organisation=organisation,
            by=request.user,
            start=data["start"],
            end=data["end"],
            purpose=request.POST.get("purpose", "")[:300],
            attendees=data.get("people"),
        )
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect(f"{reverse('pooling:search')}?{request.POST.urlencode()}")
    messages.success(
        request,
        ngettext("%(n)d booking made.", "%(n)d bookings made.", len(bookings))
        % {"n": len(bookings)},
    )
    return redirect("pooling:my_space")


def _booking_or_404(request, pk: int):
    booking = selectors.booking_for_page(pk=pk)
    if booking is None or not permissions.can_view_booking(request.user, booking):
        raise Http404
    return booking


def _detail(request, booking, *, change_form=None, refusal=(), status=200):
    can_change = permissions.can_change(request.user, booking)
    return render(
        request,
        "pooling/booking_detail.html",
        {
            "booking": booking,
            "history": list(audit_for_target(booking)),
            "can_cancel": permissions.can_cancel(request.user, booking),
            "can_decide": permissions.can_decide(request.user, booking),
            "can_change": can_change,
            "change_form": change_form
            or (BookingChangeForm(booking=booking) if can_change else None),
            "change_refusal": list(refusal),
            "cancel_form": CancelForm(),
            "decision_form": DecisionForm(),
            "span": availability.fmt_span(booking.start, booking.end),
        },
        status=status,
    )


@login_required
def booking_detail(request, pk: int):
    return _detail(request, _booking_or_404(request, pk))


@login_required
def booking_change(request, pk: int):
    """The change form of the booking page (GET: that page, at the form)."""
    booking = _booking_or_404(request, pk)
    if request.method != "POST":
        return redirect(f"{booking.get_absolute_url()}#modifier")
    if not permissions.can_change(request.user, booking):
        messages.error(request, _("This booking can no longer be changed."))
        return redirect(booking.get_absolute_url())
    form = BookingChangeForm(request.POST, booking=booking)
    if not form.is_valid():
        return _detail(request, booking, change_form=form, status=400)
    data = form.cleaned_data
    try:
        changed = services.booking_change(
            booking=booking,
            by=request.user,
            start=data["start"],
            end=data["end"],
            quantity=data["quantity"],
            purpose=data["purpose"],
            attendees=data.get("attendees"),
            reason=data["reason"],
        )
    except ValidationError as error:
        return _detail(
            request, booking, change_form=form, refusal=error.messages, status=400
        )
    except PermissionDenied:
        raise Http404 from None
    if changed.status == changed.Status.PENDING:
        messages.success(
            request,
            _("The booking is changed; it waits for the owner's approval."),
        )
    else:
        messages.success(request, _("The booking is changed."))
    return redirect(changed.get_absolute_url())


@login_required
@require_POST
def booking_cancel(request, pk: int):
    booking = _booking_or_404(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long."))
        return redirect(booking.get_absolute_url())
    try:
        services.booking_cancel(
            booking=booking, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect(booking.get_absolute_url())


@login_required
@require_POST
def booking_decide(request, pk: int):
    booking = _booking_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or decline."))
        return redirect(booking.get_absolute_url())
    approve = form.cleaned_data["decision"] == DecisionForm.APPROVE
    try:
        services.booking_decide(
            booking=booking,
            by=request.user,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(
            request, _("Request approved.") if approve else _("Request declined.")
        )
    return redirect(booking.get_absolute_url())


APPROVALS_PAGE_SIZE = 50
# Resources per page of the day view (each row is a resource's day).
DAY_PAGE_SIZE = 20


def report_decisions(request, result) -> None:
    """What a batch of decisions did, as messages (the site's queue and the admin's)."""
    if result.done:
        messages.success(
            request,
            ngettext(
                "%(n)d request handled.", "%(n)d requests handled.", len(result.done)
            )
            % {"n": len(result.done)},
        )
    for booking, message in result.refused:
        messages.error(request, f"{booking} : {message}")


@login_required
def approvals(request):
    if request.method == "POST":
        queue = selectors.pending_for_approver(request.user)
        form = BatchDecisionForm(request.POST, queue=queue)
        if form.is_valid():
            result = services.bookings_decide(
                bookings=form.cleaned_data["bookings"],
                by=request.user,
                approve=form.cleaned_data["decision"] == form.APPROVE,
                reason=form.cleaned_data["reason"],
            )
            report_decisions(request, result)
            return redirect("pooling:approvals")
        # Refused: the page again with what was ticked, never kept.
        shown = _approval_rows(queue, request.GET.get("page"), form["bookings"].value())
        status = 400
    else:
        form = BatchDecisionForm(queue=Booking.objects.none())
        shown = _kept_approval_rows(request)
        status = 200
    has_rows, rows, pagination = shown
    return render(
        request,
        "pooling/approvals.html",
        {
            "form": form,
            "has_rows": has_rows,
            "rows": mark_safe(rows),  # rendered by _approval_rows, escaped there
            "pagination": mark_safe(pagination),
        },
        status=status,
    )


# The approval queue's pages, per set of resources: in a memory of their own (the
# page number is the visitor's to type).
_approvals_tier = LocalTier(max_entries=500)


def _kept_approval_rows(request) -> tuple[bool, str, str]:
    """The queue is the same for every approver of the same resources: its rows and
    pagination are rendered once per set of resources (the person's cached
    permissions.approver_resource_ids), page, content version (a request made,
    decided or cancelled bumps it) and language. No CSRF token, no ticked box and
    no error in them: the form around them is the person's."""
    ids = permissions.request_approver_resource_ids(request) or frozenset()
    number = request.GET.get("page") or "1"

    def build() -> tuple[bool, str, str]:
        queue = selectors.pending_for_approver(request.user, ids)
        return _approval_rows(queue, number, ())

    if not re.fullmatch(r"-?\d{1,6}", number):
        return build()  # page 1, as the paginator says
    audience = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()
    return versioned(
        request,
        ("pooling:approvals", get_language(), audience, number),
        build,
        tier=_approvals_tier,
        shared=False,
    )


def _approval_rows(queue, number, checked) -> tuple[bool, str, str]:
    """(any row on the page, its rows, its pagination), without the request.

    Soonest first, a page at a time: the form still accepts any request of the
    whole queue, the page only shows APPROVALS_PAGE_SIZE of them."""
    page_obj = selectors.approval_page(queue, number, APPROVALS_PAGE_SIZE)
    rows = render_to_string(
        "pooling/_approval_rows.html",
        {"bookings": page_obj.object_list, "checked": checked or ()},
    )
    pagination = navigation(page_obj)
    return bool(page_obj.object_list), str(rows), str(pagination)


@login_required
def my_space(request):
    """The person's upcoming bookings (kept per person under the content version,
    see _own_upcoming; rows written in Python) and their structures' (shared by
    everyone with the same structures, see _upcoming); the counts and the feed token
    from their cached values. Warm, no query."""
    mine, structures = _upcoming(request, timezone.now())
    return render(
        request,
        "pooling/my_space.html",
        {
            # Rows written and escaped by pooling.booking_rows, joined here.
            "mine": mark_safe("".join(mine)),
            "structures": mark_safe("".join(structures)),
            "pending_count": selectors.pending_count_for(request),
            "manages": permissions.request_approver_resource_ids(request),
        },
    )


def _resource_names() -> dict[int, str]:
    """Every resource's name by id, for the rows of Mon espace (read, never changed:
    kept per content version in process memory)."""
    return dict(Resource.objects.values_list("pk", "name"))


# The structures' list kept for an audience holds this many rows, so that the viewer's
# own (left out) and those that end meanwhile still leave a full list.
STRUCTURES_SHARED_ROWS = 3 * selectors.UPCOMING_LIMIT


def _upcoming(request, now) -> tuple[list[str], list[str]]:
    """Mon espace's two lists, as rows (pooling.booking_rows).

    « My structures' bookings » is the same for everyone with the same structures
    (from their cached standing): its rows are written once per content version
    (every booking saved bumps it), language and set of structures, and read with
    the person's own in one query when they are not kept yet. The viewer's own
    bookings (in « mine ») and those ended since are left out of it here; in the
    rare case that leaves too few, the list is read for them alone."""
    user = request.user
    standing = request_standing(request)
    ids = sorted({row[0] for row in standing["memberships"]}) if standing else []
    limit = selectors.UPCOMING_LIMIT
    mine = None

    def read_own():
        names = selectors.Names(
            versioned(
                request, ("pooling:resource-names",), _resource_names, shared=False
            ),
            {row[0]: row[2] for row in standing["memberships"]} if standing else {},
        )
        return selectors.user_upcoming(user, now=now, names=names)

    def own():
        return _own_upcoming(request, now, lambda: read_own() if mine is None else mine)

    if not ids:
        return booking_items(own()), []

    def build():
        nonlocal mine
        mine, rows = selectors.upcoming_both(
            user, ids, now=now, limit=STRUCTURES_SHARED_ROWS
        )
        items = zip(rows, booking_items(rows), strict=True)
        return tuple((row[7], row[4], html) for row, html in items)

    shared = versioned(
        request,
        ("pooling:structures-upcoming", get_language(), ",".join(map(str, ids))),
        build,
    )
    # The person's own: read with the structures' rows when those were not kept,
    # else from their cached value (or alone).
    mine = own()
    me = user.pk  # once: request.user is a lazy object
    theirs = [html for by, end, html in shared if by != me and end > now][:limit]
    if len(theirs) < limit and len(shared) == STRUCTURES_SHARED_ROWS:
        rows = selectors.organisations_upcoming(ids, now=now, exclude_booker=user)
        theirs = booking_items(rows)
    return booking_items(mine), theirs


def _own_upcoming(request, now, read) -> list[tuple]:
    """The person's own upcoming bookings (selectors.user_upcoming's rows), kept per
    person with the content version they were read under (ptce.personcache, in the
    request's one batch): every booking, resource or structure saved bumps it, so
    they are never stale but for time passing — those ended since are left out
    here, and a full list that lost some is read again (more may follow)."""
    version = request_content_version(request)
    if version is None:  # the cache is down: nothing is kept
        return list(read())
    limit = selectors.UPCOMING_LIMIT

    def fresh(kept) -> bool:
        read_under, rows = kept
        if read_under != version:
            return False
        return len(rows) < limit or all(row[4] > now for row in rows)

    _version, rows = request_value(
        request,
        selectors.OWN_UPCOMING,
        lambda: (version, tuple(read())),
        fresh=fresh,
    )
    return [row for row in rows if row[4] > now]


# --- Search by need ------------------------------------------------------------------
# The search's parts, keyed by what visitors type: a process memory of their own.
_search_tier = LocalTier(max_entries=1_000)


@dataclass(frozen=True)
class SearchParts:
    """What a search shows to everyone, rendered without the request: the form (with
    its errors) and, when it was valid, the results on either side of the booking
    fieldset, which is the person's (their structures) with the CSRF token."""

    form: str
    results: str = ""  # empty: no search made yet, or an invalid one
    almost: str = ""
    bookable: bool = False  # something fits: the booking fieldset is offered


def search(request):
    """Results do not depend on who searches: they are rendered once per content
    version (every booking, resource or closure saved bumps it), language, minute
    and query string. The minute bounds how long a result can lag the clock (a
    slot's notice running out); the booking service checks again when booking."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    now = timezone.now()
    parts = versioned(
        request,
        ("pooling:search", get_language(), f"{now:%Y%m%d%H%M}", query),
        lambda: _search_parts(request.GET, now),
        tier=_search_tier,
        shared=False,
    )
    return render(
        request,
        "pooling/search.html",
        {
            # Rendered by _search_parts without the request, escaped there.
            "form_html": mark_safe(parts.form),
            "results_html": mark_safe(parts.results),
            "almost_html": mark_safe(parts.almost),
            "bookable": parts.bookable,
            "organisations": _bookable_structures(request) if parts.bookable else [],
        },
    )


def _search_parts(params, now) -> SearchParts:
    form = NeedForm(params or None)
    context = {"form": form, "results": None}
    if form.is_bound and form.is_valid() and form.cleaned_data.get("start"):
        context["results"] = need_search.search(form.cleaned_data, now=now)
    form_html = render_to_string("pooling/_search_form.html", context)
    results = context["results"]
    if results is None:
        return SearchParts(form_html)
    return SearchParts(
        form_html,
        render_to_string("pooling/_search_results.html", context),
        render_to_string("pooling/_search_almost.html", context),
        bool(results.fits or results.equipment_fits),
    )


def _bookable_structures(request) -> list[Organisation]:
    """The structures the person may book for (permissions.bookable_organisations),
    from their cached standing: no query on a hit."""
    standing = request_standing(request)
    if standing is None:
        return []
    return sorted(
        (
            Organisation(pk=pk, name=name, slug=slug, status=status)
            for pk, _role, name, slug, status in standing["memberships"]
            if status == Organisation.Status.MEMBER
        ),
        key=lambda organisation: organisation.name,
    )


# --- Catalogue -----------------------------------------------------------------------
CATALOGUE_PAGE_SIZE = 20


# The catalogue's bodies, per content version and query: in a memory of their own, so
# that what visitors type cannot push the header's fragments out.
_catalogue_tier = LocalTier(max_entries=1_000)


def catalogue(request):
    """The filters and the cards are the same for everyone: rendered once per content
    version (a booking, a resource or a closure saved bumps it), language and query
    string; a hit validates no form and runs no query. Only the links to the
    viewer's own structures' resources are theirs."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    body = versioned(
        request,
        ("pooling:catalogue", get_language(), query),
        lambda: _catalogue_body(request.GET),
        tier=_catalogue_tier,
        shared=False,
    )
    return render(
        request,
        "pooling/catalogue.html",
        {
            "body": mark_safe(body),  # rendered by _catalogue_body, escaped there
            "can_add": _own_structures_adding(request),
        },
    )


def _own_structures_adding(request) -> list[Organisation]:
    """The viewer's member structures where they may add a resource, from their
    cached standing (members.standing, which also primes the role checks): no
    query on a hit."""
    standing = request_standing(request)
    if standing is None:
        return []
    structures = (
        Organisation(pk=pk, name=name, slug=slug, status=status)
        for pk, _role, name, slug, status in standing["memberships"]
        if status == Organisation.Status.MEMBER
    )
    return [o for o in structures if permissions.can_create_resource(request.user, o)]


def _catalogue_body(params) -> str:
    form = CatalogueFilterForm(params or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    resources = resource_selectors.catalogue(
        text=data.get("q", ""),
        kind=data.get("kind", ""),
        owner=data.get("owner"),
        capacity=data.get("capacity"),
        accessible=data.get("accessible", False),
    )
    if data.get("free_from") and data.get("free_until"):
        resources = selectors.free_between(
            list(resources), data["free_from"], data["free_until"]
        )
    page_obj = Paginator(resources, CATALOGUE_PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    # Without the request: nothing of the person's can get in.
    return render_to_string(
        "pooling/_catalogue_body.html",
        {
            "form": form,
            "page_obj": page_obj,
            "resources": page_obj.object_list,
            "extra": f"&{query.urlencode()}" if query else "",
        },
    )
