"""The contact page's form: a honeypot against robots, a rate limit per address."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.validators import MaxLengthValidator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptce.addresses import client_address

from . import services

HONEYPOT = "site_web"
MESSAGE_MAX_LENGTH = 5000
RATE_LIMIT = 5  # messages per address and per hour
RATE_WINDOW = 60 * 60


class HoneypotField(forms.CharField):
    """Invisible to people (CSS, aria-hidden), filled in by robots that fill in all."""

    def __init__(self) -> None:
        super().__init__(
            required=False,
            label=gettext_lazy("Leave this field empty"),
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot"}
            ),
        )


def prepare_form(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not field.max_length:
            field.max_length = MESSAGE_MAX_LENGTH
            field.validators.append(MaxLengthValidator(MESSAGE_MAX_LENGTH))
            field.widget.attrs["maxlength"] = str(MESSAGE_MAX_LENGTH)
    form.fields[HONEYPOT] = HoneypotField()
    return form


def _rate_key(request) -> str:
    return f"home:contact:{client_address(request) or ''}"


def rate_limited(request) -> bool:
    """Count one message from this address; True past RATE_LIMIT in the window."""
    key = _rate_key(request)
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW)
        return False


def serve_contact(page, request):
    form = page.get_form(
        request.POST if request.method == "POST" else None, page=page, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != HONEYPOT}
        if form.cleaned_data.get(HONEYPOT):
            # Answer a robot as if it had succeeded: it learns nothing to adapt to.
            return page.render_landing_page(request, None)
        if rate_limited(request):
            form.add_error(
                None,
                _("Too many messages were sent from your connection. Try again later."),
            )
        else:
            submission = services.contact_message_send(
                page=page, data=data, by=request.user
            )
            return page.render_landing_page(request, submission)
    context = page.get_context(request)
    context["form"] = form
    context["honeypot"] = HONEYPOT
    return TemplateResponse(request, page.get_template(request), context)
