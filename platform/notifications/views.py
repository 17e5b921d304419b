from __future__ import annotations

from datetime import timedelta
from html import escape
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ptce.personcache import request_value

from . import selectors, services
from .forms import AnnouncementForm, PreferencesForm
from .kinds import get_kind
from .models import Notification
from .permissions import (
    CAN_ANNOUNCE,
    can_read_notification,
    can_send_announcement,
)

PAGE_SIZE = 25
ANNOUNCEMENTS_PER_PAGE = 20


@login_required
def notification_list(request):
    user = request.user
    rows = selectors.notification_rows(user=user)
    # The count from the person's cache (read with the header's values): no COUNT.
    # It only numbers the pages: the rows are sliced from the page number alone.
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = request_value(
        request, services.TOTAL, lambda: selectors.total_count(user=user)
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    start = (page_obj.number - 1) * PAGE_SIZE
    page_obj.object_list = list(rows[start : start + PAGE_SIZE])
    today = timezone.localdate()
    render_items = _item_renderer(request)
    groups = [
        {"day": day, "label": _day_label(day, today), "items": render_items(items)}
        for day, items in selectors.group_by_day(list(page_obj))
    ]
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page_obj,
            "groups": groups,
            "can_send": request_value(
                request, CAN_ANNOUNCE, lambda: can_send_announcement(user)
            ),
        },
    )


def _item_renderer(request):
    """A day's notifications as HTML, written in Python: the template language
    cost about 0.2 ms per item (25 a page), and format_html() half of that, for a
    few fixed lines. What is the same for every item (labels, token, the links'
    pattern) is escaped once; the text with html.escape(), as Django's escape()."""
    open_url = _url_with_pk("notifications:open")
    read_url = _url_with_pk("notifications:read")
    unread = f'<span class="badge">{escape(_("Unread"))}</span>'
    form_end = (
        '<input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{escape(get_token(request))}">'
        f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'
        f'<button type="submit" class="link-button">{escape(_("Mark as read"))}'
    )

    def render_item(row: dict) -> str:
        created_at = timezone.localtime(row["created_at"])
        text = escape(row["text"])
        item = (
            f'<a class="notification__text" href="{escape(open_url(row["pk"]))}">'
            f'{text}</a><time class="notification__time" '
            f'datetime="{created_at.isoformat()}">{created_at:%H:%M}</time>'
        )
        if row["read_at"] is not None:
            return f'<li class="notification">{item}</li>'
        return (
            f'<li class="notification notification--unread">{unread}{item}'
            f'<form method="post" action="{escape(read_url(row["pk"]))}">{form_end}'
            f'<span class="visually-hidden"> : {text}</span></button></form></li>'
        )

    def render_items(rows: list[dict]) -> str:
        return mark_safe("\n".join(render_item(row) for row in rows))  # escaped

    return render_items


def _url_with_pk(name: str):
    """reverse(name, args=[pk]) for many pks at the cost of one reverse()."""
    marker = "987654321"
    url = reverse(name, args=[int(marker)])
    return lambda pk: url.replace(marker, str(pk))


def _day_label(day, today) -> str | None:
    if day == today:
        return _("Today")
    if day == today - timedelta(days=1):
        return _("Yesterday")
    return None  # the template formats the date


def _own_notification(request, pk: int) -> Notification:
    notification = get_object_or_404(Notification, pk=pk)
    if not can_read_notification(request.user, notification):
        raise PermissionDenied
    return notification


@login_required
@require_http_methods(["GET"])
def notification_open(request, pk: int):
    """Following a notification marks it read, then leads to its object."""
    notification = _own_notification(request, pk)
    services.notification_mark_read(notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request, pk: int):
    services.notification_mark_read(notification=_own_notification(request, pk))
    messages.success(request, _("The notification is marked as read."))
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return "notifications:list"


@login_required
def preferences(request):
    kinds = selectors.configurable_kinds(user=request.user)
    current = selectors.email_preferences(user=request.user)
    form = PreferencesForm(request.POST or None, kinds=kinds, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.chosen())
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Authenticated by the signed token, not by a session: mail clients POST here
# (List-Unsubscribe-Post, RFC 8058) without any cookie or CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = _unsubscribe_subject(token)
    if found is None:
        return render(
            request,
            "notifications/unsubscribe_invalid.html",
            status=HTTPStatus.BAD_REQUEST,
        )
    user, kind = found
    done = request.method == "POST"
    if done:
        services.unsubscribe(user=user, kind=kind.key)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": kind, "done": done, "token": token, "email": user.email},
    )


def _unsubscribe_subject(token: str):
    try:
        user_id, kind_key = services.unsubscribe_token_read(token)
        kind = get_kind(kind_key)
    except (signing.BadSignature, LookupError, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not kind.user_configurable:
        return None
    return user, kind


@login_required
def announcement_create(request):
    """Write, preview, then confirm: an announcement reaches everyone at once."""
    if not can_send_announcement(request.user):
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None)
    step = request.POST.get("step", "")
    if request.method == "POST" and form.is_valid() and step in ("preview", "send"):
        if step == "send":
            announcement = services.announcement_send(
                author=request.user,
                title=form.cleaned_data["title"],
                message=form.cleaned_data["message"],
            )
            messages.success(
                request,
                ngettext(
                    "The announcement was sent to %(count)d person.",
                    "The announcement was sent to %(count)d people.",
                    announcement.recipients_count,
                )
                % {"count": announcement.recipients_count},
            )
            return redirect(announcement)
        return render(
            request,
            "notifications/announcement_confirm.html",
            {
                "form": form,
                "title": form.cleaned_data["title"],
                "message": form.cleaned_data["message"],
                "count": selectors.announcement_recipients_count(),
            },
        )
    return render(request, "notifications/announcement_form.html", {"form": form})


@login_required
def announcement_list(request):
    page_obj = Paginator(selectors.announcements(), ANNOUNCEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/announcement_list.html",
        {
            "page_obj": page_obj,
            "announcements": page_obj.object_list,
            "can_send": can_send_announcement(request.user),
        },
    )


@login_required
def announcement_detail(request, pk: int):
    return render(
        request,
        "notifications/announcement_detail.html",
        {"announcement": selectors.announcement(pk=pk)},
    )
