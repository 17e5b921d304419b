from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Shared resources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from ptce import personcache

        from .models import ResourceManager
        from .permissions import MANAGED, managed_forget
        from .signals import managers_named

        personcache.register(MANAGED)  # read with the page's other per-person values

        def changed(sender, instance, **kwargs) -> None:
            managed_forget([instance.user_id])

        post_save.connect(
            changed, sender=ResourceManager, weak=False, dispatch_uid="managed-save"
        )
        post_delete.connect(
            changed, sender=ResourceManager, weak=False, dispatch_uid="managed-delete"
        )
        managers_named.connect(
            lambda sender, user_pks, **kwargs: managed_forget(user_pks),
            weak=False,
            dispatch_uid="managed-named",
        )
