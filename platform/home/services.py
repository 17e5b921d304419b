"""Writes of the public site."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from wagtail.contrib.forms.models import FormSubmission

from members.services import coordinators
from notifications.services import notify
from ptce.services import audit_record

from .kinds import CONTACT_MESSAGE


@transaction.atomic
def contact_message_send(*, page, data: dict[str, Any], by: Any) -> FormSubmission:
    """Keep the message as a form submission and tell every coordinator.

    Anyone may write (the page is public): the form and its rate limit are the guard.
    """
    submission = FormSubmission.objects.create(form_data=data, page=page)
    labels = {field.clean_name: field.label for field in page.get_form_fields()}
    fields = [(labels.get(name, name), value) for name, value in data.items()]
    notify(
        coordinators(),
        CONTACT_MESSAGE,
        context={"fields": fields, "page_title": page.title},
        target=page,
    )
    audit_record(
        actor=by if getattr(by, "is_authenticated", False) else None,
        action="home.contact.send",
        target=page,
        data={"submission": submission.pk},
    )
    return submission
