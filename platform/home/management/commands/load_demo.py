from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from home.demo import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the fictional demo PTCE; safe to run again."

    def handle(self, *args, **options):
        # The demo's addresses are fictitious: the e-mails that loading it triggers
        # (announcement, join request) stay in the outbox, marked sent, not printed.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            summary = load_demo(base_url=settings.SITE_URL)
        self.stdout.write(self.style.SUCCESS("Demo PTCE “Rives Solidaires” is ready."))
        self.stdout.write(f"Site: {summary.url}/  —  admin: {summary.url}/cms/")
        self.stdout.write(f"Every demo account's password: {summary.password}")
        for email, role in summary.logins:
            self.stdout.write(f"  {email:<32} {role}")
