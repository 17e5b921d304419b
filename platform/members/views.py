from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ptce.pagecache import LocalTier, versioned

from . import permissions, selectors, services
from .adapter import PENDING_INVITATION_SESSION_KEY
from .audit import history_line
from .forms import (
    AccountDeleteForm,
    AccountForm,
    ApplicationDecisionForm,
    DirectoryFilterForm,
    InvitationForm,
    JoinRequestDecisionForm,
    JoinRequestForm,
    MembershipForm,
    OrganisationApplicationForm,
    OrganisationProfileForm,
)
from .models import Invitation, JoinRequest, Membership, Organisation
from .standing import NO_STANDING, request_standing

DIRECTORY_PAGE_SIZE = 20


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Directory


def organisation_list(request):
    """The directory: its filters (the form's outcome and markup) and its page of
    cards are the same for everyone, kept per content version, language and query
    string; a hit builds no form, no queryset and runs no query."""
    params = urlencode(
        sorted((k, v) for k, v in request.GET.lists() if k != "page"), doseq=True
    )
    filters = versioned(
        request,
        ("members:directory-filters", get_language(), params),
        lambda: _directory_filters(request),
        tier=_pages_tier,
        shared=False,  # keyed by what visitors type: never in Redis
    )
    page_obj, cards = _directory_page(request, filters.query, request.GET.get("page"))
    return render(
        request,
        "members/organisation_list.html",
        {
            "filters": mark_safe(filters.html),  # rendered by _directory_filters
            "page_obj": page_obj,
            "cards": cards,
            "category_counts": versioned(
                request,
                ("members:directory-counts",),
                lambda: (*selectors.directory_category_counts(),),
            ),
            "is_filtered": bool(filters.query),
            # One of the categories or "": the shared fragment's bounded key.
            "category_selected": filters.category,
        },
    )


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory's filter form made of a query string."""

    query: dict  # the valid filters, those with a value
    category: str  # the chosen category if it is one, else ""
    html: str  # the form's fields


def _directory_filters(request) -> DirectoryFilters:
    # The cities change with the content only: kept per content version.
    cities = versioned(
        request, ("members:directory-cities",), lambda: (*selectors.directory_cities(),)
    )
    form = DirectoryFilterForm(request.GET or None, cities=cities)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = {k: v for k, v in filters.items() if v}
    # Each select with its chosen value, if it is one of its choices (the shared
    # fragment of the filters is keyed by them: a bounded number of keys).
    selects = []
    for name in ("category", "legal_form", "city"):
        field = form[name]
        value = str(field.value() or "")
        choices = {str(choice) for choice, _label in field.field.choices}
        selects.append((field, value if value in choices else ""))
    html = render_to_string(
        "members/_directory_filters.html",
        {
            "form": form,
            "filter_selects": selects,
            "filter_selection": "|".join(value for _field, value in selects),
        },
    )
    return DirectoryFilters(query, selects[0][1], html)


# Directory pages and profiles, per content version: in a memory of their own, so
# that what visitors type (a search, a slug) cannot push the header's fragments out.
_pages_tier = LocalTier(max_entries=1_000)


def _directory_page(request, query: dict, page: str | None):
    """The page of the directory asked for (a Page whose count is known) and its
    cards with the pagination, the same for everyone: both kept per content
    version, language and filters, so that a hit runs no query. The page number is
    the one Paginator.get_page() settles on (« 2 », « 02 » and « x » share keys)."""
    key = urlencode(sorted(query.items()))
    text = query.get("q", "").strip()

    def organisations():
        return selectors.organisation_directory(
            category=query.get("category", ""),
            legal_form=query.get("legal_form", ""),
            city=query.get("city", ""),
            text=text,
        )

    count = versioned(
        request,
        ("members:directory-count", key),
        lambda: organisations().count(),
        tier=_pages_tier,
    )
    # The page number settled without the rows (a cached count, no COUNT query);
    # the rows are read by the build only: a hit builds no queryset either.
    paginator = Paginator((), DIRECTORY_PAGE_SIZE)
    paginator.count = count
    page_obj = paginator.get_page(page)
    first = (page_obj.number - 1) * DIRECTORY_PAGE_SIZE
    cards = versioned(
        request,
        ("members:directory-page", get_language(), key, page_obj.number),
        lambda: render_to_string(
            "members/_directory_cards.html",
            {
                "organisations": organisations()[first : first + DIRECTORY_PAGE_SIZE],
                "page_obj": page_obj,
                "is_filtered": bool(query),
                "extra": f"&{key}" if key else "",
            },
        ),
        tier=_pages_tier,
        shared=False,  # keyed by what visitors type: never in Redis
    )
    return page_obj, cards


