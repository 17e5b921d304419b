"""News of the demo PTCE: a dozen items with images and tags, some co-signed, and one
proposal waiting for the demo référente's co-signature.

Co-signed items go through the real workflow (co-signing by each structure's référent,
then the coordination); items by the coordination alone are published as a
coordinator would in Wagtail. Images are drawn here with Pillow (no file shipped).
Items are matched on their slug: running the loader again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from ptce.demo import DemoContext, register

from . import services
from .models import NewsIndexPage, NewsPage, NewsPageStructure
from .selectors import cosign_task_states_for
from .services import Submission


@dataclass(frozen=True)
class DemoNews:
    slug: str
    title: str
    date: dt.date
    introduction: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    cosigners: tuple[str, ...] = ()
    colour: tuple[int, int, int] = (11, 93, 75)
    alt: str = ""
    quote: tuple[str, str] | None = None


NEWS: tuple[DemoNews, ...] = (
    DemoNews(
        "assemblee-generale-2026",
        "Assemblée générale du pôle : une année de coopérations",
        dt.date(2026, 6, 18),
        "Trente-deux structures réunies pour faire le bilan d’une année riche en "
        "projets communs et élire le nouveau comité de pilotage.",
        (
            "L’assemblée générale du PTCE s’est tenue à la Fabrique des Rives. Les "
            "membres ont adopté le rapport d’activité et le budget.",
            "La gouvernance partagée du pôle s’élargit : deux collectivités et un "
            "centre de recherche rejoignent le comité de pilotage.",
        ),
        ("gouvernance", "vie du pôle"),
        colour=(11, 93, 75),
        alt="Salle de réunion pleine, vue depuis l’estrade",
        quote=("Coopérer, c’est d’abord se parler.", "Camille Rousseau, coordinatrice"),
    ),
    DemoNews(
        "recyclerie-atelier-reparation",
        "La Recyclerie et Pignon Libre ouvrent un atelier de réparation partagé",
        dt.date(2026, 9, 22),
        "Un local mutualisé, des outils en commun et des bénévoles formés : "
        "réparer plutôt que jeter devient plus simple.",
        (
            "Deux structures de l’ESS du pôle mettent en commun un atelier de 80 m². "
            "Les habitants y apportent vélos, petits meubles et électroménager.",
            "Cette coopération permet de partager un encadrant technique à temps "
            "partiel, mis à disposition au prix coûtant.",
        ),
        ("réemploi", "mutualisation"),
        cosigners=("recyclerie-du-canal", "pignon-libre"),
        colour=(138, 59, 0),
        alt="Établi avec des outils et un vélo retourné",
    ),
    DemoNews(
        "jardins-partages-recolte",
        "Première récolte collective aux Jardins de la Rize",
        dt.date(2026, 8, 30),
        "Deux tonnes de légumes distribuées avec la Fondation Fil solidaire.",
        (
            "Les jardiniers en insertion ont récolté courges, tomates et haricots, "
            "distribués à prix solidaire grâce à la Fondation Fil solidaire.",
        ),
        ("alimentation", "insertion"),
        cosigners=("jardins-de-la-rize", "fondation-fil-solidaire"),
        colour=(60, 110, 30),
        alt="Cagettes de légumes colorés sur une table",
    ),
    DemoNews(
        "formation-cooperation",
        "Se former à la coopération entre structures",
        dt.date(2026, 5, 12),
        "Un cycle de quatre demi-journées pour les salariés et bénévoles du pôle.",
        (
            "Compétences partagées et l’Institut universitaire d’économie solidaire "
            "proposent un parcours sur la coopération économique.",
        ),
        ("formation", "coopération"),
        cosigners=("competences-partagees", "institut-economie-solidaire"),
        colour=(40, 70, 140),
        alt="Groupe en formation autour d’un tableau blanc",
    ),
    DemoNews(
        "energie-citoyenne-toitures",
        "Des panneaux solaires citoyens sur les toits du pôle",
        dt.date(2026, 4, 3),
        "La SCIC Énergies citoyennes équipe trois bâtiments de structures membres.",
        (
            "Les habitants peuvent prendre des parts de la SCIC : chaque part donne "
            "une voix à l’assemblée, quel que soit le montant investi.",
        ),
        ("énergie", "transition"),
        cosigners=("energies-citoyennes-est",),
        colour=(200, 140, 0),
        alt="Toit couvert de panneaux solaires sous un ciel bleu",
    ),
    DemoNews(
        "mutualisation-vehicules",
        "Trois véhicules utilitaires désormais partagés",
        dt.date(2026, 3, 17),
        "Réservables en ligne par toutes les structures membres.",
        (
            "Le pôle met en commun trois utilitaires. Chaque réservation est "
            "facturée au coût réel à la structure qui l’utilise.",
        ),
        ("mutualisation",),
        colour=(90, 90, 90),
        alt="Trois camionnettes blanches garées côte à côte",
    ),
    DemoNews(
        "recherche-impact",
        "Mesurer l’impact de la coopération : une étude avec le laboratoire TECO",
        dt.date(2026, 2, 9),
        "Chercheurs et structures construisent ensemble des indicateurs utiles.",
        (
            "Le laboratoire Territoires et coopérations interroge les membres sur "
            "les emplois créés et le chiffre d’affaires lié au pôle.",
        ),
        ("recherche", "coopération"),
        cosigners=("laboratoire-teco", "reseau-ess-est-lyonnais"),
        colour=(110, 40, 110),
        alt="Graphiques imprimés étalés sur une table",
    ),
    DemoNews(
        "nouveaux-membres-2026",
        "Bienvenue aux nouveaux membres",
        dt.date(2026, 1, 20),
        "Quatre structures ont rejoint le pôle cet hiver.",
        (
            "Une menuiserie, une imprimerie, une mutuelle et une fondation "
            "renforcent la diversité du pôle.",
        ),
        ("vie du pôle",),
        colour=(11, 93, 75),
        alt="Poignée de main au-dessus d’une table de réunion",
    ),
    DemoNews(
        "chantier-insertion-batiment",
        "Un chantier d’insertion pour rénover la halle",
        dt.date(2025, 11, 14),
        "Bâtir Ensemble SCOP encadre huit personnes en parcours d’insertion.",
        (
            "La rénovation de la halle associe une coopérative du bâtiment et la "
            "Menuiserie Duval, entreprise partenaire du pôle.",
        ),
        ("insertion", "bâtiment"),
        cosigners=("cooperative-batir-ensemble", "menuiserie-duval"),
        colour=(150, 60, 40),
        alt="Échafaudage devant une halle en briques",
    ),
    DemoNews(
        "forum-emploi",
        "Forum de l’emploi local : 300 visiteurs",
        dt.date(2025, 10, 8),
        "Les structures du pôle ont présenté 45 offres d’emploi et de stage.",
        ("Le syndicat intercommunal a accueilli le forum dans ses locaux.",),
        ("emploi",),
        colour=(30, 100, 120),
        alt="Stands d’un forum avec des visiteurs",
    ),
    DemoNews(
        "semaine-ess",
        "Le pôle fête le mois de l’ESS",
        dt.date(2025, 11, 3),
        "Portes ouvertes, visites et débats tout au long du mois de novembre.",
        (
            "Chaque structure ouvre ses portes pour faire découvrir l’économie "
            "sociale et solidaire aux habitants.",
        ),
        ("vie du pôle", "ESS"),
        colour=(180, 30, 60),
        alt="Affiche colorée du mois de l’ESS",
    ),
    DemoNews(
        "imprimerie-papier-recycle",
        "L’imprimerie Carré Blanc passe au papier recyclé",
        dt.date(2025, 9, 22),
        "Tous les supports du pôle sont désormais imprimés sur papier recyclé.",
        ("Une commande groupée réduit le coût pour les structures membres.",),
        ("transition", "mutualisation"),
        cosigners=("imprimerie-carre-blanc",),
        colour=(70, 70, 160),
        alt="Piles de papier recyclé dans un atelier d’imprimerie",
    ),
)

PENDING = DemoNews(
    "atelier-velo-ecoles",
    "Un atelier vélo dans les écoles du quartier",
    dt.date(2026, 11, 20),
    "La Recyclerie et Pignon Libre proposent d’apprendre aux enfants à entretenir "
    "leur vélo.",
    ("Six séances par école, le mercredi après-midi.",),
    ("réemploi", "éducation"),
    cosigners=("recyclerie-du-canal", "pignon-libre"),
)


def _draw(title: str, colour: tuple[int, int, int]) -> ImageFile:
    """A small, recognisable picture: a diagonal gradient with a few shapes."""
    width, height = 960, 540
    picture = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(picture)
    for step in range(0, width, 8):
        shade = tuple(min(255, c + step * 90 // width) for c in colour)
        draw.rectangle([step, 0, step + 8, height], fill=shade)
    seed = sum(map(ord, title))
    for n in range(5):
        x, y = (seed * (n + 3)) % width, (seed * (n + 7)) % height
        radius = 40 + (seed * (n + 1)) % 90
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline="white")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return ImageFile(buffer, name=f"demo-{seed}.jpg")


def _image(item: DemoNews):
    Image = get_image_model()
    image = Image.objects.filter(title=item.title).first()
    if image is None:
        image = Image(
            title=item.title,
            file=_draw(item.title, item.colour),
            description=item.alt,
            collection=Collection.get_first_root_node(),
        )
        image.save()
    return image


def _index(ctx: DemoContext) -> NewsIndexPage:
    home = ctx.pages["home"]
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = NewsIndexPage(
            title="Actualités",
            slug="actualites",
            introduction="Les nouvelles du pôle et de ses structures membres.",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    elif not index.show_in_menus:  # a demo loaded before the news were in the menu
        index.show_in_menus = True
        index.save_revision().publish()
    return index


def _body(item: DemoNews) -> list:
    blocks: list = [("paragraph", RichText(f"<p>{item.paragraphs[0]}</p>"))]
    if item.quote:
        blocks.append(("quote", {"quote": item.quote[0], "attribution": item.quote[1]}))
    if len(item.paragraphs) > 1:
        blocks.append(("heading", {"text": "Et ensuite ?", "level": "h2"}))
        blocks += [("paragraph", RichText(f"<p>{p}</p>")) for p in item.paragraphs[1:]]
    # The item's picture is its main image, shown above the body: not again here.
    return blocks


def _referent(ctx: DemoContext, organisation):
    from members.selectors import organisation_referents

    return organisation_referents(organisation)[0]


def _publish_through_workflow(ctx, page: NewsPage, structures) -> None:
    coordinator = ctx.people["coordinator"]
    page.get_workflow().start(page, coordinator)
    for organisation in structures:
        referent = _referent(ctx, organisation)
        (state,) = [
            s
            for s in cosign_task_states_for(user=referent)
            if s.revision.object_id == str(page.pk)
        ]
        services.cosign_approve(task_state=state, by=referent)
    state = NewsPage.objects.get(pk=page.pk).current_workflow_task_state
    state.task.specific.on_action(state, coordinator, "approve")


def _news(ctx: DemoContext, index: NewsIndexPage, item: DemoNews) -> None:
    if NewsPage.objects.child_of(index).filter(slug=item.slug).exists():
        return
    image = _image(item)
    structures = [ctx.organisations[slug] for slug in item.cosigners]
    page = NewsPage(
        title=item.title,
        slug=item.slug,
        introduction=item.introduction,
        main_image=image,
        body=_body(item),
        owner=ctx.people["coordinator"],
    )
    page.tags.add(*item.tags)
    page.cosigners = [
        NewsPageStructure(organisation=o, sort_order=i)
        for i, o in enumerate(structures)
    ]
    page.live = False
    index.add_child(instance=page)
    revision = page.save_revision(user=ctx.people["coordinator"])
    if structures:
        _publish_through_workflow(ctx, page, structures)
    else:
        revision.publish(user=ctx.people["coordinator"])
    moment = dt.datetime.combine(item.date, dt.time(9, 30), tzinfo=dt.UTC)
    NewsPage.objects.filter(pk=page.pk).update(
        first_published_at=moment, last_published_at=moment
    )


def _pending(ctx: DemoContext, index: NewsIndexPage) -> None:
    """Karim (member of the Recyclerie) proposes; Inès, its référente, must co-sign."""
    if NewsPage.objects.child_of(index).filter(title=PENDING.title).exists():
        return
    member = ctx.people["membre"]
    services.news_submit(
        by=member,
        submission=Submission(
            title=PENDING.title,
            introduction=PENDING.introduction,
            body="\n\n".join(PENDING.paragraphs),
            structure=ctx.organisations[PENDING.cosigners[0]],
            cosigners=[ctx.organisations[s] for s in PENDING.cosigners[1:]],
            tags=list(PENDING.tags),
        ),
    )


@register("news", after=("home", "members"))
def load(ctx: DemoContext) -> None:
    index = _index(ctx)
    ctx.pages["news"] = index
    for item in NEWS:
        _news(ctx, index, item)
    _pending(ctx, index)
