from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.services import email_enqueue
from ptce.addresses import client_address

PENDING_INVITATION_SESSION_KEY = "members.pending_invitation"


class AccountAdapter(DefaultAccountAdapter):
    """Site-specific allauth behaviour (e-mails go through the notifications outbox)."""

    def get_login_redirect_url(self, request) -> str:
        # Someone who opened an invitation, then signed up, confirmed their address and
        # logged in has lost ?next= on the way (verification is mandatory): bring them
        # back to the invitation they came for.
        return _pending_invitation(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        # Signed up with the invited address: signed in at once, back to the invitation.
        return _pending_invitation(request) or super().get_signup_redirect_url(request)

    def unstash_verified_email(self, request) -> str | None:
        # The invitation page stashes the invited address as proved (the link reached
        # it). allauth would then give that address, verified, to whatever account is
        # signed up next in this session: only when the address typed is that one.
        stashed = super().unstash_verified_email(request)
        typed = request.POST.get("email", "") if request.method == "POST" else ""
        if stashed and stashed.strip().lower() == typed.strip().lower():
            return stashed
        return None

    def get_client_ip(self, request) -> str:
        # allauth's rate limits by address (sign-in, sign-up, password reset) read
        # the same address as the platform's own (TRUSTED_PROXY_COUNT).
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Rendering and sending belong to the outbox: an e-mail queued in the request's
        # transaction survives a broker outage and is retried by the sweeper.
        request = self.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        full_context.update(context)
        email_enqueue(
            to=email,
            template_prefix=template_prefix,
            context=full_context,
            kind="account",
        )


def _pending_invitation(request) -> str | None:
    pending = request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
    if pending and url_has_allowed_host_and_scheme(pending, allowed_hosts=None):
        return pending
    return None