def organisation_detail(request, slug: str):
    profile = versioned(
        request,
        ("members:profile", get_language(), slug),
        lambda: _profile(slug),
        tier=_pages_tier,
    )
    # What depends on the viewer, from their cached standing: no query on a hit.
    standing = request_standing(request)
    organisation = Organisation(**profile["fields"])
    user = request.user
    context = {
        "profile": profile,
        "organisation": organisation,
        "is_member": permissions.is_member_of(user, organisation),
        "can_manage": permissions.can_manage_organisation(user, organisation),
        "can_request": permissions.can_request_to_join(user, organisation),
        "pending_request": standing is not None
        and organisation.pk in {row[0] for row in standing["join_requests"]},
        "join_form": JoinRequestForm(),
    }
    return render(request, "members/organisation_detail.html", context)


def _profile(slug: str) -> dict:
    """A structure's public profile, the same for everyone (raises Http404): the
    few fields the page's frame and the viewer's part need, and the body."""
    organisation = selectors.organisation_public_profile(slug=slug)
    return {
        "fields": {
            name: getattr(organisation, name)
            for name in ("pk", "slug", "name", "summary", "status", "applied_by_id")
        },
        "body": render_to_string(
            "members/_organisation_profile.html", {"organisation": organisation}
        ),
    }


# --- Join requests


@login_required
def join_request_create(request, slug: str):
    organisation = get_object_or_404(
        Organisation, slug=slug, status=Organisation.Status.MEMBER
    )
    if permissions.is_member_of(request.user, organisation):
        messages.info(request, _("You already act for this structure."))
        return redirect(organisation)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                organisation=organisation,
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, _error_message(error))
        else:
            messages.success(
                request,
                _("Your request has been sent to the référents of %(name)s.")
                % {"name": organisation.name},
            )
        return redirect(organisation)
    return render(
        request,
        "members/join_request_form.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_POST
def join_request_decide(request, pk: int):
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("organisation", "user"), pk=pk
    )
    # Only the structure's managers may even learn that the request was answered.
    if not permissions.can_manage_organisation(request.user, join_request.organisation):
        raise PermissionDenied
    if join_request.status != JoinRequest.Status.PENDING:
        messages.info(request, _("This request has already been answered."))
        return redirect(
            "members:organisation_manage", slug=join_request.organisation.slug
        )
    form = JoinRequestDecisionForm(request.POST)
    if not form.is_valid():
        # Only the two buttons' values decide: anything else changes nothing.
        return render(
            request,
            "400.html",
            {"message": _("Unknown decision: choose to accept or to decline.")},
            status=400,
        )
    accept = form.cleaned_data["decision"] == "accept"
    services.join_request_decide(
        join_request=join_request, by=request.user, accept=accept
    )
    text = (
        _("%(person)s now acts for the structure.")
        if accept
        else _("The request of %(person)s has been declined.")
    )
    messages.success(request, text % {"person": join_request.user.display_name})
    return redirect("members:organisation_manage", slug=join_request.organisation.slug)


# --- Structure management


def _render_manage(request, organisation, *, profile_form=None, invitation_form=None):
    people = selectors.organisation_people(organisation=organisation)
    context = {
        "organisation": organisation,
        "profile_form": profile_form or OrganisationProfileForm(instance=organisation),
        "invitation_form": invitation_form or InvitationForm(),
        "people": [
            (
                m,
                MembershipForm(
                    initial={"role": m.role, "show_in_directory": m.show_in_directory},
                    prefix=f"m{m.pk}",
                ),
            )
            for m in people
        ],
        "join_requests": selectors.organisation_pending_join_requests(
            organisation=organisation
        ),
        "invitations": selectors.organisation_pending_invitations(
            organisation=organisation, max_age=services.invitation_max_age()
        ),
        "can_invite": permissions.can_invite(request.user, organisation),
        "history": _history_page(request, organisation),
    }
    status = (
        400
        if any(f is not None and f.errors for f in (profile_form, invitation_form))
        else 200
    )
    return render(request, "members/organisation_manage.html", context, status=status)


