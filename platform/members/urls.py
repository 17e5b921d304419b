from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("mon-espace/", views.dashboard, name="dashboard"),
    path("mon-espace/mon-compte/", views.account, name="account"),
    path("mon-espace/mes-donnees/", views.data_export, name="data_export"),
    path(
        "mon-espace/supprimer-mon-compte/",
        views.account_delete,
        name="account_delete",
    ),
    path("structures/", views.organisation_list, name="organisation_list"),
    path(
        "structures/<slug:slug>/", views.organisation_detail, name="organisation_detail"
    ),
    path(
        "structures/<slug:slug>/rejoindre/",
        views.join_request_create,
        name="join_request_create",
    ),
    path(
        "structures/<slug:slug>/gerer/",
        views.organisation_manage,
        name="organisation_manage",
    ),
    path(
        "structures/<slug:slug>/inviter/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "demandes/<int:pk>/decision/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "personnes/<int:pk>/modifier/",
        views.membership_update,
        name="membership_update",
    ),
    path(
        "personnes/<int:pk>/retirer/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "invitations/<int:pk>/revoquer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "invitation/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path("adhesion/", views.organisation_apply, name="organisation_apply"),
    path("adhesion/candidatures/", views.applications, name="applications"),
    path(
        "adhesion/candidatures/<slug:slug>/decision/",
        views.application_decide,
        name="application_decide",
    ),
]
