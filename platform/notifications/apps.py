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

        from .permissions import CAN_ANNOUNCE
        from .services import TOTAL, UNREAD

        # Read with the other header values: the bell, and the centre's pagination
        # and announcement link.
        for name in (UNREAD, TOTAL, CAN_ANNOUNCE):
            personcache.register(name)
        _forget_total_on_creation()
        _forget_can_announce_on_permission_changes()


def _forget_total_on_creation() -> None:
    """notify() bulk-creates and forgets TOTAL itself; a notification saved one by
    one elsewhere (the shell, a test) is counted too. Deletions happen only in the
    erasure, which forgets it (no post_delete: it would make that delete slow)."""
    from django.db.models.signals import post_save

    from ptce.personcache import person_forget

    from .models import Notification
    from .services import TOTAL

    def created(sender, instance, created=False, **kwargs) -> None:
        if created:
            person_forget(TOTAL, [instance.recipient_id])

    post_save.connect(
        created, sender=Notification, weak=False, dispatch_uid="notifications-total"
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
