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

        from .permissions import APPROVER_RESOURCES
        from .selectors import OWN_UPCOMING, PENDING_COUNT

        personcache.register(PENDING_COUNT)  # read with the other header values
        personcache.register(APPROVER_RESOURCES)
        personcache.register(OWN_UPCOMING)  # Mon espace's own list
        self._forget_pending_counts_on_change()
        self._forget_approver_resources_on_change()

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

    @staticmethod
    def _forget_approver_resources_on_change() -> None:
        """Which resources a person decides for (permissions.approver_resource_ids)
        is cached per person: a membership (its role) or a resource manager saved or
        deleted, or managers named in bulk (resources.signals.managers_named),
        change theirs; a resource created, deleted or given to another
        owner changes the référents' of its owner, before and after. Their pending
        counts follow the same changes."""
        from django.db.models.signals import post_delete, post_save, pre_save

        from members.models import Membership
        from ptce.personcache import person_forget
        from resources.models import Resource, ResourceManager
        from resources.signals import managers_named

        from .permissions import APPROVER_RESOURCES
        from .selectors import PENDING_COUNT

        def forget(people) -> None:
            people = set(people)
            person_forget(APPROVER_RESOURCES, people)
            person_forget(PENDING_COUNT, people)

        def approver_changed(sender, instance, **kwargs) -> None:
            forget([instance.user_id])

        def approvers_named(sender, user_pks, **kwargs) -> None:
            forget(user_pks)

        def referents_of(*owner_ids):
            return Membership.objects.filter(
                organisation_id__in=[pk for pk in owner_ids if pk is not None],
                role=Membership.Role.REFERENT,
            ).values_list("user_id", flat=True)

        def resource_saving(sender, instance, raw=False, **kwargs) -> None:
            if instance.pk is None or raw:
                return
            before = (
                Resource.objects.filter(pk=instance.pk)
                .values_list("owner_id", flat=True)
                .first()
            )
            if before is not None and before != instance.owner_id:
                forget(referents_of(before, instance.owner_id))

        def resource_changed(sender, instance, created=True, **kwargs) -> None:
            if created:  # a new resource, or one deleted
                forget(referents_of(instance.owner_id))

        uid = "pooling-approver-resources"
        # Managers named in bulk (no post_save): resources.services.managers_set.
        managers_named.connect(approvers_named, weak=False, dispatch_uid=f"{uid}-named")
        for model in (Membership, ResourceManager):
            name = model._meta.label_lower
            post_save.connect(
                approver_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"{uid}-{name}-s",
            )
            post_delete.connect(
                approver_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"{uid}-{name}-d",
            )
        pre_save.connect(
            resource_saving, sender=Resource, weak=False, dispatch_uid=f"{uid}-res-ps"
        )
        post_save.connect(
            resource_changed, sender=Resource, weak=False, dispatch_uid=f"{uid}-res-s"
        )
        post_delete.connect(
            resource_changed, sender=Resource, weak=False, dispatch_uid=f"{uid}-res-d"
        )
