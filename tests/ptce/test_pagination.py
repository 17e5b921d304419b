"""{% pagination %}: the navigation under paginated lists, written in Python."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template("{% load ptce_pages %}{% pagination %}|{% pagination other '#x' %}")


def render(page_obj, other, extra="") -> tuple[str, str]:
    with translation.override("fr"):
        html = TEMPLATE.render(
            Context({"page_obj": page_obj, "other": other, "extra": extra})
        )
    return tuple(html.split("|"))


def test_one_page_shows_nothing_and_others_link_both_ways_with_the_filters():
    single = Paginator(range(5), 10).page(1)
    middle = Paginator(range(30), 10).page(2)
    first, anchored = render(single, middle, extra="&q=caf%C3%A9&x=<b>")
    assert first == ""
    assert 'href="?page=1#x" rel="prev"' in anchored
    assert 'href="?page=3#x" rel="next"' in anchored
    assert '<li aria-current="page">Page 2 sur 3</li>' in anchored
    assert '<nav aria-label="Pagination">' in anchored

    own, _ = render(middle, single, extra="&q=caf%C3%A9&x=<b>")
    # The context's filters follow each link, escaped.
    assert 'href="?page=1&amp;q=caf%C3%A9&amp;x=&lt;b&gt;"' in own
    assert 'href="?page=3&amp;q=caf%C3%A9&amp;x=&lt;b&gt;"' in own


def test_first_and_last_pages_have_one_link_and_english_follows_the_language():
    last = Paginator(range(30), 10).page(3)
    first = Paginator(range(30), 10).page(1)
    with translation.override("en"):
        html = TEMPLATE.render(Context({"page_obj": last, "other": first}))
    own, other = html.split("|")
    assert 'rel="prev"' in own and 'rel="next"' not in own
    assert "Page 3 of 3" in own and "Previous page" in own
    assert 'rel="next"' in other and 'rel="prev"' not in other
