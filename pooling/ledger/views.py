"""Monthly statements: per structure (référents, coordinators) and PTCE-wide
(coordinators), as a page, a printable page and a CSV download."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Membership, Organisation
from members.permissions import is_coordinator
from members.standing import request_standing
from ptce.pagecache import LocalTier, render_with_part, versioned
from resources.models import Resource

from . import periods, permissions, quota_services, selectors, services
from .forms import QuotaForm
from .models import LedgerLine, Quota
from .templatetags.ledger import month_label


def _period(year: int, month: int) -> date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def _month_links(period: date) -> dict:
    previous, following = periods.previous_month(period), periods.next_month(period)
    return {
        "previous": previous,
        "following": following
        if following <= periods.next_month(periods.current_month())
        else None,
    }


@login_required
def statement_index(request):
    organisations = selectors.statement_organisations(request.user)
    is_coordinator = permissions.can_view_ptce_statement(request.user)
    if not organisations and not is_coordinator:
        raise PermissionDenied
    current = periods.current_month()
    months = [current]
    for _i in range(11):
        months.append(periods.previous_month(months[-1]))
    return render(
        request,
        "pooling/ledger/statement_index.html",
        {
            "organisations": organisations,
            "is_coordinator": is_coordinator,
            "months": months,
            "closed": {closed.period for closed in selectors.closed_months()},
        },
    )


def _structure_allowed(request, slug: str, year: int, month: int):
    period = _period(year, month)
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_view_statement(request.user, organisation):
        raise PermissionDenied
    return organisation, period


# Statement bodies (~190 KiB for a busy structure's month): a memory of their own,
# small, so that they cannot push the header's fragments out.
_statement_tier = LocalTier(max_entries=40)


def _readable_structure(request, slug: str, year: int, month: int):
    """(structure, month) whose statement the viewer may read, else 404 or 403.

    Their structures, roles and coordinator flag come from their cached standing
    (members.standing, which primes the role checks): a référent reading their own
    structure's statement costs no query; anyone else, the structure by its slug."""
    period = _period(year, month)
    standing = request_standing(request)
    organisation = next(
        (
            Organisation(pk=pk, name=name, slug=slug, status=status)
            for pk, _role, name, own_slug, status in (
                standing["memberships"] if standing else ()
            )
            if own_slug == slug
        ),
        None,
    ) or get_object_or_404(
        Organisation.objects.only("name", "slug", "status"), slug=slug
    )
    if not permissions.can_view_statement(request.user, organisation):
        raise PermissionDenied
    return organisation, period


def _statement_page(request, slug: str, year: int, month: int, *, print_view: bool):
    """The statement is the same for everyone allowed to read it: its body is
    rendered once per structure, month, view (page or print), content version (a
    ledger line, a closed month, a booking or a structure saved bumps it) and
    language, without the request (nothing of the viewer's can get in)."""
    organisation, period = _readable_structure(request, slug, year, month)
    current = periods.current_month()

    def build() -> bytes:
        statement = selectors.structure_statement(
            organisation=organisation, period=period
        )
        links = {} if print_view else _month_links(period)
        return render_to_string(
            "pooling/ledger/_structure_statement_body.html",
            {"statement": statement, "print": print_view, **links},
        ).encode()

    body = versioned(
        request,
        (
            "ledger:statement-bytes",  # UTF-8 bytes (render_with_part)
            organisation.pk,
            f"{period:%Y-%m}",
            "print" if print_view else "page",
            f"{current:%Y-%m}",  # the « next month » link stops there
            get_language(),
        ),
        build,
        tier=_statement_tier,
    )
    # The body, rendered from our template and escaped there, spliced in as bytes.
    return render_with_part(
        request,
        "pooling/ledger/structure_statement.html",
        {"organisation": organisation, "period": period, "print": print_view},
        name="body",
        part=body,
    )


@login_required
def structure_statement(request, slug: str, year: int, month: int):
    return _statement_page(request, slug, year, month, print_view=False)


@login_required
def structure_statement_print(request, slug: str, year: int, month: int):
    return _statement_page(request, slug, year, month, print_view=True)


def _columns(*, with_parties: bool):
    from ptce.exports import Column

    columns = [
        Column(gettext_lazy("Month"), lambda line: line.period.strftime("%m/%Y")),
        Column(
            gettext_lazy("Month of use"),
            lambda line: line.service_month.strftime("%m/%Y"),
        ),
        Column(gettext_lazy("Line"), lambda line: line.get_kind_display()),
    ]
    if with_parties:
        columns += [
            Column(gettext_lazy("User structure"), lambda line: line.user.name),
            Column(gettext_lazy("Provider structure"), lambda line: line.provider.name),
        ]
    return columns + [
        Column(gettext_lazy("Resource"), lambda line: line.label),
        Column(
            gettext_lazy("Kind of resource"),
            lambda line: line.get_resource_kind_display(),
        ),
        Column(gettext_lazy("Start"), lambda line: line.start),
        Column(gettext_lazy("End"), lambda line: line.end),
        Column(gettext_lazy("Quantity"), lambda line: line.quantity),
        Column(gettext_lazy("Units charged"), lambda line: line.units),
        Column(gettext_lazy("Price unit"), lambda line: line.get_price_unit_display()),
        Column(gettext_lazy("Unit price excl. VAT"), lambda line: line.unit_price),
        Column(gettext_lazy("Amount excl. VAT"), lambda line: line.amount_excl_vat),
        Column(gettext_lazy("VAT regime"), lambda line: line.get_vat_regime_display()),
        Column(gettext_lazy("VAT rate (%)"), lambda line: line.vat_rate),
        Column(gettext_lazy("VAT"), lambda line: line.vat_amount),
        Column(gettext_lazy("Amount incl. VAT"), lambda line: line.amount_incl_vat),
        Column(gettext_lazy("Itemised costs"), _cost_text),
    ]


