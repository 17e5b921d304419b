from __future__ import annotations

import factory
from django.utils import timezone

from forum import markup
from forum.models import Forum, Mode, Post, Thread
from ptce.search_providers import fold
from tests.factories import UserFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    title = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.Sequence(lambda n: f"forum-{n}")
    mode = Mode.A_PRIORI
    visibility = Forum.Visibility.PUBLIC


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Sujet {n}")
    author = factory.SubFactory(UserFactory)


class PostFactory(factory.django.DjangoModelFactory):
    """A post written straight to the table (fixtures for reads, not for rules)."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message numéro {n}")
    body_html = factory.LazyAttribute(lambda o: markup.render(o.body))
    search_text = factory.LazyAttribute(lambda o: fold(o.body))
    status = Post.Status.PUBLISHED
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Post.Status.PUBLISHED else None
    )
    queued_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Post.Status.PENDING else None
    )

    @factory.post_generation
    def count(self, create, extracted, **kwargs):
        if create and self.status == Post.Status.PUBLISHED:
            Thread.objects.filter(pk=self.thread_id).update(
                published_count=self.thread.posts.filter(status="published").count(),
                last_published_at=timezone.now(),
            )
            self.thread.refresh_from_db()
