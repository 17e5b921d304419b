"""The blocks a news item's body is made of (StreamField)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "news/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    """An image of the library, with its alternative text (or marked decorative)."""

    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news/blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"),
        required=False,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "news/blocks/document.html"


class PageCardBlock(blocks.StructBlock):
    """A page of this site shown as a card (title, introduction, link)."""

    page = blocks.PageChooserBlock(label=_("page"))
    text = blocks.CharBlock(
        label=_("text"),
        required=False,
        max_length=300,
        help_text=_("Defaults to the page's introduction."),
    )

    class Meta:
        icon = "link"
        label = _("Page of the site")
        template = "news/blocks/page_card.html"


class NewsBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, icon="pilcrow"
    )
    figure = FigureBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
    page = PageCardBlock()
