from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# The modules every app may provide to plug into the shared concerns (see each
# registry's docstring for its contract). Discovered once, when Django starts.
PLUGIN_MODULES = (
    "roles",
    "personal_data",
    "demo",
    "home_blocks",
    "search_providers",
    "audit_labels",
)


def _ensure_groups(sender, **kwargs) -> None:
    from .roles import ensure_groups

    ensure_groups()


class PtceConfig(AppConfig):
    name = "ptce"
    verbose_name = _("PTCE")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        autodiscover_modules(*PLUGIN_MODULES)
        # Run once, after the last app's post_migrate: by then auth has created every
        # app's permissions, wherever ptce sits in INSTALLED_APPS.
        last = [c for c in self.apps.get_app_configs() if c.models_module][-1]
        post_migrate.connect(_ensure_groups, sender=last, dispatch_uid="ptce_groups")
        self._watch_identity()
        from . import personcache
        from .pagecache import (
            connect_all_models,
            connect_wagtail_signals,
            invalidate_on_change,
        )
        from .templatetags.ptce_cache import ADMIN_ACCESS, ADMIN_ACCESS_TIMEOUT

        personcache.register(ADMIN_ACCESS, timeout=ADMIN_ACCESS_TIMEOUT)
        self._forget_cached_users()
        connect_all_models()
        connect_wagtail_signals()
        invalidate_on_change(self.get_model("SiteIdentity"))

    def _forget_cached_users(self) -> None:
        """The signed-in person's cached row (ptce.auth) goes when the row changes."""
        from django.contrib.auth import get_user_model

        from .auth import forget_saved_user

        user_model = get_user_model()
        for signal in (post_save, post_delete):
            signal.connect(
                forget_saved_user,
                sender=user_model,
                weak=False,
                dispatch_uid=f"ptce_auth_forget_{signal is post_save}",
            )

    def _watch_identity(self) -> None:
        """Drop the cached identity when it, or what its footer links to, changes."""
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page

        from .identity import forget_identity

        watched = (
            self.get_model("SiteIdentity"),
            Page,
            get_image_model(),
            get_document_model(),
        )

        def on_change(sender, instance, **kwargs) -> None:
            if isinstance(instance, watched):
                forget_identity()

        post_save.connect(on_change, weak=False, dispatch_uid="ptce_identity_save")
        post_delete.connect(on_change, weak=False, dispatch_uid="ptce_identity_delete")
