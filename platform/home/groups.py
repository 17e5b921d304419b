"""The PTCE team's groups and their permissions, kept in place after every migrate."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from members.permissions import COORDINATORS_GROUP, MODERATORS_GROUP

ADMIN_ACCESS = [("wagtailadmin", "access_admin")]
MEMBER_MODELS = ["organisation", "membership", "invitation", "joinrequest"]
PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def _model_permissions(app_label: str, model: str, actions: list[str]):
    return [(app_label, f"{action}_{model}") for action in actions]


def coordinator_permissions() -> list[tuple[str, str]]:
    codes = list(ADMIN_ACCESS)
    for model in MEMBER_MODELS:
        codes += _model_permissions("members", model, ["view", "add", "change"])
    codes += _model_permissions(
        "home", "glossaryterm", ["view", "add", "change", "delete"]
    )
    codes += _model_permissions("home", "siteidentity", ["change"])
    # Coordinators watch the e-mail outbox and write announcements to every member.
    codes += _model_permissions("notifications", "emaildelivery", ["view"])
    codes.append(("notifications", "send_announcement"))
    return codes


def moderator_permissions() -> list[tuple[str, str]]:
    codes = list(ADMIN_ACCESS)
    for model in MEMBER_MODELS:
        codes += _model_permissions("members", model, ["view"])
    return codes


def _permissions(codes: list[tuple[str, str]]) -> list[Permission]:
    """The permissions that exist among `codes`, in one query.

    A model added later gets its rights at the next migrate.
    """
    wanted = set(codes)
    candidates = Permission.objects.filter(
        codename__in={codename for _app, codename in wanted}
    ).select_related("content_type")
    return [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]


def _grant_pages(group: Group) -> None:
    from wagtail.models import GroupPagePermission, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    for permission in _permissions([("wagtailcore", c) for c in PAGE_PERMISSIONS]):
        GroupPagePermission.objects.get_or_create(
            group=group, page=site.root_page, permission=permission
        )


def _grant_collections(group: Group) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for permission in _permissions([(app_label, c) for c in codenames]):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


@transaction.atomic
def ensure_groups() -> tuple[Group, Group]:
    """Create both groups and add their permissions; never removes what admins added."""
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    coordinators.permissions.add(*_permissions(coordinator_permissions()))
    _grant_pages(coordinators)
    _grant_collections(coordinators)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderators.permissions.add(*_permissions(moderator_permissions()))
    return coordinators, moderators
