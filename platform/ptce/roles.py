"""Roles: the permissions each PTCE-wide group gets, declared by each app.

Contract — an app lists, in its own `roles.py`, what its models need per group:

    from ptce.roles import COORDINATORS, MODERATORS, grant
    grant(COORDINATORS, "pooling.view_booking", "pooling.change_booking")
    grant_pages(COORDINATORS, "add_page", "publish_page")      # on the site's root page
    grant_collections(COORDINATORS, "wagtailimages.add_image")  # on the root collection

The groups are built from the declarations after every migrate (`ensure_groups`, wired
by the app that owns the groups); a permission an administrator added by hand is never
removed. A declared permission whose model does not exist yet is skipped until it does.
"""

from __future__ import annotations

from collections import defaultdict

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
