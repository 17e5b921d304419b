"""RSS 2.0 and Atom feeds of published news, all or one tag's (Django syndication)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Site

from . import selectors


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, *, index_page, kind: str, tag: Tag | None = None):
        super().__init__()
        self.index_page = index_page
        self.tag = tag
        self.kind = kind
        if kind == "atom":
            self.feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request)
        return self.tag

    def title(self, obj):
        site_name = self.site.site_name if self.site else ""
        if obj is not None:
            return _("%(site)s — news tagged “%(tag)s”") % {
                "site": site_name,
                "tag": obj.name,
            }
        return _("%(site)s — news") % {"site": site_name}

    def link(self, obj):
        url = self.index_page.get_full_url(self.request)
        return f"{url}?tag={obj.slug}" if obj is not None else url

    def feed_url(self, obj):
        return self.request.build_absolute_uri()

    def description(self, obj):
        return self.index_page.introduction or self.title(obj)

    def items(self, obj):
        return selectors.feed_items(tag=obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.introduction

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]

    def item_author_name(self, item):
        names = [link.organisation.name for link in item.cosigners.all()]
        return ", ".join(names) or (self.site.site_name if self.site else None)


def feed_response(request, *, index_page, kind: str, tag: str | None = None):
    tag_obj = None
    if tag is not None:
        tag_obj = Tag.objects.filter(slug=tag).first()
        if tag_obj is None:
            raise Http404
    return NewsFeed(index_page=index_page, kind=kind, tag=tag_obj)(request)
