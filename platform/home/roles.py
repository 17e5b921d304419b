"""What the PTCE-wide groups may do in the Wagtail admin and the site's content."""

from ptce.roles import COORDINATORS, MODERATORS, grant, grant_collections, grant_pages

grant(COORDINATORS, "wagtailadmin.access_admin")
grant(MODERATORS, "wagtailadmin.access_admin")
grant(
    COORDINATORS,
    *(f"home.{a}_glossaryterm" for a in ("view", "add", "change", "delete")),
)
grant_pages(
    COORDINATORS, "add_page", "change_page", "publish_page", "lock_page", "unlock_page"
)
grant_collections(
    COORDINATORS,
    *(f"wagtailimages.{a}_image" for a in ("add", "change", "choose")),
    *(f"wagtaildocs.{a}_document" for a in ("add", "change", "choose")),
)