def _cost_text(line: LedgerLine) -> str:
    return " ; ".join(
        f"{item['label']} : {item['amount']}".replace(".", ",")
        for item in line.cost_items
    )


@login_required
def structure_statement_csv(request, slug: str, year: int, month: int):
    from ptce.exports import export_response

    organisation, period = _structure_allowed(request, slug, year, month)
    rows = selectors.structure_lines(organisation=organisation, period=period)
    return export_response(
        filename=f"releve-{organisation.slug}-{period:%Y-%m}",
        columns=_columns(with_parties=True),
        rows=rows,
    )


# A printed PTCE statement stops there; every line is in the CSV export.
PRINTED_LINES = 500


def _ptce_period(request, year: int, month: int) -> date:
    period = _period(year, month)
    if not permissions.can_view_ptce_statement(request.user):
        raise PermissionDenied
    return period


def _ptce(request, year: int, month: int, **page):
    return selectors.ptce_statement(period=_ptce_period(request, year, month), **page)


@login_required
def ptce_statement(request, year: int, month: int):
    statement = _ptce(request, year, month, page=request.GET.get("page"))
    return render(
        request,
        "pooling/ledger/ptce_statement.html",
        {
            "statement": statement,
            "print": False,
            "can_close": statement.closed is None
            and statement.period < periods.current_month(),
            **_month_links(statement.period),
        },
    )


@login_required
def ptce_statement_print(request, year: int, month: int):
    statement = _ptce(request, year, month, per_page=PRINTED_LINES)
    return render(
        request,
        "pooling/ledger/ptce_statement.html",
        {"statement": statement, "print": True},
    )


@login_required
def ptce_statement_csv(request, year: int, month: int):
    from ptce.exports import export_response

    period = _ptce_period(request, year, month)
    return export_response(
        filename=f"releve-ptce-{period:%Y-%m}",
        columns=_columns(with_parties=True),
        rows=selectors.ptce_lines(period=period).iterator(chunk_size=2000),
    )


@require_POST
@login_required
def month_close(request, year: int, month: int):
    period = _period(year, month)
    if not permissions.can_close_month(request.user):
        raise PermissionDenied
    try:
        services.month_close(period=period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(month)s is closed: its statement is final.")
            % {"month": month_label(period).capitalize()},
        )
    return redirect(
        reverse(
            "pooling_ledger:ptce", kwargs={"year": period.year, "month": period.month}
        )
    )


# --- Quotas --------------------------------------------------------------------------
def _quota_scope(user):
    """(owners whose resources `user` may cap, or None for every owner)."""
    if is_coordinator(user):
        return None
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.REFERENT
    )


@login_required
def quotas(request):
    owners = _quota_scope(request.user)
    if owners is not None and not owners.exists():
        raise PermissionDenied
    resources = Resource.objects.exclude(
        status=Resource.Status.WITHDRAWN
    ).select_related("owner")
    listed = Quota.objects.select_related("organisation", "resource", "owner")
    if owners is not None:
        resources = resources.filter(owner__in=owners)
        listed = listed.filter(Q(resource__owner__in=owners) | Q(owner__in=owners))
    form = QuotaForm(
        request.POST or None,
        organisations=Organisation.objects.filter(status=Organisation.Status.MEMBER),
        resources=resources,
        owners=owners if owners is not None else Organisation.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            quota_services.quota_set(
                by=request.user,
                organisation=data["organisation"],
                hours_per_month=data["hours_per_month"],
                resource=data["resource"],
                resource_kind=data["resource_kind"],
                owner=data["owner"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(
                "owner", _("You may only cap the use of your structure's resources.")
            )
        else:
            messages.success(request, _("The quota is saved."))
            return redirect("pooling_ledger:quotas")
    return render(
        request,
        "pooling/ledger/quotas.html",
        {"form": form, "quotas": listed.order_by("organisation__name", "pk")},
    )


@require_POST
@login_required
def quota_delete(request, pk: int):
    quota = get_object_or_404(Quota.objects.select_related("resource"), pk=pk)
    try:
        quota_services.quota_delete(by=request.user, quota=quota)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The quota is removed."))
    return redirect("pooling_ledger:quotas")
