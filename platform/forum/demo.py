"""The forum of the demo PTCE: three forums, conversations, a few messages waiting
for the demo moderator (moderation@demo.ptce.fr). Written through the services;
matched on slugs and titles, so loading twice changes nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ptce.demo import DemoContext, loaders, register

from . import services
from .models import Forum, Mode, RejectionReason, Thread

MODERATOR_EMAIL = "moderation@demo.ptce.fr"
MEMBER_EMAIL = "membre@demo.ptce.fr"
REFERENT_EMAIL = "referente@demo.ptce.fr"
COORDINATOR_EMAIL = "coordination@demo.ptce.fr"

FORUMS = [
    (
        "mutualisation",
        "Mutualisation : locaux, matériel, compétences",
        "Proposer, chercher, organiser ce que les structures du pôle partagent.",
        Mode.A_PRIORI,
        Forum.Visibility.PUBLIC,
    ),
    (
        "evenements",
        "Événements communs",
        "Préparer ensemble les rencontres, forums et journées portes ouvertes.",
        Mode.NEWCOMERS,
        Forum.Visibility.PUBLIC,
    ),
    (
        "vie-du-pole",
        "Vie du pôle (membres)",
        "Gouvernance, adhésions, questions internes : réservé aux membres.",
        Mode.A_POSTERIORI,
        Forum.Visibility.MEMBERS,
    ),
]

# (forum slug, title, [(author e-mail, body, published?)])
THREADS = [
    (
        "mutualisation",
        "Un camion frigorifique à partager ?",
        [
            (
                REFERENT_EMAIL,
                "La Recyclerie cherche un {{camion frigorifique}} deux jours par "
                "semaine.\n\nQuelqu’un en a-t-il un qui dort au garage ?",
                True,
            ),
            (
                MEMBER_EMAIL,
                "<quote>deux jours par semaine</quote>\n\nLe mardi et le jeudi "
                "nous conviendraient aussi : {partageons les frais}.",
                True,
            ),
            (
                MEMBER_EMAIL,
                "Voir aussi la fiche du réseau : [Transport partagé->"
                "https://www.ess-france.org/]",
                False,
            ),
        ],
    ),
    (
        "mutualisation",
        "Salle de réunion pour 20 personnes",
        [
            (
                MEMBER_EMAIL,
                "Bonjour, nous cherchons une salle pour 20 personnes le 12 ; "
                "la salle du Canal est-elle libre ?",
                False,
            ),
        ],
    ),
    (
        "evenements",
        "Forum de l’ESS en novembre",
        [
            (
                COORDINATOR_EMAIL,
                "Le Mois de l’ESS approche : qui tient un stand ? <ins>Inscriptions "
                "ouvertes jusqu’au 15 octobre.</ins>",
                True,
            ),
            (
                REFERENT_EMAIL,
                "Nous serons là avec l’atelier de réparation de vélos.",
                True,
            ),
        ],
    ),
    (
        "vie-du-pole",
        "Ordre du jour de l’assemblée générale",
        [
            (
                COORDINATOR_EMAIL,
                "Premier jet de l’ordre du jour :\n\n{{1.}} rapport moral\n\n"
                "{{2.}} budget mutualisé\n\nVos ajouts sont bienvenus.",
                True,
            ),
        ],
    ),
]

REASONS = [
    "Message hors sujet pour ce forum.",
    "Propos contraires à la charte du pôle.",
    "Publicité ou démarchage commercial.",
    "Doublon d’un message déjà publié.",
]


def _after() -> tuple[str, ...]:
    # Run after the loaders that create the demo people, whatever their keys.
    return tuple(loader.key for loader in loaders())


@register("forum", after=_after())
def load(ctx: DemoContext) -> None:
    people = {
        user.email: user
        for user in get_user_model().objects.filter(
            email__in=[MODERATOR_EMAIL, MEMBER_EMAIL, REFERENT_EMAIL, COORDINATOR_EMAIL]
        )
    }
    moderator = people.get(MODERATOR_EMAIL) or people.get(COORDINATOR_EMAIL)
    if moderator is None:
        ctx.log(_("Forum demo skipped: the demo people are missing."))
        return
    forums = {}
    for position, (slug, title, description, mode, visibility) in enumerate(FORUMS):
        forums[slug], _created = Forum.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "mode": mode,
                "visibility": visibility,
                "newcomer_threshold": 2,
                "position": position,
            },
        )
    for position, text in enumerate(REASONS):
        RejectionReason.objects.get_or_create(
            text=text, defaults={"position": position}
        )
    for slug, title, posts in THREADS:
        if Thread.objects.filter(forum=forums[slug], title=title).exists():
            continue
        _load_thread(forums[slug], title, posts, people, moderator)
    ctx.extra["forums"] = forums


def _load_thread(forum, title, posts, people, moderator) -> None:
    thread = None
    for email, body, published in posts:
        author = people.get(email)
        if author is None:
            continue
        if thread is None:
            post = services.thread_create(
                forum=forum, by=author, title=title, body=body
            )
            thread = post.thread
        else:
            post = services.post_submit(thread=thread, by=author, body=body)
        if published and post.status == post.Status.PENDING:
            services.post_approve(post=post, moderator=moderator)