HISTORY_PER_PAGE = 20


def _history_page(request, organisation):
    page = Paginator(
        selectors.organisation_history(organisation=organisation), HISTORY_PER_PAGE
    ).get_page(request.GET.get("page"))
    page.lines = [history_line(event) for event in page.object_list]
    return page


def _managed_organisation(request, slug: str) -> Organisation:
    organisation = selectors.organisation_for_management(slug=slug)
    if not permissions.can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
def organisation_manage(request, slug: str):
    organisation = _managed_organisation(request, slug)
    if request.method != "POST":
        return _render_manage(request, organisation)
    form = OrganisationProfileForm(
        request.POST,
        request.FILES,
        instance=Organisation.objects.get(pk=organisation.pk),
    )
    if not form.is_valid():
        return _render_manage(request, organisation, profile_form=form)
    data = {name: form.cleaned_data[name] for name in form.changed_data}
    services.organisation_update_profile(
        organisation=organisation, by=request.user, data=data
    )
    messages.success(request, _("The profile of the structure has been updated."))
    return redirect("members:organisation_manage", slug=organisation.slug)


@login_required
@require_POST
def invitation_create(request, slug: str):
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
    if not form.is_valid():
        return _render_manage(request, organisation, invitation_form=form)
    messages.success(
        request,
        _("An invitation has been sent to %(email)s.")
        % {"email": form.cleaned_data["email"]},
    )
    return redirect("members:organisation_manage", slug=organisation.slug)


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=pk
    )
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request,
            _("The invitation sent to %(email)s has been revoked.")
            % {"email": invitation.email},
        )
    return redirect("members:organisation_manage", slug=invitation.organisation.slug)


@login_required
@require_POST
def membership_update(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "user"), pk=pk
    )
    form = MembershipForm(request.POST, prefix=f"m{membership.pk}")
    if not permissions.can_manage_organisation(request.user, membership.organisation):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_update(
                membership=membership, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_message(error))
        else:
            messages.success(
                request,
                _("The role of %(person)s has been saved.")
                % {"person": membership.user.display_name},
            )
    return redirect("members:organisation_manage", slug=membership.organisation.slug)


@login_required
def membership_remove(request, pk: int):
    """GET asks for confirmation (a page, no JavaScript needed); POST removes."""
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "user"), pk=pk
    )
    if not permissions.can_manage_organisation(request.user, membership.organisation):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request, "members/membership_remove.html", {"membership": membership}
        )
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request,
            _("%(person)s no longer acts for the structure.")
            % {"person": membership.user.display_name},
        )
    if permissions.can_manage_organisation(request.user, membership.organisation):
        return redirect(
            "members:organisation_manage", slug=membership.organisation.slug
        )
    return redirect("members:dashboard")


# --- Invitations (invitee side)


def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(
            request,
            "members/invitation_accept.html",
            {"error": _error_message(error)},
            status=400,
        )
    user = request.user
    addressee = permissions.is_invitation_addressee(user, invitation)
    if request.method == "POST" and addressee:
        try:
            membership = services.invitation_accept(token=token, by=user)
        except services.InvitationError as error:
            messages.error(request, _error_message(error))
            return redirect("members:dashboard")
        messages.success(
            request,
            _("Welcome! You now act for %(name)s.")
            % {"name": membership.organisation.name},
        )
        return redirect(membership.organisation)
    if not user.is_authenticated:
        # Kept in the session too: ?next= does not survive sign-up and confirmation.
        request.session[PENDING_INVITATION_SESSION_KEY] = request.path
        # The link reached the invited address: signing up with that address from
        # here proves it, no confirmation e-mail is needed (allauth reads this).
        get_account_adapter(request).stash_verified_email(request, invitation.email)
    next_query = urlencode({"next": request.path})
    wrong_account = user.is_authenticated and not addressee
    return render(
        request,
        "members/invitation_accept.html",
        {
            "invitation": invitation,
            "wrong_account": wrong_account,
            "wrong_address": services.wrong_address_message(invitation),
            "login_url": f"{reverse('account_login')}?{next_query}",
            "signup_url": f"{reverse('account_signup')}?{next_query}",
        },
        status=403 if wrong_account and request.method == "POST" else 200,
    )


