from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ptce import home_blocks


class HomePage(Page):
    introduction = models.TextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown beside the introduction; decorative (no description read)."),
    )
    body = RichTextField(_("presentation"), blank=True)
    featured_count = models.PositiveSmallIntegerField(
        _("member structures shown"),
        default=6,
        help_text=_(
            "How many member structures the home page presents (0 hides them)."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("featured_count"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        # Imported here: selectors import this module's models.
        from .selectors import featured_organisations, home_cards, home_figures

        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template reads them only when its cached fragment is stale.
        context["figures"] = SimpleLazyObject(home_figures)
        context["cards"] = SimpleLazyObject(home_cards)
        context["card_stylesheets"] = home_blocks.card_stylesheets()
        context["featured_organisations"] = featured_organisations(
            limit=self.featured_count
        )
        return context


class StandardPage(Page):
    introduction = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")


class GlossaryTerm(index.Indexed, models.Model):
    """A term of the PTCE's vocabulary, defined once and shown inline in page bodies."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_(
            "Anchor of the term on the glossary page; filled in from the term."
        ),
    )
    definition = models.CharField(
        _("short definition"),
        max_length=300,
        help_text=_("One or two sentences, shown where the term appears in a page."),
    )
    body = RichTextField(_("longer explanation"), blank=True)
    synonyms = models.CharField(
        _("synonyms and variants"),
        max_length=255,
        blank=True,
        help_text=_(
            "Other spellings or forms marked like the term, separated by commas "
            "(e.g. “économie sociale et solidaire, l’ESS”)."
        ),
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("slug"),
        FieldPanel("definition"),
        FieldPanel("synonyms"),
        FieldPanel("body"),
    ]
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("synonyms"),
        index.SearchField("definition"),
    ]

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.term)[:100]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{reverse('home:glossary')}#{self.slug}"

    @property
    def variants(self) -> list[str]:
        """The term and its synonyms, longest first so "SCIC" never hides "SCIC SA"."""
        forms = [self.term, *(s.strip() for s in self.synonyms.split(","))]
        return sorted({f for f in forms if f}, key=len, reverse=True)


class ContactFormField(AbstractFormField):
    page = ParentalKey(
        "ContactPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class ContactPage(AbstractForm):
    """Write to the coordination: each message reaches the coordinators' notifications.

    A honeypot field and a per-address rate limit (views in `contact.py`) keep robots
    out; submissions are kept as Wagtail form submissions, readable in the admin.
    """

    introduction = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True)

    content_panels = AbstractForm.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("contact page")

    def get_form(self, *args, **kwargs):
        from .contact import prepare_form

        return prepare_form(super().get_form(*args, **kwargs))

    def serve(self, request, *args, **kwargs):
        from .contact import serve_contact

        return serve_contact(self, request)
