"""Reads of news items for the site: lists, filters, archive, feeds, related items.

Only live, public pages ever leave these functions (drafts, submissions under review,
pages under a view restriction never do); each costs a fixed number of queries.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import TaskState

from members.models import Organisation

from .models import NewsIndexPage, NewsPage, NewsPageStructure, NewsPageTag
from .related import RelatedItem, RelatedProvider, register_related, related_items

LIST_RENDITION = "fill-480x270"
HOME_RENDITION = "fill-480x270"
MAIN_RENDITION = "width-1000"
FEED_ITEMS = 20


def published_news() -> QuerySet[NewsPage]:
    return NewsPage.objects.live().public()


def _images():
    return get_image_model().objects.prefetch_renditions(LIST_RENDITION)


def for_listing(queryset: QuerySet[NewsPage]) -> QuerySet[NewsPage]:
    """What a list shows of each item, in a fixed number of queries."""
    return queryset.order_by("-first_published_at", "-pk").prefetch_related(
        Prefetch("main_image", queryset=_images()),
        Prefetch("tagged_items", queryset=NewsPageTag.objects.select_related("tag")),
        Prefetch(
            "cosigners",
            queryset=NewsPageStructure.objects.select_related("organisation").order_by(
                "sort_order"
            ),
        ),
    )


@dataclass(frozen=True)
class NewsFilters:
    tag: Tag | None = None
    structure: Organisation | None = None
    month: date | None = None  # first day of the month

    @property
    def active(self) -> bool:
        return bool(self.tag or self.structure or self.month)


def parse_month(value: str) -> date | None:
    """'2014-09' → 1 September 2014; anything else → None."""
    try:
        year, month = (int(part) for part in str(value or "").split("-"))
        return date(year, month, 1) if 1900 <= year <= 2200 else None
    except (TypeError, ValueError):
        return None


_SLUG = re.compile(r"^[-\w]{1,200}$")


def _slug(value) -> str:
    value = str(value or "")
    return value if _SLUG.match(value) else ""


def read_filters(params) -> NewsFilters:
    """Filters from a query string: unknown values are ignored, never an error."""
    tag_slug = _slug(params.get("tag"))[:100]
    structure_slug = _slug(params.get("structure"))
    tag = Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
    structure = (
        Organisation.objects.filter(
            slug=structure_slug, status=Organisation.Status.MEMBER
        ).first()
        if structure_slug
        else None
    )
    return NewsFilters(
        tag=tag, structure=structure, month=parse_month(params.get("mois"))
    )


def _month_bounds(first_day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    last = calendar.monthrange(first_day.year, first_day.month)[1]
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(first_day.replace(day=last), time.max, tzinfo=zone)
    return start, end


def filtered_news(filters: NewsFilters) -> QuerySet[NewsPage]:
    queryset = published_news()
    if filters.tag:
        queryset = queryset.filter(tagged_items__tag=filters.tag)
    if filters.structure:
        queryset = queryset.filter(cosigners__organisation=filters.structure)
    if filters.month:
        queryset = queryset.filter(
            first_published_at__range=_month_bounds(filters.month)
        )
    return for_listing(queryset.distinct())


def tags_in_use() -> list[Tag]:
    """Tags of published news, most used first: 1 query."""
    return list(
        Tag.objects.filter(news_newspagetag_items__content_object__in=published_news())
        .annotate(count=Count("news_newspagetag_items", distinct=True))
        .order_by("-count", "name")
    )


def cosigning_structures() -> list[Organisation]:
    """Member structures that co-sign at least one published item: 1 query."""
    return list(
        Organisation.objects.filter(
            pk__in=NewsPageStructure.objects.filter(page__in=published_news()).values(
                "organisation_id"
            )
        ).order_by("name")
    )


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int

    @property
    def key(self) -> str:
        return self.month.strftime("%Y-%m")


def months() -> list[MonthCount]:
    """Months with published news, newest first, with their counts: 1 query."""
    rows = (
        published_news()
        .annotate(
            month=TruncMonth("first_published_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
        )
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    result = []
    for row in rows:
        value = row["month"]
        if value is None:
            continue
        day = value.date() if isinstance(value, datetime) else value
        result.append(MonthCount(month=day.replace(day=1), count=row["count"]))
    return result


def archive_by_year() -> list[tuple[int, list[MonthCount]]]:
    years: dict[int, list[MonthCount]] = {}
    for entry in months():
        years.setdefault(entry.month.year, []).append(entry)
    return sorted(years.items(), reverse=True)


def news_index() -> NewsIndexPage | None:
    return NewsIndexPage.objects.live().first()


def feed_items(*, tag: Tag | None = None) -> list[NewsPage]:
    queryset = published_news()
    if tag is not None:
        queryset = queryset.filter(tagged_items__tag=tag)
    return list(
        queryset.order_by("-first_published_at", "-pk").prefetch_related(
            Prefetch(
                "tagged_items", queryset=NewsPageTag.objects.select_related("tag")
            ),
            Prefetch(
                "cosigners",
                queryset=NewsPageStructure.objects.select_related(
                    "organisation"
                ).order_by("sort_order"),
            ),
        )[:FEED_ITEMS]
    )


def latest_news(*, limit: int = 3) -> list[NewsPage]:
    return list(for_listing(published_news())[:limit])


# --- one news page -----------------------------------------------------------------
def _related_news(tag_ids: list[int], *, exclude, limit: int) -> list[RelatedItem]:
    exclude_pk = getattr(exclude, "pk", None) if isinstance(exclude, NewsPage) else None
    rows = (
        published_news()
        .filter(tagged_items__tag_id__in=tag_ids)
        .exclude(pk=exclude_pk)
        .annotate(
            shared=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids))
        )
        .order_by("-shared", "-first_published_at")
        .only(
            "pk",
            "title",
            "url_path",
            "introduction",
            "first_published_at",
            "depth",
            "path",
        )
    )[:limit]
    return [
        RelatedItem(
            title=page.title,
            url=page.url,
            kind=_("News item"),
            date=page.first_published_at,
            summary=page.introduction,
            shared_tags=page.shared,
            key=f"news:{page.pk}",
        )
        for page in rows
    ]


register_related(RelatedProvider(key="news", find=_related_news))


def forum_installed() -> bool:
    return apps.is_installed("forum")


def news_page_context(page: NewsPage) -> dict:
    """What a news page shows besides its own fields, read only when shown.

    Each value is lazy: the page template keeps all of it in one fragment cached
    per content version (ptce.pagecache), so a warm page costs none of these
    queries (tags, co-signers, breadcrumb, related items).
    """
    saved = page.pk is not None

    def tags() -> list[Tag]:
        return list(page.tags.all()) if saved else []

    def cosigners() -> list[Organisation]:
        links = (
            NewsPageStructure.objects.filter(page=page)
            .select_related("organisation")
            .order_by("sort_order")
            if saved
            else page.cosigners.all()
        )
        return [link.organisation for link in links]

    def ancestors() -> list:
        if not saved:
            return []
        return list(page.get_ancestors().filter(depth__gt=1).specific(defer=True))

    news_tags = SimpleLazyObject(tags)
    breadcrumb = SimpleLazyObject(ancestors)
    return {
        "news_tags": news_tags,
        "cosigners": SimpleLazyObject(cosigners),
        "breadcrumb": breadcrumb,
        "news_index": SimpleLazyObject(
            lambda: next((a for a in breadcrumb if isinstance(a, NewsIndexPage)), None)
        ),
        "related": SimpleLazyObject(
            lambda: related_items([t.pk for t in news_tags], exclude=page, limit=3)
        ),
        "forum_installed": forum_installed(),
    }


# --- co-signing --------------------------------------------------------------------
def cosign_task_states_for(*, user) -> list[TaskState]:
    """Co-signing steps in progress where it is one of `user`'s structures' turn.

    Four queries whatever the number of steps in progress: the co-signers of each
    text under review are read from its revision's stored content
    (`workflows.revision_structure_ids`), never by building the page. Each state
    gets `cosign_structure` (whose turn) and `cosign_structures` (all, in order);
    the page that shows one text builds it with `cosign_draft(state)`.
    """
    from .workflows import revision_structure_ids

    if not (user and user.is_authenticated):
        return []
    referent_of = set(
        user.memberships.filter(role="referent").values_list(
            "organisation_id", flat=True
        )
    )
    if not referent_of:
        return []
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__content_type__app_label="news",
            task__content_type__model="cosigntask",
        )
        .select_related("revision", "workflow_state__requested_by")
        .prefetch_related("cosign_approvals")
        .order_by("started_at")
    )
    links = {state.pk: revision_structure_ids(state.revision) for state in states}
    found = Organisation.objects.in_bulk({i for ids in links.values() for i in ids})
    mine = []
    for state in states:
        structures = [found[i] for i in links[state.pk] if i in found]
        done = {approval.organisation_id for approval in state.cosign_approvals.all()}
        current = next((o for o in structures if o.pk not in done), None)
        if current is not None and current.pk in referent_of:
            state.cosign_structure = current
            state.cosign_structures = structures
            mine.append(state)
    return mine


@dataclass(frozen=True)
class CosignDraft:
    """What a référent reads of the text under review (cosign_review page)."""

    title: str
    introduction: str
    body: object  # the StreamValue, rendered by the template
    tags: list[Tag]


def cosign_draft(state: TaskState) -> CosignDraft:
    """The text under review, read from the revision's stored content.

    Not `revision.as_object()`: rebuilding the page checks each of its child rows'
    foreign keys (one query per co-signer and per tag) and loads its owner, locale
    and parent. Here: one query for the tags, then the body's own blocks.
    """
    content = state.revision.content or {}
    body = NewsPage._meta.get_field("body").to_python(content.get("body") or "[]")
    tag_ids = [row.get("tag") for row in content.get("tagged_items") or []]
    return CosignDraft(
        title=content.get("title", ""),
        introduction=content.get("introduction", ""),
        body=body,
        tags=list(Tag.objects.filter(pk__in=tag_ids).order_by("name"))
        if tag_ids
        else [],
    )


def submissions_of(*, user) -> list[NewsPage]:
    """The news items `user` proposed, newest first, with their workflow state."""
    pages = list(NewsPage.objects.filter(owner=user).order_by("-pk")[:50])
    if not pages:
        return []
    from wagtail.models import WorkflowState

    states = {}
    for state in (
        WorkflowState.objects.filter(
            object_id__in=[str(p.pk) for p in pages],
            base_content_type_id=pages[0].get_base_content_type().pk,
        )
        .select_related("current_task_state__task")
        .order_by("pk")
    ):
        states[state.object_id] = state  # the latest wins
    for page in pages:
        page.news_workflow_state = states.get(str(page.pk))
    return pages
