from __future__ import annotations

import pytest

from members.eligibility import eligibility_check
from members.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

C = Organisation.Category


def member(category: str, status: str = Organisation.Status.MEMBER):
    legal_form = Organisation.LegalForm.ASSOCIATION if category == C.ESS else ""
    return OrganisationFactory(category=category, legal_form=legal_form, status=status)


def test_empty_ptce_fails_every_condition():
    check = eligibility_check()
    assert not check.is_eligible
    assert check.failing == ["members", "ess_enterprise", "company", "other_actor"]


def test_three_members_of_the_three_kinds_are_eligible():
    member(C.ESS)
    member(C.COMPANY)
    member(C.RESEARCH)
    check = eligibility_check()
    assert check.is_eligible and check.failing == []
    assert (
        check.members,
        check.ess_enterprises,
        check.companies,
        check.other_actors,
    ) == (
        3,
        1,
        1,
        1,
    )


@pytest.mark.parametrize(
    "other",
    [C.LOCAL_AUTHORITY, C.RESEARCH, C.HIGHER_EDUCATION, C.TRAINING, C.OTHER],
)
def test_every_other_art9_category_counts_as_other_actor(other):
    member(C.ESS)
    member(C.COMPANY)
    member(other)
    assert eligibility_check().is_eligible


def test_many_members_without_a_company_are_not_eligible():
    for _ in range(5):
        member(C.ESS)
    member(C.LOCAL_AUTHORITY)
    check = eligibility_check()
    assert check.failing == ["company"]
    assert check.has_enough_members


def test_companies_do_not_count_as_other_actors():
    member(C.ESS)
    member(C.COMPANY)
    member(C.COMPANY)
    assert eligibility_check().failing == ["other_actor"]


def test_two_members_are_not_enough():
    member(C.ESS)
    member(C.COMPANY)
    assert eligibility_check().failing == ["members", "other_actor"]


@pytest.mark.parametrize(
    "status",
    [
        Organisation.Status.APPLIED,
        Organisation.Status.DECLINED,
        Organisation.Status.FORMER,
    ],
)
def test_only_current_members_count(status):
    member(C.ESS)
    member(C.COMPANY)
    member(C.TRAINING, status=status)
    check = eligibility_check()
    assert check.members == 2
    assert check.failing == ["members", "other_actor"]


def test_check_is_one_query(django_assert_num_queries):
    member(C.ESS)
    with django_assert_num_queries(1):
        eligibility_check()
