from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Site

from members.permissions import COORDINATORS_GROUP, MODERATORS_GROUP
from ptce.roles import ensure_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_in(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_groups_exist_after_migrate_and_ensure_is_idempotent():
    # post_migrate created them when the test database was built.
    assert (
        Group.objects.filter(name__in=[COORDINATORS_GROUP, MODERATORS_GROUP]).count()
        == 2
    )
    coordinators = Group.objects.get(name=COORDINATORS_GROUP)
    before = (
        coordinators.permissions.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )
    ensure_groups()
    ensure_groups()
    assert Group.objects.filter(name=COORDINATORS_GROUP).count() == 1
    assert before == (
        coordinators.permissions.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )


def test_ensure_groups_never_removes_permissions_added_by_admins():
    coordinators = Group.objects.get(name=COORDINATORS_GROUP)
    extra = Group.objects.get(name=MODERATORS_GROUP).permissions.model.objects.get(
        codename="delete_organisation"
    )
    coordinators.permissions.add(extra)
    ensure_groups()
    assert coordinators.permissions.filter(pk=extra.pk).exists()


def test_coordinator_permissions():
    coordinator = user_in(COORDINATORS_GROUP)
    assert coordinator.has_perm("wagtailadmin.access_admin")
    for model in ("organisation", "membership", "invitation", "joinrequest"):
        for action in ("view", "add", "change"):
            assert coordinator.has_perm(f"members.{action}_{model}")
    assert not coordinator.has_perm("members.delete_organisation")
    assert coordinator.has_perm("home.change_glossaryterm")
    assert coordinator.has_perm("ptce.change_siteidentity")
    home = Site.objects.get(is_default_site=True).root_page
    page_perms = home.permissions_for_user(coordinator)
    assert page_perms.can_add_subpage()
    assert page_perms.can_edit()
    assert page_perms.can_publish()
    assert GroupCollectionPermission.objects.filter(
        group__name=COORDINATORS_GROUP, permission__codename="add_image"
    ).exists()
    assert GroupCollectionPermission.objects.filter(
        group__name=COORDINATORS_GROUP, permission__codename="add_document"
    ).exists()


def test_moderator_permissions_are_read_only_on_members():
    moderator = user_in(MODERATORS_GROUP)
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert moderator.has_perm("members.view_organisation")
    assert not moderator.has_perm("members.change_organisation")
    assert not moderator.has_perm("ptce.change_siteidentity")
    home = Site.objects.get(is_default_site=True).root_page
    assert not home.permissions_for_user(moderator).can_add_subpage()


def test_plain_user_has_no_admin_access():
    user = UserFactory()
    assert not user.has_perm("wagtailadmin.access_admin")
    assert not user.has_perm("members.view_organisation")
