from __future__ import annotations

import pytest

from ptce import demo, roles
from ptce.search_providers import fold, parse_terms
from ptce.selectors import audit_by_actor, audit_for_scope, audit_for_target
from ptce.services import audit_record
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ('ESS "coop', ["ess", "coop"]),
        ("d'accord \"", ["accord"]),
        ("l’ESS, qu'il aujourd'hui", ["ess", "il", "aujourd", "hui"]),
        ("snake_case «guillemets»", ["snake", "case", "guillemets"]),
        ("Straße", ["strasse"]),
        ("\x00", []),
        ("VÉLO  vélo canal", ["vélo", "canal"]),
        ("a OR b -c *", ["a", "or", "b", "c"]),
        (None, []),
    ],
)
def test_parse_terms_keeps_words_only(query, terms):
    assert parse_terms(query) == terms


def test_parse_terms_caps_length_and_count():
    assert len(parse_terms(" ".join(f"w{i}" for i in range(50)))) == 8
    assert parse_terms("x" * 100_000) == ["x" * 50]


def test_fold_ignores_accents_and_case():
    assert fold("Épicerie VÉLO") == "epicerie velo"


def test_demo_loaders_run_after_what_they_name(monkeypatch):
    monkeypatch.setattr(demo, "_registry", {})
    calls = []
    demo.register("b", after=("a",))(lambda ctx: calls.append("b"))
    demo.register("a")(lambda ctx: calls.append("a"))
    demo.register("c", after=("b",))(lambda ctx: calls.append("c"))
    demo.run_all(demo.DemoContext())
    assert calls == ["a", "b", "c"]


def test_demo_loader_after_unknown_is_an_error(monkeypatch):
    monkeypatch.setattr(demo, "_registry", {})
    demo.register("b", after=("nope",))(lambda ctx: None)
    with pytest.raises(LookupError):
        demo.loaders()


def test_roles_refuse_malformed_permissions():
    with pytest.raises(ValueError):
        roles.grant(roles.COORDINATORS, "no_dot")
    with pytest.raises(ValueError):
        roles.grant_pages(roles.COORDINATORS, "wagtailcore.add_page")


@pytest.mark.django_db
def test_audit_record_is_found_by_target_scope_and_actor():
    actor, person = UserFactory(), UserFactory()
    event = audit_record(
        actor=actor,
        action="members.membership.remove",
        target=person,
        scope=actor,
        before="member",
        after="removed",
        reason="x" * 5000,
    )
    assert list(audit_for_target(person)) == [event]
    assert list(audit_for_scope(actor)) == [event]
    assert list(audit_by_actor(actor)) == [event]
    assert len(event.reason) == 2000


def test_fold_words_marks_word_starts():
    from ptce.search_providers import fold_words

    assert fold_words("Atelier vélo, l’ESS") == " atelier velo l ess"
