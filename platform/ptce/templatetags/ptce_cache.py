"""`{% shared_fragment "name" vary… %}…{% endshared_fragment %}`: a template fragment
that does not depend on the person, cached per content version and language.

Like Django's `{% cache %}` with `content_version` and `LANGUAGE_CODE` always in the
key and `fragment_timeout` as its time-out (0 in a Wagtail preview: no cache), plus a
copy in the process's memory (`ptce.pagecache.versioned`): a hit costs no round trip
to Redis. Never put anything of the person's inside (name, counts, CSRF token).

`{% person_fragment "name" vary… %}…{% endperson_fragment %}`: a fragment of the
signed-in person's own page (the header's bell, menu and counts), kept in this
process's memory only, under the person, the content version, the language and
`vary`. Everything of the person's that it shows (their counts, name, the page it
marks as current) must be in `vary`, read before it (the header reads its counts
from the request's one batch, ptce.personcache); never a CSRF token. Rendered each
time for a visitor, in a preview, or without the cache.
"""

from __future__ import annotations

import hashlib

from django import template
from django.utils.translation import get_language

from ptce.pagecache import (
    FRAGMENT_TIMEOUT,
    LocalTier,
    request_content_version,
    versioned,
)

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context) -> str:
        vary = [str(var.resolve(context)) for var in self.vary_on]
        digest = hashlib.md5(
            "\x1f".join(vary).encode(), usedforsecurity=False
        ).hexdigest()
        return versioned(
            context.get("request"),
            ("fragment", self.name, get_language(), digest),
            lambda: self.nodelist.render(context),
            timeout=context.get("fragment_timeout", FRAGMENT_TIMEOUT),
        )


def _parse_fragment(parser, token, node_class):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes a fragment name, then what it varies on."
        )
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    name = bits[1]
    if not (name[0] == name[-1] and name[0] in "\"'"):
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a quoted name.")
    return node_class(
        nodelist, name[1:-1], [parser.compile_filter(bit) for bit in bits[2:]]
    )


@register.tag
def shared_fragment(parser, token) -> SharedFragmentNode:
    return _parse_fragment(parser, token, SharedFragmentNode)


# Its own memory: many people's fragments must not push the shared ones out.
_person_tier = LocalTier(max_entries=2_000)


class PersonFragmentNode(SharedFragmentNode):
    def render(self, context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        timeout = context.get("fragment_timeout", FRAGMENT_TIMEOUT)
        if user is None or not user.is_authenticated or not timeout:
            return self.nodelist.render(context)
        version = request_content_version(request)
        if version is None:
            return self.nodelist.render(context)
        vary = [str(user.pk), *(str(var.resolve(context)) for var in self.vary_on)]
        # sha256, not md5: the path is the visitor's to choose.
        digest = hashlib.sha256("\x1f".join(vary).encode()).hexdigest()
        key = f"{version}:{self.name}:{get_language()}:{digest}"
        html = _person_tier.get(key)
        if html is None:
            html = self.nodelist.render(context)
            _person_tier.set(key, html, timeout)
        return html


@register.tag
def person_fragment(parser, token) -> PersonFragmentNode:
    return _parse_fragment(parser, token, PersonFragmentNode)


ADMIN_ACCESS = "admin-access"
ADMIN_ACCESS_TIMEOUT = 300  # not forgotten on a permission change: the admin checks


@register.simple_tag(takes_context=True)
def admin_link_allowed(context) -> bool:
    """Whether the header links to the Wagtail admin, per person for 5 minutes (read
    with the other header values, ptce.personcache); the admin checks again."""
    from ptce.personcache import request_value

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return request_value(
        request,
        ADMIN_ACCESS,
        lambda: user.has_perm("wagtailadmin.access_admin"),
        timeout=ADMIN_ACCESS_TIMEOUT,
    )
