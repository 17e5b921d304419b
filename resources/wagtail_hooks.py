"""Shared resources in the Wagtail admin: the coordinators' list, filters, search and
export. Editing goes through resources.services (audited); the booking rules, hours,
price and status are read-only here and changed from the site's forms. Photos are
added (chosen or uploaded with Wagtail's image chooser), described, placed and
removed through resources.photos, with the site's rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ptce.exports import SpreadsheetExportViewMixin

from . import photos, services
from .models import Resource, ResourcePhoto

# Descriptive fields only: every rule-carrying field stays with the site's services.
ADMIN_FORM_FIELDS = [
    "name",
    "summary",
    "description",
    "address",
    "floor",
    "equipment_present",
    "staff_role",
    "staff_skills",
]


def _label(field: str) -> str:
    return capfirst(Resource._meta.get_field(field).verbose_name)


class NoAddNoDeletePolicy(ModelPermissionPolicy):
    """Resources are created on the site by their owner, and never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Resource, NoAddNoDeletePolicy(Resource))


class ResourceIndexView(SpreadsheetExportViewMixin, IndexView):
    """Exports in French formats, formulas neutralised (ptce.exports)."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("owner")


class ResourceEditView(EditView):
    def form_valid(self, form):
        try:
            self.object = services.resource_update(
                resource=self.object,
                by=self.request.user,
                data={name: form.cleaned_data[name] for name in ADMIN_FORM_FIELDS},
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            # Shown as Wagtail shows form errors (its templates list non-field
            # errors only in the message).
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()


class ResourceViewSet(ModelViewSet):
    name = "shared_resources"
    url_prefix = "mutualisation/ressources"
    model = Resource
    icon = "home"
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = ResourceIndexView
    edit_view_class = ResourceEditView
    list_display = ["name", "owner", "kind", "quantity", "status", "price_unit"]
    list_filter = ["kind", "status", "price_unit", "vat_regime", "approval_required"]
    search_fields = ["name", "summary", "owner__name"]
    search_backend_name = None
    ordering = ["name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ADMIN_FORM_FIELDS
    list_export = [
        "name",
        "owner",
        "get_kind_display",
        "quantity",
        "capacity",
        "get_status_display",
        "get_price_unit_display",
        "price_amount",
        "get_vat_regime_display",
        "vat_rate",
        "approval_required",
        "open_to_all",
        "created_at",
    ]
    export_filename = "ressources-partagees"

    @property
    def export_headings(self):
        return {
            "get_kind_display": _label("kind"),
            "get_status_display": _label("status"),
            "get_price_unit_display": _label("price_unit"),
            "get_vat_regime_display": _label("vat_regime"),
        }


@hooks.register("register_admin_viewset")
def register_resource_viewset():
    return ResourceViewSet()


# --- Photos --------------------------------------------------------------------------
class PhotoAddForm(WagtailAdminModelForm):
    class Meta:
        model = ResourcePhoto
        fields = ["resource", "image", "alt"]


class PhotoEditForm(WagtailAdminModelForm):
    position = forms.IntegerField(
        label=gettext_lazy("Position"),
        min_value=1,
        max_value=photos.MAX_PHOTOS,
        help_text=gettext_lazy("1 for the first photo shown."),
    )

    class Meta:
        model = ResourcePhoto
        fields = ["alt"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            ids = list(
                ResourcePhoto.objects.filter(resource_id=self.instance.resource_id)
                .order_by("sort_order", "pk")
                .values_list("pk", flat=True)
            )
            self.fields["position"].initial = ids.index(self.instance.pk) + 1


def _refused(view, form, error: Exception):
    if isinstance(error, PermissionDenied):
        form.add_error(None, _("You may not change the photos of this resource."))
    else:
        for field, messages in getattr(
            error, "message_dict", {None: error.messages}
        ).items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    view.produced_error_message = view.get_error_message()
    return view.form_invalid(form)


class PhotoCreateView(CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = photos.photo_attach(
                resource=data["resource"],
                by=self.request.user,
                image=data["image"],
                alt=data["alt"],
            )
        except (ValidationError, PermissionDenied) as error:
            return _refused(self, form, error)
        return self.save_action()


class PhotoEditView(EditView):
    def form_valid(self, form):
        photo = ResourcePhoto.objects.select_related("resource__owner").get(
            pk=self.object.pk
        )
        try:
            if form.cleaned_data["alt"] != photo.alt:
                photos.photo_describe(
                    photo=photo, by=self.request.user, alt=form.cleaned_data["alt"]
                )
            photos.photo_place(
                photo=photo,
                by=self.request.user,
                position=form.cleaned_data["position"],
            )
        except (ValidationError, PermissionDenied) as error:
            return _refused(self, form, error)
        self.object = photo
        return self.save_action()


class PhotoDeleteView(DeleteView):
    def delete_action(self):
        photos.photo_remove(photo=self.object, by=self.request.user)


class PhotoIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("resource__owner", "image")


class ResourcePhotoViewSet(ModelViewSet):
    name = "resource_photos"
    url_prefix = "mutualisation/photos"
    model = ResourcePhoto
    icon = "image"
    menu_label = gettext_lazy("Photos of resources")
    menu_order = 164
    add_to_admin_menu = True
    index_view_class = PhotoIndexView
    add_view_class = PhotoCreateView
    edit_view_class = PhotoEditView
    delete_view_class = PhotoDeleteView
    copy_view_enabled = False
    list_display = ["alt", "resource", "image", "sort_order"]
    list_filter = ["resource__owner", "resource__kind"]
    search_fields = ["alt", "resource__name"]
    search_backend_name = None
    ordering = ["resource__name", "sort_order", "pk"]

    def get_form_class(self, for_update=False):
        return PhotoEditForm if for_update else PhotoAddForm


@hooks.register("register_admin_viewset")
def register_photo_viewset():
    return ResourcePhotoViewSet()
