from django.urls import path

from . import views

app_name = "pooling_ledger"

urlpatterns = [
    path("", views.statement_index, name="index"),
    path("quotas/", views.quotas, name="quotas"),
    path("quotas/<int:pk>/supprimer/", views.quota_delete, name="quota_delete"),
    path("pole/<int:year>-<int:month>/", views.ptce_statement, name="ptce"),
    path(
        "pole/<int:year>-<int:month>/imprimer/",
        views.ptce_statement_print,
        name="ptce_print",
    ),
    path("pole/<int:year>-<int:month>/csv/", views.ptce_statement_csv, name="ptce_csv"),
    path(
        "pole/<int:year>-<int:month>/cloturer/", views.month_close, name="month_close"
    ),
    path(
        "structure/<slug:slug>/<int:year>-<int:month>/",
        views.structure_statement,
        name="structure",
    ),
    path(
        "structure/<slug:slug>/<int:year>-<int:month>/imprimer/",
        views.structure_statement_print,
        name="structure_print",
    ),
    path(
        "structure/<slug:slug>/<int:year>-<int:month>/csv/",
        views.structure_statement_csv,
        name="structure_csv",
    ),
]
