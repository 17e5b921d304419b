from django.urls import path

from . import views

app_name = "news"

# The news list, pages, archive and feeds are Wagtail pages (NewsIndexPage routes);
# these are the members' own pages.
urlpatterns = [
    path("proposer-une-actualite/", views.submit, name="submit"),
    path("mes-actualites/", views.submissions, name="submissions"),
    path(
        "mes-actualites/<int:pk>/modifier/",
        views.submission_edit,
        name="submission_edit",
    ),
    path("cosignatures/", views.cosign_list, name="cosign_list"),
    path("cosignatures/<int:pk>/", views.cosign_review, name="cosign_review"),
]
