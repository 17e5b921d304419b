"""Roles: the permissions each PTCE-wide group gets, declared by each app.

Contract — an app lists, in its own `roles.py`, what its models need per group:

    from ptce.roles import COORDINATORS, MODERATORS, grant
    grant(COORDINATORS, "pooling.view_booking", "pooling.change_booking")
    grant_pages(COORDINATORS, "add_page", "publish_page")      # on the site's root page
    grant_collections(COORDINATORS, "wagtailimages.add_image")  # on the root collection

The groups are built from the declarations by `ensure_groups()`, which ptce runs after
the last app's post_migrate (by then every app's permissions exist); a permission an
administrator added by hand is never removed. A declared permission whose model does
not exist yet is skipped until the next migrate creates it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import Group, Permission

COORDINATORS = "Coordinateurs"
MODERATORS = "Modérateurs"

_permissions: dict[str, set[str]] = defaultdict(set)
_page_permissions: dict[str, set[str]] = defaultdict(set)
_collection_permissions: dict[str, set[str]] = defaultdict(set)


def _check(codes: tuple[str, ...], *, dotted: bool) -> None:
    for code in codes:
        if ("." in code) != dotted:
            shape = "app_label.codename" if dotted else "a bare codename"
            raise ValueError(f"Permission {code!r} must be {shape}.")


def grant(group: str, *permissions: str) -> None:
    """Give `group` model permissions written as "app_label.codename"."""
    _check(permissions, dotted=True)
    _permissions[group].update(permissions)


def grant_pages(group: str, *codenames: str) -> None:
    """Give `group` Wagtail page permissions (e.g. "publish_page") on the whole site."""
    _check(codenames, dotted=False)
    _page_permissions[group].update(codenames)


def grant_collections(group: str, *permissions: str) -> None:
    """Give `group` collection permissions ("wagtailimages.add_image") everywhere."""
    _check(permissions, dotted=True)
    _collection_permissions[group].update(permissions)


def groups() -> list[str]:
    names = set(_permissions) | set(_page_permissions) | set(_collection_permissions)
    return sorted(names)


def permissions_of(group: str) -> set[str]:
    return set(_permissions.get(group, ()))


def page_permissions_of(group: str) -> set[str]:
    return set(_page_permissions.get(group, ()))


def collection_permissions_of(group: str) -> set[str]:
    return set(_collection_permissions.get(group, ()))


def _existing(codes: set[str]) -> list[Permission]:
    """The permissions that exist among "app_label.codename" `codes`, in one query."""
    from django.contrib.auth.models import Permission

    wanted = {tuple(code.split(".", 1)) for code in codes}
    candidates = Permission.objects.filter(
        codename__in={codename for _app, codename in wanted}
    ).select_related("content_type")
    return [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]


def _grant_pages(group: Group, codenames: set[str]) -> None:
    from wagtail.models import GroupPagePermission, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or not codenames:
        return
    for permission in _existing({f"wagtailcore.{c}" for c in codenames}):
        GroupPagePermission.objects.get_or_create(
            group=group, page=site.root_page, permission=permission
        )


def _grant_collections(group: Group, codes: set[str]) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None or not codes:
        return
    for permission in _existing(codes):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


@transaction.atomic
def ensure_groups() -> dict[str, Group]:
    """Create every declared group and add what is declared; never removes anything."""
    from django.contrib.auth.models import Group

    built = {}
    for name in groups():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_existing(permissions_of(name)))
        _grant_pages(group, page_permissions_of(name))
        _grant_collections(group, collection_permissions_of(name))
        built[name] = group
    return built


# The bottom app's own declarations (it cannot provide a plug-in module named roles).
grant(COORDINATORS, "ptce.change_siteidentity", "ptce.view_auditevent")
