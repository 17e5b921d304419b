from django.urls import path

from . import views

app_name = "pooling"

urlpatterns = [
    path("", views.my_space, name="my_space"),
    path("recherche/", views.search, name="search"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("jour/", views.day_view, name="day"),
    path("demandes/", views.approvals, name="approvals"),
    path("reserver-ensemble/", views.set_create, name="set_create"),
    path("ressources/<int:pk>/semaine/", views.week_view, name="week"),
    path("ressources/<int:pk>/reserver/", views.booking_create, name="booking_create"),
    path("reservations/<int:pk>/", views.booking_detail, name="booking_detail"),
    path(
        "reservations/<int:pk>/modifier/", views.booking_change, name="booking_change"
    ),
    path("reservations/<int:pk>/annuler/", views.booking_cancel, name="booking_cancel"),
    path("reservations/<int:pk>/decider/", views.booking_decide, name="booking_decide"),
]