# --- Structure applications


@login_required
def organisation_apply(request):
    form = OrganisationApplicationForm(
        request.POST or None, instance=Organisation(applied_by=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_apply(
                by=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _warn_of_homonyms(request, organisation)
            messages.success(
                request,
                _(
                    "Thank you! Your application has been sent to the coordinators; "
                    "you will be told of their decision."
                ),
            )
            return redirect("members:dashboard")
    return render(
        request,
        "members/organisation_apply.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _warn_of_homonyms(request, organisation: Organisation) -> None:
    homonyms = selectors.organisation_homonyms(organisation=organisation)
    if homonyms:
        messages.warning(
            request,
            _(
                "A structure named %(name)s is already in the directory or applying: "
                "the coordinators are told, and may ask you whether it is yours."
            )
            % {"name": homonyms[0].name},
        )


@login_required
def applications(request):
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    return render(
        request,
        "members/applications.html",
        {"applications": selectors.pending_applications_with_homonyms()},
    )


@login_required
@require_POST
def application_decide(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_decide_application(request.user, organisation):
        raise PermissionDenied
    form = ApplicationDecisionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []) + form.errors.get("decision", []):
            messages.error(request, error)
        return redirect("members:applications")
    accept = form.cleaned_data["decision"] == "accept"
    services.organisation_application_decide(
        organisation=organisation,
        by=request.user,
        accept=accept,
        reason=form.cleaned_data["reason"].strip(),
    )
    text = (
        _("%(name)s is now a member structure.")
        if accept
        else _("The application of %(name)s has been declined.")
    )
    messages.success(request, text % {"name": organisation.name})
    return redirect("members:applications")


# --- My space and RGPD


@login_required
def dashboard(request):
    # All of it from the person's cached standing: no query on a hit.
    standing = request_standing(request) or NO_STANDING
    roles = dict(Membership.Role.choices)
    return render(
        request,
        "members/dashboard.html",
        {
            "memberships": [
                {
                    "name": name,
                    "slug": slug,
                    "is_member": status == Organisation.Status.MEMBER,
                    "is_referent": role == Membership.Role.REFERENT,
                    "role_label": roles.get(role, role),
                }
                for _pk, role, name, slug, status in standing["memberships"]
            ],
            "join_requests": [
                {"name": name, "created_at": created_at}
                for _pk, name, created_at in standing["join_requests"]
            ],
            "applications": [
                {"name": name, "slug": slug, "created_at": created_at}
                for name, slug, created_at in standing["applications"]
            ],
            "is_coordinator": permissions.is_coordinator(request.user),
        },
    )


@login_required
def account(request):
    memberships = selectors.user_memberships(user=request.user)
    form = AccountForm(
        request.POST or None,
        memberships=memberships,
        initial={
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "job_title": request.user.job_title,
            "phone": request.user.phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.account_update(
            user=request.user,
            by=request.user,
            details=form.details(),
            visibility=form.visibility(),
        )
        messages.success(request, _("Your account is saved."))
        return redirect("members:account")
    return render(
        request,
        "members/account.html",
        {
            "form": form,
            "crumbs": [{"label": _("My space"), "url": reverse("members:dashboard")}],
        },
    )


@login_required
def data_export(request):
    data = services.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    return response


@login_required
def account_delete(request):
    user = request.user
    blocking = services.organisations_blocking_erasure(user)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and not blocking and form.is_valid():
        try:
            services.user_erase(user=user, by=user)
        except ValidationError as error:
            messages.error(request, _error_message(error))
            return redirect("members:account_delete")
        logout(request)
        messages.success(
            request, _("Your account and your personal data have been deleted.")
        )
        return redirect("/")
    return render(
        request,
        "members/account_delete.html",
        {"form": form, "blocking": blocking},
        status=400 if form.errors or (blocking and request.method == "POST") else 200,
    )
