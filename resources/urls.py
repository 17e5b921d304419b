from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/modifier/", views.resource_edit, name="edit"),
    path("<int:pk>/horaires/", views.resource_hours, name="hours"),
    path("<int:pk>/fermetures/", views.resource_closures, name="closures"),
    path(
        "<int:pk>/fermetures/<int:closure_pk>/retirer/",
        views.closure_remove,
        name="closure_remove",
    ),
    path("<int:pk>/photos/", views.resource_photos, name="photos"),
    path(
        "<int:pk>/photos/<int:photo_pk>/retirer/",
        views.photo_remove,
        name="photo_remove",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/deplacer/",
        views.photo_move,
        name="photo_move",
    ),
    path("<int:pk>/gestionnaires/", views.resource_managers, name="managers"),
    path("<int:pk>/statut/", views.resource_status, name="status"),
    path("structure/<slug:slug>/", views.organisation_resources, name="organisation"),
    path("structure/<slug:slug>/ajouter/", views.resource_create, name="create"),
]
