from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Forum")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ptce import personcache

        from .services import IS_MEMBER, MODERATES, MODERATOR_FLAG_TIMEOUT

        # The header's moderation link, read with the other header values.
        personcache.register(MODERATES, timeout=MODERATOR_FLAG_TIMEOUT)
        personcache.register(IS_MEMBER)
        self._forget_is_member()

    def _forget_is_member(self) -> None:
        """A membership or a group (moderators, coordinators) given or taken away
        changes whether the person reads the members' forums."""
        from django.db.models.signals import post_delete, post_save

        from members.models import Membership
        from ptce import personcache
        from ptce.personcache import person_forget

        from .services import IS_MEMBER

        def membership_changed(sender, instance, **kwargs) -> None:
            person_forget(IS_MEMBER, [instance.user_id])

        for signal in (post_save, post_delete):
            signal.connect(
                membership_changed,
                sender=Membership,
                weak=False,
                dispatch_uid=f"forum-is-member-{signal is post_save}",
            )
        personcache.forget_when_groups_change(IS_MEMBER)
