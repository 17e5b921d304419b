from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ptce import routing
from ptce.views import language_set

urlpatterns = [
    # Before Django's own: the same name, without a CSRF token (see ptce.views).
    path("i18n/setlang/", language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("home.urls")),
    path("comptes/", include("allauth.urls")),
    path("membres/", include("members.urls")),
    path("notifications/", include("notifications.urls")),
    path("mutualisation/releves/", include("pooling.ledger.urls")),
    path("mutualisation/calendriers/", include("pooling.calendars.urls")),
    path("mutualisation/", include("pooling.urls")),
    path("ressources/", include("resources.urls")),
    path("", include("news.urls")),
    path("forum/", include("forum.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.SERVE_MEDIA:
    from django.views.static import serve

    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(
            rf"^{media_prefix}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's page tree serves everything else; it must stay last. Its serve view
# comes first under its own name, with the routing remembered (ptce.routing).
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
