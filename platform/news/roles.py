"""What the PTCE's groups may do with news (see ptce.roles).

Coordinators write, edit and publish news items in Wagtail (page permissions on the
site, images and documents of the library) and approve proposals (the workflow's
coordination step, tied to the Coordinateurs group). Members need no group: anyone
acting for a member structure may propose news from the site (news.permissions).
"""

from ptce.roles import COORDINATORS, grant, grant_collections, grant_pages

grant_pages(COORDINATORS, "add_page", "change_page", "publish_page")
grant_collections(
    COORDINATORS,
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
)
grant(COORDINATORS, "news.view_cosignapproval", "taggit.view_tag")
