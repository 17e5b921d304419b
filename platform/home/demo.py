"""Home's part of the demo PTCE: glossary, standard pages and the PTCE's identity.

Pages are matched on their slug and republished only when their content changed, so
running the loader again adds no revision.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

from ptce.demo import DemoContext, register
from ptce.models import SiteIdentity

from . import demo_assets
from .models import (
    ContactFormField,
    ContactPage,
    GlossaryTerm,
    HomePage,
    StandardPage,
)

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


def _image(title: str, filename: str, draw):
    """The demo's picture called `title`, drawn once (the loader runs again safely)."""
    image_model = get_image_model()
    image = image_model.objects.filter(title=title).first()
    if image is None:
        image = image_model(title=title, file=ContentFile(draw(), name=filename))
        image.save()
    return image


def _charter():
    document_model = get_document_model()
    title = "Charte du PTCE Rives Solidaires"
    document = document_model.objects.filter(title=title).first()
    if document is None:
        pdf = ContentFile(demo_assets.charter_pdf(), name="charte-rives-solidaires.pdf")
        document = document_model(title=title, file=pdf)
        document.save()
    return document


def _figure(image, alt: str) -> str:
    # Wagtail's rich-text image embed: rendered at the "fullwidth" format.
    return f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="{alt}"/>'


CONTACT_FIELDS = (
    ("Votre nom", "singleline", True, ""),
    ("Votre adresse e-mail", "email", True, "Pour que l’équipe puisse vous répondre."),
    ("Votre structure", "singleline", False, ""),
    ("Votre message", "multiline", True, ""),
)


def _contact_page(home: HomePage) -> ContactPage:
    page = ContactPage.objects.child_of(home).filter(slug="contact").first()
    if page is None:
        page = ContactPage(
            slug="contact",
            title="Nous contacter",
            show_in_menus=True,
            introduction=(
                "<p>Une question sur le pôle, une idée de coopération, une demande "
                "d’adhésion ? Écrivez à l’équipe de coordination : elle vous répond "
                "sous une semaine.</p>"
            ),
            thank_you_text=(
                "<p>Merci, votre message est bien arrivé. L’équipe de coordination "
                "vous répond au plus vite.</p>"
            ),
        )
        home.add_child(instance=page)
        for order, (label, kind, required, help_text) in enumerate(CONTACT_FIELDS):
            ContactFormField.objects.create(
                page=page,
                sort_order=order,
                label=label,
                field_type=kind,
                required=required,
                help_text=help_text,
            )
        page.save_revision().publish()
    return page


def load_pages(ctx: DemoContext) -> HomePage:
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise RuntimeError("The default site's root page is not the HomePage.")
    logo = _image(
        "Logo du PTCE Rives Solidaires", "logo-rives.png", demo_assets.logo_png
    )
    hero = _image("Le territoire du pôle", "territoire.png", demo_assets.hero_png)
    meeting = _image(
        "L’assemblée des membres", "assemblee.png", demo_assets.meeting_png
    )
    workshop = _image("L’atelier partagé", "atelier.png", demo_assets.workshop_png)
    _publish(
        home,
        title="Accueil",
        introduction=HOME_INTRODUCTION,
        body=HOME_BODY,
        hero_image=hero,
    )
    about = _standard_page(
        home,
        "le-ptce",
        "Le PTCE",
        "Un pôle territorial de coopération économique au service de l’emploi local.",
        ABOUT_BODY
        + _figure(meeting, "Les membres réunis autour d’une même table")
        + "<p>L’atelier partagé accueille les chantiers de réemploi des membres.</p>"
        + _figure(workshop, "Un vélo en réparation dans l’atelier partagé"),
    )
    if not about.show_in_menus:
        about.show_in_menus = True
        about.save_revision().publish()
    _contact_page(home)
    legal = _standard_page(home, "mentions-legales", "Mentions légales", "", LEGAL_BODY)
    accessibility = _standard_page(
        home,
        "declaration-accessibilite",
        "Déclaration d’accessibilité",
        "",
        ACCESSIBILITY_BODY,
    )
    identity = SiteIdentity.load()
    identity.name = "PTCE Rives Solidaires"
    identity.legal_name = "Association PTCE Rives Solidaires"
    identity.territory = "Villeurbanne et Vaulx-en-Velin"
    identity.tagline = "Coopérer pour l’emploi et la transition sur notre territoire"
    identity.contact_email = "contact@demo.ptce.fr"
    identity.contact_phone = "04 00 00 00 00"
    identity.address = "12 rue de la Coopération, 69100 Villeurbanne"
    identity.legal_notice_page = legal.page_ptr
    identity.accessibility_page = accessibility.page_ptr
    identity.privacy_page = legal.page_ptr
    identity.accessibility_status = SiteIdentity.AccessibilityStatus.NONE
    identity.logo = logo
    identity.charter = _charter()
    identity.save()
    ctx.pages.update(home=home, legal=legal, accessibility=accessibility)
    if site.site_name != identity.name:
        site.site_name = identity.name
        site.save(update_fields=["site_name"])
    return home


@register("home")
def load(ctx: DemoContext) -> None:
    load_glossary()
    load_pages(ctx)
