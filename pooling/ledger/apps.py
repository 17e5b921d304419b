from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    """Cost sharing: ledger lines, monthly statements, closed months, quotas."""

    name = "pooling.ledger"
    label = "pooling_ledger"
    verbose_name = _("Cost sharing")
    default_auto_field = "django.db.models.BigAutoField"
