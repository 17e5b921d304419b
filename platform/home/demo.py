"""A fictional PTCE to explore the platform: `manage.py load_demo` (idempotent).

Every structure and person here is invented. Records are matched on stable keys
(e-mail, slug, page slug, term) and updated in place, so running the loader again
changes nothing and duplicates nothing. Seed data is written directly rather than
through the members services, which would notify people and refuse repeats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

from members.models import JoinRequest, Membership, Organisation
from members.validators import luhn_is_valid
from notifications.kinds import ANNOUNCEMENT
from notifications.models import Notification
from notifications.services import notify

from .groups import ensure_groups
from .models import GlossaryTerm, HomePage, SiteIdentity, StandardPage

DEMO_PASSWORD = "Rives-Solidaires-2025"
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

GLOSSARY: tuple[tuple[str, str, str], ...] = (
    (
        "ESS",
        "économie sociale et solidaire",
        "Économie sociale et solidaire : les entreprises (associations, coopératives, "
        "mutuelles, fondations, sociétés commerciales de l’ESS) qui poursuivent un but "
        "autre que le seul partage des bénéfices, avec une gouvernance démocratique et "
        "des bénéfices majoritairement réinvestis (loi du 31 juillet 2014).",
    ),
    (
        "PTCE",
        "pôle territorial de coopération économique, pôles territoriaux de coopération "
        "économique",
        "Pôle territorial de coopération économique : regroupement, sur un même "
        "territoire, d’entreprises de l’ESS, d’entreprises, de collectivités, de "
        "centres de recherche et d’organismes de formation qui mettent en œuvre une "
        "stratégie commune de coopération et de mutualisation (loi ESS, art. 9).",
    ),
    (
        "association",
        "associations, loi 1901",
        "Groupement de personnes qui mettent en commun leurs connaissances ou leur "
        "activité dans un but autre que de partager des bénéfices (loi du 1er juillet "
        "1901).",
    ),
    (
        "coopération",
        "coopérer, coopérations",
        "Action de travailler ensemble vers un but commun : au sein d’un PTCE, les "
        "membres coopèrent plutôt que de se concurrencer.",
    ),
    (
        "SCOP",
        "société coopérative et participative, sociétés coopératives et participatives",
        "Société coopérative et participative : entreprise dont les salariés sont "
        "associés majoritaires et décident selon le principe « une personne, une "
        "voix ».",
    ),
    (
        "SCIC",
        "société coopérative d’intérêt collectif",
        "Société coopérative d’intérêt collectif : coopérative qui associe autour d’un "
        "projet d’utilité sociale des salariés, des bénéficiaires et d’autres parties "
        "prenantes (collectivités, bénévoles, financeurs).",
    ),
    (
        "gouvernance",
        "gouvernance démocratique",
        "Manière dont les décisions sont prises dans une organisation ; dans l’ESS, "
        "elle "
        "est démocratique et associe les membres, salariés ou usagers.",
    ),
    (
        "mutualisation",
        "mutualiser, mutualisé, mutualisés, mutualisées",
        "Mise en commun de moyens entre structures (locaux, matériel, temps de "
        "travail) "
        "pour en partager l’usage et les coûts.",
    ),
    (
        "ESUS",
        "agrément ESUS, entreprise solidaire d’utilité sociale",
        "Entreprise solidaire d’utilité sociale : agrément délivré par l’État aux "
        "entreprises de l’ESS dont l’activité a un impact social significatif ; il "
        "ouvre l’accès à l’épargne solidaire.",
    ),
    (
        "SIAE",
        "structure d’insertion par l’activité économique",
        "Structure d’insertion par l’activité économique : entreprise, association ou "
        "atelier qui emploie des personnes éloignées de l’emploi avec un "
        "accompagnement social et professionnel.",
    ),
)

HOME_INTRODUCTION = (
    "Associations, coopératives, entreprises, collectivités et établissements de "
    "formation de Villeurbanne et de Vaulx-en-Velin coopèrent pour créer des emplois "
    "durables sur leur territoire."
)
HOME_BODY = (
    "<p>Le PTCE Rives Solidaires rassemble des structures de l’ESS, des entreprises, "
    "des collectivités et des acteurs de la recherche et de la formation. Ensemble, "
    "ils pratiquent la mutualisation de locaux, de matériel et de compétences, "
    "organisent des événements communs et font vivre une coopération économique de "
    "proximité.</p>"
    "<p>Ce site est une démonstration : toutes les structures et les personnes "
    "présentées sont fictives.</p>"
)
ABOUT_BODY = (
    "<h2>Notre projet</h2>"
    "<p>Créé en 2016, le pôle territorial de coopération économique Rives Solidaires "
    "fédère une quinzaine de structures autour de trois chantiers : le réemploi et "
    "l’économie circulaire, la rénovation énergétique, l’insertion des jeunes.</p>"
    "<h2>Notre gouvernance</h2>"
    "<p>Chaque structure membre dispose d’une voix à l’assemblée des membres. Un "
    "comité de pilotage de sept membres, dont au moins une SCOP ou une SCIC, une "
    "entreprise et une collectivité, suit le plan d’action annuel.</p>"
    "<h2>Rejoindre le pôle</h2>"
    "<p>Toute structure implantée sur le territoire qui partage la charte du pôle peut "
    "déposer une demande d’adhésion depuis la page des structures membres.</p>"
)
LEGAL_BODY = (
    "<h2>Éditeur du site</h2>"
    "<p>Association PTCE Rives Solidaires (association loi 1901), 12 rue de la "
    "Coopération, 69100 Villeurbanne. Courriel : contact@demo.ptce.fr. Directrice de "
    "la publication : la présidente de l’association.</p>"
    "<h2>Hébergement</h2>"
    "<p>Le site est hébergé par un prestataire établi dans l’Union européenne ; ses "
    "coordonnées sont disponibles sur demande auprès de l’éditeur.</p>"
    "<h2>Données personnelles</h2>"
    "<p>Les données des comptes servent uniquement au fonctionnement du pôle. Chaque "
    "personne peut télécharger ses données et supprimer son compte depuis son espace. "
    "Pour exercer vos droits (RGPD, articles 15 à 22), écrivez à "
    "contact@demo.ptce.fr ; vous pouvez aussi saisir la CNIL.</p>"
    "<h2>Propriété intellectuelle</h2>"
    "<p>Les contenus publiés par les structures membres restent leur propriété. Le "
    "logiciel de la plateforme est un logiciel libre.</p>"
)
ACCESSIBILITY_BODY = (
    "<p>Le PTCE Rives Solidaires s’engage à rendre son site accessible conformément à "
    "l’article 47 de la loi n° 2005-102 du 11 février 2005. La présente déclaration "
    "d’accessibilité s’applique au site du PTCE Rives Solidaires.</p>"
    "<h2>État de conformité</h2>"
    "<p>Le site est <strong>non conforme</strong> avec le référentiel général "
    "d’amélioration de l’accessibilité (RGAA), version 4.1 : aucun audit de "
    "conformité n’a encore été réalisé. Le site a été conçu pour respecter le RGAA et "
    "ses pages sont vérifiées automatiquement à chaque évolution.</p>"
    "<h2>Contenus non accessibles</h2>"
    "<p>Les documents PDF déposés par les structures membres avant 2024 peuvent ne "
    "pas être accessibles. Les logos des structures n’ont pas d’alternative textuelle "
    "détaillée, le nom de la structure étant toujours affiché à côté.</p>"
    "<h2>Établissement de cette déclaration</h2>"
    "<p>Cette déclaration a été établie par l’équipe de coordination du pôle. "
    "Technologies utilisées : HTML, CSS, JavaScript (facultatif). Pages vérifiées : "
    "accueil, structures membres, recherche, glossaire, connexion.</p>"
    "<h2>Retour d’information et contact</h2>"
    "<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez "
    "contacter l’équipe de coordination pour être orienté vers une alternative "
    "accessible ou obtenir le contenu sous une autre forme : "
    "contact@demo.ptce.fr, 04 00 00 00 00, 12 rue de la Coopération, 69100 "
    "Villeurbanne.</p>"
    "<h2>Voies de recours</h2>"
    "<p>Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un "
    "contenu ou à un service et que vous n’avez pas obtenu de réponse satisfaisante, "
    "vous pouvez :</p>"
    "<ul>"
    "<li>écrire un message au Défenseur des droits (formulaire en ligne sur "
    "defenseurdesdroits.fr) ;</li>"
    "<li>contacter le délégué du Défenseur des droits dans votre région ;</li>"
    "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : "
    "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>"
    "</ul>"
)


@dataclass
class DemoSummary:
    logins: list[tuple[str, str]]
    password: str
    url: str


def _user(person: Person, *, is_staff: bool = False):
    User = get_user_model()
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


def _people(organisation: Organisation, structure: Structure) -> None:
    for person in structure.people:
        role = Membership.Role.REFERENT if person.referent else Membership.Role.MEMBER
        Membership.objects.update_or_create(
            user=_user(person),
            organisation=organisation,
            defaults={"role": role, "show_in_directory": person.referent},
        )


def load_structures() -> None:
    applicant = _user(APPLICANT)
    for index, structure in enumerate(STRUCTURES):
        applies = structure.status == Organisation.Status.APPLIED
        organisation = _organisation(index, structure, applicant if applies else None)
        _people(organisation, structure)
    # The demo référente finds this request on her structure's management page.
    requested = Organisation.objects.get(slug="recyclerie-du-canal")
    join_request, created = JoinRequest.objects.get_or_create(
        user=_user(JOIN_REQUESTER),
        organisation=requested,
        status=JoinRequest.Status.PENDING,
        defaults={"message": "Je répare déjà des vélos le mercredi à l’atelier."},
    )
    if created:
        _notify_join_request(join_request)


def _notify_join_request(join_request: JoinRequest) -> None:
    organisation = join_request.organisation
    referents = get_user_model().objects.filter(
        memberships__organisation=organisation,
        memberships__role=Membership.Role.REFERENT,
    )
    notify(
        referents,
        "members.join_request",
        {
            "join_request": join_request,
            "organisation": organisation,
            "requester": join_request.user,
            "manage_url": settings.SITE_URL
            + reverse("members:organisation_manage", args=[organisation.slug]),
        },
        target=organisation,
    )


def load_announcement(coordinator) -> None:
    """One announcement from the coordination, so the bell and the centre show it."""
    if Notification.objects.filter(kind=ANNOUNCEMENT).exists():
        return
    notify(
        get_user_model().objects.filter(is_active=True),
        ANNOUNCEMENT,
        {
            "title": "Bienvenue sur la plateforme du PTCE",
            "message": (
                "Retrouvez ici les structures membres du pôle. Les ressources "
                "partagées, l’agenda commun et le forum arrivent bientôt."
            ),
            "author": coordinator,
        },
    )


def load_team():
    coordinators, moderators = ensure_groups()
    coordinator = _user(
        Person(COORDINATOR_EMAIL, "Camille", "Rousseau", "Coordinatrice du pôle"),
        is_staff=True,
    )
    coordinator.groups.add(coordinators)
    moderator = _user(
        Person(MODERATOR_EMAIL, "Samuel", "Navarro", "Modérateur"), is_staff=True
    )
    moderator.groups.add(moderators)
    return coordinator


def load_glossary() -> None:
    for term, synonyms, definition in GLOSSARY:
        GlossaryTerm.objects.update_or_create(
            term=term, defaults={"synonyms": synonyms, "definition": definition}
        )


def _publish(page, **values) -> None:
    """Publish `values` unless the live page already has them (no revision pile-up)."""
    changed = any(getattr(page, name) != value for name, value in values.items())
    if changed or not page.live or page.has_unpublished_changes:
        for name, value in values.items():
            setattr(page, name, value)
        page.save_revision().publish()


def _standard_page(home: HomePage, slug: str, title: str, intro: str, body: str):
    page = StandardPage.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = StandardPage(slug=slug, title=title, introduction=intro, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
    else:
        _publish(page, title=title, introduction=intro, body=body)
    return page


def load_pages() -> HomePage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise RuntimeError("The default site's root page is not the HomePage.")
    _publish(home, title="Accueil", introduction=HOME_INTRODUCTION, body=HOME_BODY)
    _standard_page(
        home,
        "le-ptce",
        "Le PTCE",
        "Un pôle territorial de coopération économique au service de l’emploi local.",
        ABOUT_BODY,
    )
    legal = _standard_page(home, "mentions-legales", "Mentions légales", "", LEGAL_BODY)
    accessibility = _standard_page(
        home,
        "declaration-accessibilite",
        "Déclaration d’accessibilité",
        "",
        ACCESSIBILITY_BODY,
    )
    identity = SiteIdentity.load(request_or_site=site)
    identity.name = "PTCE Rives Solidaires"
    identity.territory = "Villeurbanne et Vaulx-en-Velin"
    identity.tagline = "Coopérer pour l’emploi et la transition sur notre territoire"
    identity.contact_email = "contact@demo.ptce.fr"
    identity.contact_phone = "04 00 00 00 00"
    identity.address = "12 rue de la Coopération, 69100 Villeurbanne"
    identity.legal_notice_page = legal.page_ptr
    identity.accessibility_page = accessibility.page_ptr
    identity.privacy_page = legal.page_ptr
    identity.accessibility_status = SiteIdentity.AccessibilityStatus.NONE
    identity.save()
    if site.site_name != identity.name:
        site.site_name = identity.name
        site.save(update_fields=["site_name"])
    return home


@transaction.atomic
def load_demo(*, base_url: str) -> DemoSummary:
    coordinator = load_team()
    load_structures()
    load_announcement(coordinator)
    load_glossary()
    load_pages()
    logins = [
        (COORDINATOR_EMAIL, "coordinator (Wagtail admin at /cms/)"),
        (MODERATOR_EMAIL, "moderator"),
        (REFERENT_EMAIL, "référent of Recyclerie du Canal"),
        (MEMBER_EMAIL, "member of Recyclerie du Canal"),
    ]
    return DemoSummary(logins=logins, password=DEMO_PASSWORD, url=base_url)
