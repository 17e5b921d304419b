"""What is left under quotas, for the booking form.

{% load quota_tags %}{% quotas_left resource %}
"""

from __future__ import annotations

from django import template

from pooling import quotas
from pooling.ledger import periods

register = template.Library()


@register.inclusion_tag("pooling/ledger/_quotas_left.html", takes_context=True)
def quotas_left(context, resource):
    from pooling.permissions import bookable_organisations

    user = context["request"].user
    period = periods.current_month()
    rows = []
    for organisation in bookable_organisations(user):
        for remaining in quotas.remaining(
            resource=resource, organisation=organisation, period=period
        ):
            rows.append((organisation, remaining))
    return {"rows": rows, "period": period}
