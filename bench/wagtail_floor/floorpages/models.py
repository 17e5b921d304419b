"""One page type, as in `wagtail start`: a title and a rich-text body."""

from __future__ import annotations

from wagtail.fields import RichTextField
from wagtail.models import Page


class FloorPage(Page):
    body = RichTextField(blank=True)
    content_panels = [*Page.content_panels, "body"]
