"""Resource pages and the forms référents and managers use to keep the catalogue.

The catalogue list with its "free between" filter lives in pooling (it needs the
availability engine, and resources never imports pooling).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Organisation

from . import permissions, photos, selectors, services
from .forms import (
    ClosureForm,
    ManagersForm,
    OpeningHoursForm,
    PhotoForm,
    PhotoMoveForm,
    ResourceForm,
    StatusForm,
)
from .models import Closure, Resource, ResourcePhoto


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _manageable(request, pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("owner"), pk=pk)
    if not permissions.can_manage_resource(request.user, resource):
        raise PermissionDenied
    return resource


def resource_detail(request, pk: int):
    resource = selectors.resource_for_page(pk=pk)
    if resource is None or not permissions.can_view_resource(request.user, resource):
        raise Http404
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "can_manage": permissions.can_manage_resource(request.user, resource),
            "can_name_managers": permissions.can_name_managers(request.user, resource),
            "status_form": StatusForm(initial={"status": resource.status}),
        },
    )


@login_required
def organisation_resources(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_create_resource(request.user, organisation):
        raise PermissionDenied
    return render(
        request,
        "resources/organisation_resources.html",
        {
            "organisation": organisation,
            "resources": list(selectors.organisation_resources(organisation)),
        },
    )


@login_required
def resource_create(request, slug: str):
    owner = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_create_resource(request.user, owner):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                owner=owner,
                by=request.user,
                data=form.service_data(),
                cost_items=form.cost_items(),
                allowed=form.cleaned_data["allowed_organisations"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("The resource is in the catalogue. Now set its opening hours."),
            )
            return redirect("resources:hours", pk=resource.pk)
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "owner": owner, "resource": None},
        status=400 if form.errors else 200,
    )


@login_required
def resource_edit(request, pk: int):
    resource = _manageable(request, pk)
    form = ResourceForm(request.POST or None, instance=resource, owner=resource.owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                resource=resource,
                by=request.user,
                data=form.service_data(),
                cost_items=form.cost_items(),
                allowed=form.cleaned_data["allowed_organisations"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect(resource.get_absolute_url())
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "owner": resource.owner, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def resource_hours(request, pk: int):
    resource = _manageable(request, pk)
    form = OpeningHoursForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        periods = form.periods()
        if not form.errors:
            try:
                services.opening_hours_set(
                    resource=resource, by=request.user, periods=periods
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Opening hours saved."))
                return redirect(resource.get_absolute_url())
    return render(
        request,
        "resources/resource_hours.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
def resource_closures(request, pk: int):
    resource = _manageable(request, pk)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_add(
                resource=resource,
                by=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Closure added."))
            return redirect("resources:closures", pk=resource.pk)
    return render(
        request,
        "resources/resource_closures.html",
        {
            "form": form,
            "resource": resource,
            "closures": list(resource.closures.order_by("-start")[:50]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def closure_remove(request, pk: int, closure_pk: int):
    resource = _manageable(request, pk)
    closure = get_object_or_404(Closure, pk=closure_pk, resource=resource)
    services.closure_remove(closure=closure, by=request.user)
    messages.success(request, _("Closure removed."))
    return redirect("resources:closures", pk=resource.pk)


@login_required
def resource_managers(request, pk: int):
    resource = get_object_or_404(Resource.objects.select_related("owner"), pk=pk)
    if not permissions.can_name_managers(request.user, resource):
        raise PermissionDenied
    form = ManagersForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        services.managers_set(
            resource=resource,
            by=request.user,
            users=list(form.cleaned_data["managers"]),
        )
        messages.success(request, _("Resource managers saved."))
        return redirect(resource.get_absolute_url())
    return render(
        request,
        "resources/resource_managers.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def resource_status(request, pk: int):
    resource = _manageable(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        services.resource_set_status(
            resource=resource,
            by=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Status saved."))
    return redirect(resource.get_absolute_url())


# --- Photos --------------------------------------------------------------------------
@login_required
def resource_photos(request, pk: int):
    resource = _manageable(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photos.photo_add(
                resource=resource,
                by=request.user,
                upload=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("resources:photos", pk=resource.pk)
    return render(
        request,
        "resources/resource_photos.html",
        {
            "form": form,
            "resource": resource,
            "photos": list(
                ResourcePhoto.objects.filter(resource=resource)
                .select_related("image")
                .prefetch_related("image__renditions")
            ),
            "max_photos": photos.MAX_PHOTOS,
        },
        status=400 if form.errors else 200,
    )


def _photo(request, pk: int, photo_pk: int) -> ResourcePhoto:
    resource = _manageable(request, pk)
    photo = get_object_or_404(ResourcePhoto, pk=photo_pk, resource=resource)
    photo.resource = resource
    return photo


@login_required
@require_POST
def photo_remove(request, pk: int, photo_pk: int):
    photo = _photo(request, pk, photo_pk)
    photos.photo_remove(photo=photo, by=request.user)
    messages.success(request, _("The photo is removed."))
    return redirect("resources:photos", pk=pk)


@login_required
@require_POST
def photo_move(request, pk: int, photo_pk: int):
    photo = _photo(request, pk, photo_pk)
    form = PhotoMoveForm(request.POST)
    if form.is_valid():
        photos.photo_move(
            photo=photo, by=request.user, up=form.cleaned_data["direction"] == "up"
        )
        messages.success(request, _("The order of the photos is saved."))
    return redirect("resources:photos", pk=pk)
