from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# The modules every app may provide to plug into the shared concerns (see each
# registry's docstring for its contract). Discovered once, when Django starts.
PLUGIN_MODULES = ("roles", "personal_data", "demo", "home_blocks", "search_providers")


class PtceConfig(AppConfig):
    name = "ptce"
    verbose_name = _("PTCE")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        autodiscover_modules(*PLUGIN_MODULES)
