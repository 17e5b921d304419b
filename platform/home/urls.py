from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("sante/", views.health, name="health"),
    path("recherche/", views.search, name="search"),
    path("glossaire/", views.glossary, name="glossary"),
    # Browsers and crawlers ask for /favicon.ico whatever the page declares.
    path("favicon.ico", views.favicon, name="favicon"),
]
