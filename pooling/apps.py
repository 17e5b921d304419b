from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolingConfig(AppConfig):
    name = "pooling"
    verbose_name = _("Pooling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from resources.rules import register_quantity_check

        from .services import resource_quantity_check

        register_quantity_check(resource_quantity_check)
        from ptce import personcache

        from .selectors import PENDING_COUNT

        personcache.register(PENDING_COUNT)  # read with the other header values
        self._forget_pending_counts_on_change()

    @staticmethod
    def _forget_pending_counts_on_change() -> None:
        """The header's « requests awaiting my decision » is cached per person: a
        booking decided, cancelled or expired (saved) changes its approvers' counts;
        naming or removing an approver (a resource manager, a membership's role)
        changes theirs, and so does being named in bulk
        (resources.signals.managers_named). Requests are bulk-created: services.py
        forgets those."""
        from django.db.models.signals import post_delete, post_save

        from members.models import Membership
        from ptce.personcache import person_forget
        from resources.models import ResourceManager
        from resources.signals import managers_named

        from .models import Booking
        from .selectors import PENDING_COUNT
        from .services import pending_counts_forget

        def booking_changed(sender, instance, **kwargs) -> None:
            pending_counts_forget(instance.resource_id)

        def approver_changed(sender, instance, **kwargs) -> None:
            person_forget(PENDING_COUNT, [instance.user_id])

        def approvers_named(sender, user_pks, **kwargs) -> None:
            person_forget(PENDING_COUNT, user_pks)

        # Managers named in bulk (no post_save): resources.services.managers_set.
        managers_named.connect(
            approvers_named, weak=False, dispatch_uid="pooling-pending-count-named"
        )
        for model, handler in (
            (Booking, booking_changed),
            (ResourceManager, approver_changed),
            (Membership, approver_changed),
        ):
            uid = f"pooling-pending-count-{model._meta.label_lower}"
            post_save.connect(
                handler, sender=model, weak=False, dispatch_uid=f"{uid}-save"
            )
            post_delete.connect(
                handler, sender=model, weak=False, dispatch_uid=f"{uid}-delete"
            )
