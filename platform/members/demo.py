"""Members' part of the demo PTCE: the team, the structures, their people, requests.

Every structure and person here is invented. Records are matched on stable keys
(e-mail, slug) and updated in place, so running the loader again changes nothing.
Structures that have long been members are seeded as they stand; what a person would
do today (asking to join a structure) goes through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from ptce.demo import DEMO_PASSWORD, DemoContext, register
from ptce.roles import COORDINATORS, MODERATORS, ensure_groups

from . import services
from .models import JoinRequest, Membership, Organisation, User
from .validators import luhn_is_valid

COORDINATOR_EMAIL = "coordination@demo.ptce.fr"
MODERATOR_EMAIL = "moderation@demo.ptce.fr"
REFERENT_EMAIL = "referente@demo.ptce.fr"
MEMBER_EMAIL = "membre@demo.ptce.fr"

C = Organisation.Category
F = Organisation.LegalForm


def luhn_complete(digits: str) -> str:
    """`digits` followed by the one check digit that makes the whole Luhn-valid."""
    for check in "0123456789":
        if luhn_is_valid(digits + check):
            return digits + check
    raise AssertionError("unreachable: one digit always completes a Luhn number")


def demo_siret(number: int) -> str:
    """A Luhn-valid SIREN (9 digits) and SIRET (14), as INSEE numbers them."""
    siren = luhn_complete(f"9{number:07d}")
    return luhn_complete(f"{siren}0001")


@dataclass(frozen=True)
class Person:
    email: str
    first_name: str
    last_name: str
    job_title: str = ""
    referent: bool = False


@dataclass(frozen=True)
class Structure:
    slug: str
    name: str
    category: str
    city: str
    summary: str
    description: str
    legal_form: str = ""
    is_esus: bool = False
    is_siae: bool = False
    rna: str = ""
    postal_code: str = "69100"
    status: str = Organisation.Status.MEMBER
    people: tuple[Person, ...] = field(default_factory=tuple)


VILLEURBANNE, VAULX = ("Villeurbanne", "69100"), ("Vaulx-en-Velin", "69120")


def _p(slug: str, first: str, last: str, job: str, *, referent: bool = False) -> Person:
    local = f"{first}.{last}".lower().replace(" ", "-")
    for accented, plain in (("é", "e"), ("è", "e"), ("ë", "e"), ("ï", "i"), ("ç", "c")):
        local = local.replace(accented, plain)
    return Person(f"{local}@{slug}.demo.ptce.fr", first, last, job, referent)


STRUCTURES: tuple[Structure, ...] = (
    Structure(
        "recyclerie-du-canal",
        "Recyclerie du Canal",
        C.ESS,
        "Villeurbanne",
        "Collecte, réemploi et revente solidaire d’objets, atelier d’insertion.",
        "Association d’insertion par l’activité économique, la Recyclerie du Canal "
        "collecte meubles et objets, les remet en état et les revend à petit prix. "
        "Elle met à disposition des membres du pôle sa camionnette et son atelier.",
        legal_form=F.ASSOCIATION,
        is_esus=True,
        is_siae=True,
        rna="W691004512",
        people=(
            Person(REFERENT_EMAIL, "Inès", "Morvan", "Directrice", referent=True),
            Person(MEMBER_EMAIL, "Karim", "Benali", "Encadrant technique"),
            _p("recyclerie-du-canal", "Lucie", "Pernet", "Chargée de collecte"),
        ),
    ),
    Structure(
        "jardins-de-la-rize",
        "Les Jardins de la Rize",
        C.ESS,
        "Vaulx-en-Velin",
        "Jardins partagés et maraîchage pédagogique en pied d’immeuble.",
        "L’association anime quatre jardins partagés et un potager pédagogique "
        "ouvert aux écoles du quartier.",
        legal_form=F.ASSOCIATION,
        rna="W691007733",
        postal_code="69120",
        people=(
            _p("jardins-de-la-rize", "Paul", "Garnier", "Coordinateur", referent=True),
            _p("jardins-de-la-rize", "Awa", "Diallo", "Animatrice"),
        ),
    ),
    Structure(
        "pignon-libre",
        "Atelier vélo Pignon Libre",
        C.ESS,
        "Villeurbanne",
        "Atelier participatif de réparation de vélos.",
        "Pignon Libre apprend à chacun à réparer son vélo et récupère des cycles "
        "abandonnés pour les remettre en circulation.",
        legal_form=F.ASSOCIATION,
        rna="W691012208",
        people=(_p("pignon-libre", "Hugo", "Lemaire", "Mécanicien", referent=True),),
    ),
    Structure(
        "cooperative-batir-ensemble",
        "Bâtir Ensemble SCOP",
        C.ESS,
        "Vaulx-en-Velin",
        "Coopérative de travail du bâtiment : rénovation énergétique et éco-matériaux.",
        "Société coopérative et participative de 24 salariés-associés, spécialisée "
        "dans la rénovation thermique avec des matériaux biosourcés.",
        legal_form=F.SCOP,
        postal_code="69120",
        people=(
            _p("batir-ensemble", "Sophie", "Marchand", "Gérante", referent=True),
            _p("batir-ensemble", "Julien", "Roux", "Conducteur de travaux"),
        ),
    ),
    Structure(
        "energies-citoyennes-est",
        "SCIC Énergies citoyennes de l’Est lyonnais",
        C.ESS,
        "Villeurbanne",
        "Production d’électricité solaire sur les toits publics, au capital citoyen.",
        "La SCIC associe habitants, collectivités et entreprises pour installer et "
        "exploiter des centrales photovoltaïques sur les toits du territoire.",
        legal_form=F.SCIC,
        is_esus=True,
        people=(
            _p("energies-citoyennes", "Marc", "Aubert", "Directeur", referent=True),
        ),
    ),
    Structure(
        "mutuelle-entraide-rhone",
        "Mutuelle Entraide Rhône",
        C.ESS,
        "Villeurbanne",
        "Mutuelle de santé et de prévention.",
        "Mutuelle régie par le code de la mutualité, elle mène des actions de "
        "prévention santé avec les structures du pôle.",
        legal_form=F.MUTUELLE,
        people=(
            _p("mutuelle-entraide", "Claire", "Fontaine", "Déléguée", referent=True),
        ),
    ),
    Structure(
        "fondation-fil-solidaire",
        "Fondation Fil solidaire",
        C.ESS,
        "Villeurbanne",
        "Fondation qui soutient l’emploi des jeunes dans les métiers du textile.",
        "Reconnue d’utilité publique, la fondation finance des chantiers-écoles "
        "de couture et de retouche.",
        legal_form=F.FONDATION,
        people=(
            _p("fil-solidaire", "Nadia", "Cherif", "Chargée de mission", referent=True),
        ),
    ),
    Structure(
        "menuiserie-duval",
        "Menuiserie Duval",
        C.COMPANY,
        "Vaulx-en-Velin",
        "PME de menuiserie et d’agencement, 18 salariés.",
        "Entreprise familiale qui partage son atelier et forme des apprentis en lien "
        "avec les chantiers d’insertion du pôle.",
        postal_code="69120",
        people=(
            _p("menuiserie-duval", "Thomas", "Duval", "Dirigeant", referent=True),
            _p("menuiserie-duval", "Emma", "Girard", "Assistante de gestion"),
        ),
    ),
    Structure(
        "imprimerie-carre-blanc",
        "Imprimerie Carré Blanc",
        C.COMPANY,
        "Villeurbanne",
        "Imprimerie numérique et offset, encres végétales.",
        "TPE de 6 salariés, labellisée Imprim’Vert.",
        people=(_p("carre-blanc", "Olivier", "Perrin", "Gérant", referent=True),),
    ),
    Structure(
        "syndicat-rives-est",
        "Syndicat intercommunal des Rives de l’Est",
        C.LOCAL_AUTHORITY,
        "Vaulx-en-Velin",
        "Groupement de communes pour le développement économique local.",
        "Le syndicat soutient le pôle par la mise à disposition de locaux et "
        "co-finance le poste de coordination.",
        postal_code="69120",
        people=(
            _p(
                "rives-est",
                "Isabelle",
                "Moreau",
                "Chargée de développement",
                referent=True,
            ),
        ),
    ),
    Structure(
        "laboratoire-teco",
        "Laboratoire Territoires et coopérations",
        C.RESEARCH,
        "Villeurbanne",
        "Équipe de recherche en économie territoriale.",
        "Le laboratoire étudie les coopérations économiques de proximité et "
        "accompagne l’évaluation de l’impact du pôle.",
        people=(
            _p("teco", "Antoine", "Lefebvre", "Chercheur", referent=True),
            _p("teco", "Yasmine", "Haddad", "Doctorante"),
        ),
    ),
    Structure(
        "institut-economie-solidaire",
        "Institut universitaire d’économie solidaire",
        C.HIGHER_EDUCATION,
        "Villeurbanne",
        "Licence professionnelle et master en gestion des entreprises de l’ESS.",
        "L’institut accueille des étudiants en alternance dans les structures du pôle.",
        people=(
            _p("iues", "Hélène", "Bouvier", "Responsable de formation", referent=True),
        ),
    ),
    Structure(
        "competences-partagees",
        "Compétences partagées formation",
        C.TRAINING,
        "Vaulx-en-Velin",
        "Organisme de formation professionnelle continue.",
        "Formations à la gestion associative, à la comptabilité et au numérique.",
        postal_code="69120",
        people=(
            _p("competences-partagees", "David", "Muller", "Formateur", referent=True),
        ),
    ),
    Structure(
        "chambre-artisanat-rives",
        "Chambre de l’artisanat des Rives",
        C.OTHER,
        "Villeurbanne",
        "Chambre consulaire : accompagnement des artisans du territoire.",
        "Elle relaie le pôle auprès des artisans et co-organise des rencontres.",
        people=(
            _p("chambre-artisanat", "Sylvie", "Blanc", "Conseillère", referent=True),
        ),
    ),
    Structure(
        "reseau-ess-est-lyonnais",
        "Réseau ESS de l’Est lyonnais",
        C.OTHER,
        "Vaulx-en-Velin",
        "Réseau local des acteurs de l’économie sociale et solidaire.",
        "Tête de réseau, il anime les rencontres des acteurs de l’ESS du territoire.",
        postal_code="69120",
        people=(_p("reseau-ess", "Romain", "Faure", "Animateur", referent=True),),
    ),
    # An application waiting for the coordinators' decision.
    Structure(
        "epicerie-la-cagette",
        "Épicerie solidaire La Cagette",
        C.ESS,
        "Villeurbanne",
        "Épicerie solidaire à tarifs différenciés.",
        "Projet d’épicerie solidaire porté par des habitants, qui souhaite rejoindre "
        "le pôle pour mutualiser un local de stockage.",
        legal_form=F.ASSOCIATION,
        rna="W691020417",
        status=Organisation.Status.APPLIED,
    ),
)
APPLICANT = Person("porteuse.projet@demo.ptce.fr", "Léa", "Simon", "Bénévole")
JOIN_REQUESTER = Person("nouvelle.benevole@demo.ptce.fr", "Zoé", "Petit", "Bénévole")


def _user(person: Person, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "is_staff": is_staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    elif is_staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    # allauth refuses unverified addresses at login (mandatory verification).
    EmailAddress.objects.update_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    return user


def _organisation(index: int, structure: Structure, applicant=None) -> Organisation:
    joined = dt.datetime(2016 + index % 8, 1 + index % 12, 15, 9, tzinfo=dt.UTC)
    is_member = structure.status == Organisation.Status.MEMBER
    organisation, _ = Organisation.objects.update_or_create(
        slug=structure.slug,
        defaults={
            "name": structure.name,
            "category": structure.category,
            "legal_form": structure.legal_form,
            "is_esus": structure.is_esus,
            "is_siae": structure.is_siae,
            "siret": demo_siret(index + 1),
            "rna": structure.rna,
            "status": structure.status,
            "summary": structure.summary,
            "description": structure.description,
            "city": structure.city,
            "postal_code": structure.postal_code,
            "public_email": f"contact@{structure.slug}.demo.ptce.fr",
            "joined_at": joined if is_member else None,
            "applied_by": applicant,
        },
    )
    organisation.full_clean()  # the demo must pass the same validation as real data
    return organisation


def _people(ctx: DemoContext, organisation: Organisation, structure: Structure) -> None:
    for person in structure.people:
        role = Membership.Role.REFERENT if person.referent else Membership.Role.MEMBER
        user = _user(person)
        ctx.people.setdefault(person.email, user)
        Membership.objects.update_or_create(
            user=user,
            organisation=organisation,
            defaults={"role": role, "show_in_directory": person.referent},
        )


def _team(ctx: DemoContext) -> None:
    groups = ensure_groups()
    coordinator = _user(
        Person(COORDINATOR_EMAIL, "Camille", "Rousseau", "Coordinatrice du pôle"),
        is_staff=True,
    )
    coordinator.groups.add(groups[COORDINATORS])
    moderator = _user(
        Person(MODERATOR_EMAIL, "Samuel", "Navarro", "Modérateur"), is_staff=True
    )
    moderator.groups.add(groups[MODERATORS])
    ctx.people["coordinator"], ctx.people["moderator"] = coordinator, moderator


def _structures(ctx: DemoContext) -> None:
    applicant = _user(APPLICANT)
    for index, structure in enumerate(STRUCTURES):
        applies = structure.status == Organisation.Status.APPLIED
        organisation = _organisation(index, structure, applicant if applies else None)
        ctx.organisations[structure.slug] = organisation
        _people(ctx, organisation, structure)
    ctx.people["referente"] = ctx.people[REFERENT_EMAIL]
    ctx.people["membre"] = ctx.people[MEMBER_EMAIL]


def _join_request(ctx: DemoContext) -> None:
    # The demo référente finds this request on her structure's management page.
    requester = _user(JOIN_REQUESTER)
    organisation = ctx.organisations["recyclerie-du-canal"]
    pending = JoinRequest.objects.filter(
        user=requester, organisation=organisation, status=JoinRequest.Status.PENDING
    )
    if not pending.exists():
        services.join_request_create(
            organisation=organisation,
            by=requester,
            message="Je répare déjà des vélos le mercredi à l’atelier.",
        )


# A few structures show a logo on their directory card and profile.
LOGO_COLOURS = {
    "recyclerie-du-canal": (20, 110, 80),
    "pignon-libre": (200, 90, 40),
    "cooperative-batir-ensemble": (60, 80, 160),
    "mutuelle-entraide-rhone": (150, 50, 110),
}


def _logo(slug: str, colour: tuple[int, int, int]):
    """A small drawn logo: a coloured square with two rings (no binary file in git)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse([40, 60, 140, 160], outline="white", width=14)
    draw.ellipse([100, 80, 200, 180], outline=(250, 220, 120), width=14)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return ImageFile(buffer, name=f"{slug}.png")


def _logos(ctx: DemoContext) -> None:
    from .selectors import organisation_referents

    for slug, colour in LOGO_COLOURS.items():
        organisation = ctx.organisations.get(slug)
        if organisation is None or organisation.logo:
            continue
        services.organisation_update_profile(
            organisation=organisation,
            by=organisation_referents(organisation)[0],
            data={"logo": _logo(slug, colour)},
        )


@register("members")
def load(ctx: DemoContext) -> None:
    _team(ctx)
    _structures(ctx)
    _logos(ctx)
    _join_request(ctx)
    ctx.logins += [
        ("coordinator (Wagtail admin at /cms/)", COORDINATOR_EMAIL),
        ("moderator", MODERATOR_EMAIL),
        ("référent of Recyclerie du Canal", REFERENT_EMAIL),
        ("member of Recyclerie du Canal", MEMBER_EMAIL),
    ]
