from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class AuditEvent(models.Model):
    """One rule-carrying change: who did what to which object, when, from → to, why.

    Written by `ptce.services.audit_record` in the same transaction as the change.
    `scope` is the object whose history page shows the event (usually a structure), so
    a structure's page lists the events of its people, requests and bookings.
    """

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scope_id = models.CharField(max_length=64, blank=True)
    before = models.CharField(_("from"), max_length=100, blank=True)
    after = models.CharField(_("to"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"]),
            models.Index(fields=["scope_type", "scope_id", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}"


@register_setting(icon="site")
class SiteIdentity(BaseGenericSetting):
    """The PTCE's identity, shown in every page's header and footer and in e-mails.

    Read it with `ptce.identity.get_identity()` (cached, invalidated on save).
    """

    name = models.CharField(_("PTCE name"), max_length=150, default="PTCE")
    # The body that runs the PTCE, as its statutes name it ("Association PTCE Rives
    # Solidaires", "SCIC …"): written in the legal notice, and like the name never
    # annotated by the glossary (a definition of "Association" inside a name misleads).
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name of the body that runs the PTCE, as in its statutes, e.g. "
            "“Association PTCE Rives Solidaires”. The glossary never defines a term "
            "inside it."
        ),
    )
    territory = models.CharField(_("territory"), max_length=150, blank=True)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    charter = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("charter document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("legal notice page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class AccessibilityStatus(models.TextChoices):
        NONE = "none", _("not compliant")
        PARTIAL = "partial", _("partially compliant")
        FULL = "full", _("fully compliant")

    accessibility_status = models.CharField(
        _("RGAA compliance status"),
        max_length=16,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NONE,
        help_text=_("As stated in the accessibility statement; shown in the footer."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The footer reads these on every request: fetch them with the setting.
    select_related = [
        "legal_notice_page",
        "accessibility_page",
        "privacy_page",
        "charter",
        "logo",
    ]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("legal_name"),
                FieldPanel("territory"),
                FieldPanel("tagline"),
            ],
            heading=_("Identity"),
        ),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("address"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("charter"),
        MultiFieldPanel(
            [
                PageChooserPanel("legal_notice_page"),
                PageChooserPanel("accessibility_page"),
                FieldPanel("accessibility_status"),
                PageChooserPanel("privacy_page"),
            ],
            heading=_("Legal pages (linked in the footer)"),
        ),
    ]

    class Meta:
        verbose_name = _("PTCE identity")
