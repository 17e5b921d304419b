from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("mon-espace/", views.dashboard, name="dashboard"),
    path("structures/", views.organisation_list, name="organisation_list"),
    path("structures/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
