from django.urls import path

from . import views, views_series

app_name = "pooling_calendars"

urlpatterns = [
    path("", views.calendars, name="index"),
    path("nouvelle-adresse/", views.token_regenerate, name="regenerate"),
    path(
        "ressources/<int:pk>/serie/", views_series.series_create, name="series_create"
    ),
    path(
        "reservations/<int:pk>/annuler-suivantes/",
        views_series.series_cancel_following,
        name="series_cancel_following",
    ),
    path("<str:token>/moi.ics", views.person_feed, name="person"),
    path(
        "<str:token>/structure/<slug:slug>.ics",
        views.organisation_feed,
        name="organisation",
    ),
    path("<str:token>/ressource/<int:pk>.ics", views.resource_feed, name="resource"),
]
