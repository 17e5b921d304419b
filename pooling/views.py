from __future__ import annotations

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


my_space = search = day_view = approvals = set_create = week_view = _todo
booking_create = booking_detail = booking_cancel = booking_decide = _todo
