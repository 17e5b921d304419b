from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("lue/", views.notification_read, name="read"),
    # The form of pages shown before the centre had one form for all its items.
    path("<int:pk>/lue/", views.notification_read, name="read_one"),
    path("tout-lire/", views.notification_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("annonce/", views.announcement_create, name="announcement"),
    path("annonces/", views.announcement_list, name="announcement_list"),
    path("annonces/<int:pk>/", views.announcement_detail, name="announcement_detail"),
]
