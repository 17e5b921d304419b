from django.urls import path

from . import views

app_name = "forum"

urlpatterns = [
    path("", views.forum_index, name="forum_index"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/message/<int:pk>/", views.queue_item, name="queue_item"),
    path("moderation/suspendre/<int:user_id>/", views.suspend, name="suspend"),
    path("moderation/statistiques/", views.metrics, name="metrics"),
    path("moderation/moderateurs/<slug:slug>/", views.delegation, name="delegation"),
    path("sujet/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("sujet/<int:pk>/repondre/", views.post_reply, name="post_reply"),
    path("sujet/<int:pk>/suivre/", views.thread_follow, name="thread_follow"),
    path("sujet/<int:pk>/moderer/", views.thread_moderate, name="thread_moderate"),
    path("message/<int:pk>/modifier/", views.post_edit, name="post_edit"),
    path("message/<int:pk>/signaler/", views.post_flag, name="post_flag"),
    path("page/<int:page_id>/commenter/", views.page_comment, name="page_comment"),
    path("confirmer/<str:token>/", views.guest_confirm, name="guest_confirm"),
    path("<slug:slug>/", views.forum_detail, name="forum_detail"),
    path("<slug:slug>/nouveau-sujet/", views.thread_create, name="thread_create"),
]
