from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from html import escape
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ptce.personcache import request_value

from . import selectors, services
from .cached import FIRST_PAGE, TOTAL
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
    # The count from the person's cache (read with the header's values): no COUNT.
    # It only numbers the pages: the rows are read from the page number alone (page
    # 1's from the person's cache too, below).
    paginator = Paginator((), PAGE_SIZE)
    paginator.count = request_value(
        request, TOTAL, lambda: selectors.total_count(user=user)
    )
    try:
        number = paginator.validate_number(request.GET.get("page"))
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    if number == 1:
        # The first page's rows are kept per person until one of their notifications
        # changes (notifications.cached): the page a reader opens costs no query.
        rows = request_value(
            request,
            FIRST_PAGE,
            lambda: selectors.notification_page(user=user, offset=0, limit=PAGE_SIZE),
        )
    else:
        rows = selectors.notification_page(
            user=user, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    page_obj = Page(rows, number, paginator)
    links = _links(get_script_prefix())
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page_obj,
            "links": links,
            "groups": _day_groups(page_obj.object_list, links),
            "can_send": request_value(
                request, CAN_ANNOUNCE, lambda: can_send_announcement(user)
            ),
        },
    )


def _day_groups(rows: list[tuple], links: dict) -> list[dict]:
    """The page's notifications by local day, each day's items as one string of
    HTML written in Python: the template language cost about 0.2 ms per item (25 a
    page). The unread items' buttons belong to the page's one form (the template)
    and name their notification: one CSRF token a page, not one per item."""
    zone = timezone.get_current_timezone()
    language = get_language()
    today = timezone.localdate()
    groups: list[dict] = []
    items: list[str] = []
    day = ""
    for pk, text, created_at, read_at in rows:
        iso, item = _item(
            pk, text, created_at, read_at is None, zone, language, links["open"]
        )
        if iso[:10] != day:
            day, items = iso[:10], []
            on = date.fromisoformat(day)
            groups.append({"day": on, "label": _day_label(on, today), "items": items})
        items.append(item)
    for group in groups:
        group["items"] = mark_safe("\n".join(group["items"]))  # escaped in _item
    return groups


@lru_cache(maxsize=4096)
def _item(pk, text, created_at, unread, zone, language, open_url) -> tuple[str, str]:
    """(local ISO time, the item's HTML): kept per process under everything it
    shows (the row, read or not, the time zone, the language, the link's pattern),
    so never stale; a person's page asked again writes none of its items. The text
    escaped with html.escape(), as Django's escape()."""
    # "2026-11-30T09:05+01:00": the attribute, the day and the time shown.
    iso = created_at.astimezone(zone).isoformat(timespec="minutes")
    text = escape(text)
    item = (
        f'<a href="{open_url(pk)}">{text}</a><time datetime="{iso}">{iso[11:16]}</time>'
    )
    if not unread:
        return iso, f'<li class="notification">{item}</li>'
    # Translated outside the f-strings, where makemessages would not see them.
    badge, mark = escape(_("Unread")), escape(_("Mark as read"))
    return iso, (
        f'<li class="notification notification--unread">'
        f'<span class="badge">{badge}</span>{item}'
        f'<button name="notification" value="{pk}" class="link-button">'
        f'{mark}<span class="visually-hidden"> : '
        f"{text}</span></button></li>"
    )


@lru_cache(maxsize=8)
def _links(script_prefix: str) -> dict:
    """The centre's URLs, reversed once per script prefix (all they depend on: no
    language prefix, one URLconf). "open": a notification's link for its pk (the
    pattern escaped once; a pk is digits)."""
    head, _marker, tail = escape(
        reverse("notifications:open", args=[987654321])
    ).partition("987654321")
    return {
        "open": lambda pk: f"{head}{pk}{tail}",
        **{
            name: reverse(f"notifications:{name}")
            for name in ("read", "read_all", "preferences", "announcement")
        },
    }


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
def notification_read(request, pk: int | None = None):
    """The centre's form: the pressed button's `notification`. (`pk` in the path:
    the form of pages shown before the centre had one form.)"""
    if pk is None:
        try:
            pk = int(request.POST.get("notification", ""))
        except ValueError:
            raise Http404 from None
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
