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
