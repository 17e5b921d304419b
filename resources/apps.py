from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Shared resources")
    default_auto_field = "django.db.models.BigAutoField"
