"""The décret 2015-431 check: may the PTCE apply for State support?

A PTCE must gather at least three legal-person members, including at least one ESS
enterprise, one company outside the ESS and one other actor of art. 9 of the loi ESS
(local authority, research centre, higher-education establishment, training body or
other body). Only structures whose status is "member" count.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Organisation
from .selectors import member_counts_by_category

MINIMUM_MEMBERS = 3
OTHER_ACTOR_CATEGORIES = (
    Organisation.Category.LOCAL_AUTHORITY,
    Organisation.Category.RESEARCH,
    Organisation.Category.HIGHER_EDUCATION,
    Organisation.Category.TRAINING,
    Organisation.Category.OTHER,
)


@dataclass(frozen=True)
class Eligibility:
    members: int
    ess_enterprises: int
    companies: int
    other_actors: int

    @property
    def has_enough_members(self) -> bool:
        return self.members >= MINIMUM_MEMBERS

    @property
    def has_ess_enterprise(self) -> bool:
        return self.ess_enterprises >= 1

    @property
    def has_company(self) -> bool:
        return self.companies >= 1

    @property
    def has_other_actor(self) -> bool:
        return self.other_actors >= 1

    @property
    def failing(self) -> list[str]:
        """Names of the conditions not met, in the decree's order."""
        conditions = {
            "members": self.has_enough_members,
            "ess_enterprise": self.has_ess_enterprise,
            "company": self.has_company,
            "other_actor": self.has_other_actor,
        }
        return [name for name, met in conditions.items() if not met]

    @property
    def is_eligible(self) -> bool:
        return not self.failing


def eligibility_check() -> Eligibility:
    """Counts over member structures: 1 query.

    Every Organisation is a structure, i.e. a legal person; a natural person taking
    part in the PTCE is not recorded as a structure.
    """
    counts = member_counts_by_category()
    return Eligibility(
        members=sum(counts.values()),
        ess_enterprises=counts.get(Organisation.Category.ESS, 0),
        companies=counts.get(Organisation.Category.COMPANY, 0),
        other_actors=sum(counts.get(c, 0) for c in OTHER_ACTOR_CATEGORIES),
    )
