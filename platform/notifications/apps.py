from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every app declares its notification kinds in its own kinds.py.
        autodiscover_modules("kinds")
        from ptce import personcache

        from .cached import FIRST_PAGE, TOTAL, UNREAD
        from .permissions import CAN_ANNOUNCE

        # Read with the other header values: the bell, and the centre's pagination
        # and announcement link; the centre's first page on the centre only.
        for name in (UNREAD, TOTAL, CAN_ANNOUNCE):
            personcache.register(name)
        personcache.register(FIRST_PAGE, page="notifications:list")
        _forget_kept_values_on_save()
        _forget_can_announce_on_permission_changes()


def _forget_kept_values_on_save() -> None:
    """A notification saved one by one (the shell, a test, a future form) is seen at
    once, created or changed. notify() bulk-creates, and the manager forgets for it
    (models.NotificationQuerySet). Deletions happen only in the erasure, which
    forgets too (no post_delete: it would make that delete slow)."""
    from django.db.models.signals import post_save

    from .cached import forget
    from .models import Notification

    def saved(sender, instance, created=False, **kwargs) -> None:
        forget([instance.recipient_id], count=created)

    post_save.connect(
        saved, sender=Notification, weak=False, dispatch_uid="notifications-total"
    )


def _forget_can_announce_on_permission_changes() -> None:
    """Whoever gains or loses a permission (directly, through a group, a group's
    permissions, a group deleted, or the superuser and active flags of their row)
    has their cached CAN_ANNOUNCE forgotten."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_save

    from ptce.personcache import forget_when_groups_change, person_forget

    from .permissions import CAN_ANNOUNCE

    user_model = get_user_model()

    def forget(pks) -> None:
        person_forget(CAN_ANNOUNCE, pks)

    def group_permissions_changed(sender, instance, action, reverse, pk_set, **kw):
        # Forward: instance is a group, whose users all change. Reverse: a
        # permission, pk_set its groups (read before a clear, which names none).
        if not reverse:
            groups = [instance.pk] if action.startswith("post_") else []
        elif action == "pre_clear":
            groups = list(instance.group_set.values_list("pk", flat=True))
        else:
            groups = list(pk_set or ()) if action.startswith("post_") else []
        if groups:
            users = user_model.objects.filter(groups__in=groups)
            forget(users.values_list("pk", flat=True))

    def user_saved(sender, instance, update_fields=None, **kwargs):
        if not (update_fields and set(update_fields) <= {"last_login"}):
            forget([instance.pk])

    forget_when_groups_change(CAN_ANNOUNCE, permissions=True)
    m2m_changed.connect(
        group_permissions_changed,
        sender=Group.permissions.through,
        weak=False,
        dispatch_uid="notifications-can-announce-group-permissions",
    )
    post_save.connect(
        user_saved,
        sender=user_model,
        weak=False,
        dispatch_uid="notifications-can-announce-user",
    )
