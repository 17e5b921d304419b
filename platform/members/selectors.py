"""Reads for member pages, each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ptce.search_providers import fold, parse_terms
from ptce.selectors import audit_for_scope

from .models import Invitation, JoinRequest, Membership, Organisation, User
from .permissions import COORDINATORS_GROUP


def member_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(status=Organisation.Status.MEMBER)


def organisation_directory(
    *, category: str = "", legal_form: str = "", city: str = "", text: str = ""
) -> QuerySet[Organisation]:
    organisations = member_organisations()
    if category:
        organisations = organisations.filter(category=category)
    if legal_form:
        organisations = organisations.filter(legal_form=legal_form)
    if city:
        organisations = organisations.filter(city__iexact=city)
    return organisations_matching(organisations, parse_terms(text))


def organisations_matching(
    organisations: QuerySet[Organisation], terms: list[str]
) -> QuerySet[Organisation]:
    """Those whose name, summary, description or city has a word starting with each
    term, accents and case ignored; in French order (accents ignored) on SQLite and
    PostgreSQL alike."""
    for term in terms:
        organisations = organisations.filter(search_text__contains=f" {fold(term)}")
    return organisations.order_by("name_sort", "name")


@dataclass(frozen=True)
class CategoryCount:
    value: str
    label: str
    count: int


def member_counts_by_category() -> dict[str, int]:
    """Member structures per category, 1 query: the one count behind the directory's
    filters, the home page's figures and the eligibility check."""
    return dict(
        member_organisations()
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )


def member_count() -> int:
    return member_organisations().count()


def directory_category_counts(
    counts: dict[str, int] | None = None,
) -> list[CategoryCount]:
    """Every category in the law's order, with its count (0 included)."""
    counts = member_counts_by_category() if counts is None else counts
    return [
        CategoryCount(value, label, counts.get(value, 0))
        for value, label in Organisation.Category.choices
    ]


def home_categories() -> dict[str, Any]:
    """The home page's card: categories that have members, in the law's order."""
    counts = member_counts_by_category()
    return {
        "total": sum(counts.values()),
        "by_category": [c for c in directory_category_counts(counts) if c.count],
    }


def featured_organisations(*, limit: int) -> QuerySet[Organisation]:
    """The most recently joined member structures: 1 query."""
    if limit <= 0:
        return Organisation.objects.none()
    return member_organisations().order_by(
        F("joined_at").desc(nulls_last=True), "name"
    )[:limit]


def directory_cities() -> list[str]:
    cities = member_organisations().exclude(city="").values_list("city", flat=True)
    return sorted(set(cities.order_by()), key=lambda city: (fold(city), city))


def organisation_public_profile(*, slug: str) -> Organisation:
    public_contacts = Prefetch(
        "memberships",
        queryset=Membership.objects.filter(
            show_in_directory=True, user__is_active=True
        ).select_related("user"),
        to_attr="public_contacts",
    )
    return get_object_or_404(
        member_organisations().prefetch_related(public_contacts), slug=slug
    )


def organisation_for_management(*, slug: str) -> Organisation:
    # Applied structures are managed too: their applicant edits the profile meanwhile.
    return get_object_or_404(Organisation, slug=slug)


def organisation_people(*, organisation: Organisation) -> list[Membership]:
    return list(
        organisation.memberships.select_related("user").order_by(
            "-role", "user__last_name", "user__first_name"
        )
    )


def organisation_pending_join_requests(
    *, organisation: Organisation
) -> list[JoinRequest]:
    return list(
        organisation.join_requests.filter(status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def organisation_pending_invitations(
    *, organisation: Organisation, max_age
) -> list[Invitation]:
    return list(
        organisation.invitations.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            created_at__gt=timezone.now() - max_age,
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def user_memberships(*, user: User) -> list[Membership]:
    return list(
        user.memberships.select_related("organisation").order_by(
            "organisation__name_sort", "organisation__name"
        )
    )


def pending_applications() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(status=Organisation.Status.APPLIED)
        .select_related("applied_by")
        .order_by("created_at")
    )


def coordinators() -> list[User]:
    """Who the coordination is: active superusers and the Coordinateurs group."""
    return list(
        User.objects.filter(is_active=True, erased_at__isnull=True)
        .filter(Q(is_superuser=True) | Q(groups__name=COORDINATORS_GROUP))
        .distinct()
    )


def organisation_referents(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Membership.Role.REFERENT,
        )
    )


def organisations_left_without_referent(
    *, leaving: QuerySet[Membership]
) -> list[Organisation]:
    """Structures that would have no référent if the `leaving` memberships went.

    The rule "a structure keeps at least one référent", in one query whatever the
    number of structures (used when demoting, removing and erasing an account).
    """
    leaving_referents = leaving.filter(role=Membership.Role.REFERENT)
    remaining = Q(memberships__role=Membership.Role.REFERENT) & ~Q(
        memberships__in=leaving_referents.values("pk")
    )
    return list(
        Organisation.objects.filter(pk__in=leaving_referents.values("organisation"))
        .annotate(remaining_referents=Count("memberships", filter=remaining))
        .filter(remaining_referents=0)
        .order_by("name")
    )


def organisation_homonyms(*, organisation: Organisation) -> list[Organisation]:
    """Other structures of the directory, or applying, under the same name."""
    return list(
        Organisation.objects.filter(
            name__iexact=organisation.name.strip(),
            status__in=[Organisation.Status.MEMBER, Organisation.Status.APPLIED],
        )
        .exclude(pk=organisation.pk)
        .order_by("name")
    )


def organisation_history(*, organisation: Organisation) -> QuerySet:
    """The structure's own events in the audit trail, newest first (paginate it)."""
    return audit_for_scope(organisation)


def pending_applications_with_homonyms() -> list[Organisation]:
    """Pending applications, each with `.homonyms`: two queries whatever the count."""
    applications = list(pending_applications())
    names = {o.name.strip().lower() for o in applications}
    by_name: dict[str, list[Organisation]] = {}
    if names:
        same = (
            Organisation.objects.annotate(lower_name=Lower("name"))
            .filter(
                lower_name__in=names,
                status__in=[Organisation.Status.MEMBER, Organisation.Status.APPLIED],
            )
            .order_by("name")
        )
        for other in same:
            by_name.setdefault(other.lower_name, []).append(other)
    for application in applications:
        application.homonyms = [
            other
            for other in by_name.get(application.name.strip().lower(), [])
            if other.pk != application.pk
        ]
    return applications
