"""Migrations' guard: a database holding two structures with one SIRET.

A SIRET identifies one establishment, so `members_organisation_siret_unique` allows one
structure per SIRET. A database filled before that rule may hold duplicates; adding
the constraint would then fail with a bare IntegrityError naming no structure. These
functions run first (RunPython) and stop the migration with a message, in French and
English, that names the structures which clash and says what to do. Nothing is
changed or deleted: which structure keeps the SIRET is a person's decision.

Used by migration 0003 (the constraint) and 0006 (stored numbers normalised: two
spellings of one SIRET, "732 829 320 00074" and "73282932000074", clash once cleaned).
"""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import CommandError

from .validators import normalize_rna, normalize_siret

SIRET_LENGTH, RNA_LENGTH = 14, 10


class DuplicateSiretError(CommandError):
    """Raised by a migration when structures share a SIRET; the message says which."""


def siret_clashes(organisations, *, normalise: bool = False) -> dict[str, list]:
    """{SIRET: [structures]} for every SIRET held by more than one structure."""
    groups: dict[str, list] = defaultdict(list)
    rows = organisations.exclude(siret="").only("pk", "name", "slug", "siret")
    for organisation in rows.order_by("pk"):
        siret = organisation.siret
        groups[normalize_siret(siret) if normalise else siret].append(organisation)
    return {siret: group for siret, group in groups.items() if len(group) > 1}


def clash_message(clashes: dict[str, list]) -> str:
    lines = []
    for siret, group in sorted(clashes.items()):
        names = ", ".join(
            f"« {o.name} » (id {o.pk}, {o.slug}, saisi / typed {o.siret!r})"
            for o in group
        )
        lines.append(f"  - SIRET {siret} : {names}")
    listing = "\n".join(lines)
    return (
        "Migration arrêtée : plusieurs structures membres ont le même numéro SIRET, "
        "alors qu’un SIRET identifie un seul établissement.\n"
        f"{listing}\n"
        "Que faire : dans l’administration (Membres › Structures), corrigez le SIRET "
        "de la structure qui porte celui d’une autre, ou, s’il s’agit de la même "
        "structure enregistrée deux fois, rattachez ses personnes à une seule fiche et "
        "supprimez l’autre (ou videz son SIRET). Puis relancez « manage.py migrate ». "
        "Rien n’a été modifié.\n\n"
        "Migration stopped: several member structures have the same SIRET number, "
        "while a SIRET identifies one establishment (list above).\n"
        "What to do: in the admin (Members › Structures), correct the SIRET of the "
        "structure holding another's, or, if one structure was registered twice, move "
        "its people to one record and delete the other (or clear its SIRET). Then run "
        "“manage.py migrate” again. Nothing was changed."
    )


def refuse_duplicate_sirets(apps, schema_editor, *, normalise: bool = False) -> None:
    """RunPython step: stop with a clear message if the constraint cannot hold."""
    organisation_model = apps.get_model("members", "Organisation")
    clashes = siret_clashes(organisation_model.objects.all(), normalise=normalise)
    if clashes:
        raise DuplicateSiretError(clash_message(clashes))


def normalise_stored_identifiers(apps, schema_editor) -> None:
    """RunPython step: store every SIRET and RNA number in its clean form.

    Only separators, full-width forms and case change: no number is lost. Refuses,
    before writing anything, when two spellings of one SIRET would then clash.
    """
    refuse_duplicate_sirets(apps, schema_editor, normalise=True)
    organisation_model = apps.get_model("members", "Organisation")
    changed = []
    for organisation in organisation_model.objects.only("pk", "siret", "rna"):
        siret = normalize_siret(organisation.siret)
        rna = normalize_rna(organisation.rna)
        if len(siret) > SIRET_LENGTH or len(rna) > RNA_LENGTH:
            continue  # NFKC lengthened an invalid entry: left as typed, not cut
        if (siret, rna) != (organisation.siret, organisation.rna):
            organisation.siret, organisation.rna = siret, rna
            changed.append(organisation)
    organisation_model.objects.bulk_update(changed, ["siret", "rna"], batch_size=500)
