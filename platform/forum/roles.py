"""What the PTCE-wide groups may do with the forum in the Wagtail admin.

Moderation itself is checked by forum.permissions (the Modérateurs and Coordinateurs
groups, plus the people a coordinator names for one forum).
"""

from ptce.roles import COORDINATORS, MODERATORS, grant

MODERATION = (
    "forum.view_forum",
    "forum.change_forum",  # watched words
    "forum.view_post",
    "forum.view_suspension",
    "forum.view_rejectionreason",
    "forum.add_rejectionreason",
    "forum.change_rejectionreason",
    "forum.delete_rejectionreason",
)

grant(MODERATORS, *MODERATION)
grant(COORDINATORS, *MODERATION, "forum.add_forum")
