from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ptce.pagecache import bump_content_version
from ptce.search_providers import fold, fold_words

from .fields import RnaField, SiretField
from .logos import is_new_upload, logo_normalised, validate_logo
from .validators import normalize_phone, validate_phone, validate_postal_code

# Free text is bounded everywhere: a 200,000-character description is nobody's profile.
DESCRIPTION_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000

# An erased account, wherever its name would show: inclusive (« Ancien·ne membre »,
# the wording of every app's catalogue for this msgid). A structure's status has its
# own context (« Ancien membre »: a structure is « un membre »).
FORMER_MEMBER = _("Former member")

# What the directory search reads, folded into Organisation.search_text on save.
SEARCHED_FIELDS = ("name", "summary", "description", "city")


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """A bulk change also forgets the cached rows of the people it changes
        (the signed-in person's row is cached: ptce.auth)."""
        from ptce.auth import forget_users

        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        forget_users(pks)
        return count

    update.alters_data = True


class EmailUserManager(UserManager.from_queryset(UserQuerySet)):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    # E.164 (+33478000000), shown in the French format (members_tags.phone).
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    # Set when the person erased their account (RGPD): the row stays so that what they
    # wrote elsewhere keeps an author, but nothing personal is left on it.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique")
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return str(FORMER_MEMBER)
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        try:
            self.phone = normalize_phone(self.phone)  # stored in E.164
        except ValidationError:
            pass  # reported by the field's validator

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(FORMER_MEMBER)
        return self.get_full_name() or self.email.split("@")[0]


def _folded(organisation: Organisation) -> tuple[str, str]:
    """(name_sort, search_text): what the directory sorts and searches on."""
    return (
        fold(organisation.name)[:200],
        fold_words(
            " ".join(str(getattr(organisation, name) or "") for name in SEARCHED_FIELDS)
        ),
    )


class OrganisationQuerySet(models.QuerySet):
    """Keeps the folded columns (name_sort, search_text) true on bulk writes too.

    save() folds them for one structure; `update()` and `bulk_update()` touching a
    searched field (name, summary, description, city) refold the rows they changed,
    in the same transaction, so the directory never sorts or finds a stale name.
    """

    def update(self, **kwargs):
        # No signal is sent: the cached directory and profiles are made stale here
        # (ptce.pagecache), as a save() would.
        bump_content_version()
        if not set(kwargs) & set(SEARCHED_FIELDS):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            self.model._default_manager.filter(pk__in=pks).refold()
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        bump_content_version()
        if set(fields) & set(SEARCHED_FIELDS):
            for organisation in objs:
                organisation.name_sort, organisation.search_text = _folded(organisation)
            fields = [*fields, *({"name_sort", "search_text"} - set(fields))]
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True

    def refold(self) -> int:
        """Recompute the folded columns of these structures from their fields."""
        rows = list(self.only("pk", *SEARCHED_FIELDS))
        for organisation in rows:
            organisation.name_sort, organisation.search_text = _folded(organisation)
        return super().bulk_update(rows, ["name_sort", "search_text"], batch_size=500)

    refold.alters_data = True


class Organisation(models.Model):
    """A member structure of the PTCE (loi ESS 2014-856, art. 9)."""

    class Category(models.TextChoices):
        ESS = "ess", _("ESS enterprise")
        COMPANY = "company", _("Company (non-ESS)")
        LOCAL_AUTHORITY = "local_authority", _("Local authority or grouping")
        RESEARCH = "research", _("Research centre")
        HIGHER_EDUCATION = (
            "higher_education",
            _("Higher-education and research establishment"),
        )
        TRAINING = "training", _("Training body")
        OTHER = "other", _("Other person or body")

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association (loi 1901)")
        ASSOCIATION_LOCAL = (
            "association_alsace_moselle",
            _("Association (droit local Alsace-Moselle)"),
        )
        SCOP = "scop", _("Cooperative: SCOP")
        SCIC = "scic", _("Cooperative: SCIC")
        CAE = "cae", _("Cooperative: CAE")
        CUMA = "cuma", _("Cooperative: CUMA")
        COOPERATIVE_OTHER = "cooperative", _("Cooperative: other")
        MUTUELLE = "mutuelle", _("Mutual society (mutuelle)")
        FONDATION = "fondation", _("Foundation")
        ESS_COMPANY = "ess_company", _("ESS commercial company")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Application pending")
        MEMBER = "member", _("Member")
        DECLINED = "declined", _("Application declined")
        FORMER = "former", pgettext_lazy("structure status", "Former member")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    legal_form = models.CharField(
        _("ESS legal form"),
        max_length=32,
        choices=LegalForm.choices,
        blank=True,
        help_text=_("For ESS enterprises only."),
    )
    is_esus = models.BooleanField(_("ESUS agreement"), default=False)
    is_siae = models.BooleanField(_("insertion structure (SIAE)"), default=False)
    # Normalised and validated by the fields themselves, whatever the door (site
    # forms, services, admin, save(), QuerySet.update()): see members/fields.py.
    siret = SiretField(_("SIRET"), help_text=_("14 digits, spaces allowed."))
    rna = RnaField(
        _("RNA number"),
        help_text=_("Associations only: the letter W followed by 9 digits."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="organisations/logos/",
        blank=True,
        validators=[validate_logo],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=10, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    public_phone = models.CharField(
        _("public phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    joined_at = models.DateTimeField(_("joined the PTCE at"), null=True, blank=True)
    decision_note = models.TextField(
        _("reason for the decision"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        help_text=_("Given to the applicant when an application is declined."),
    )
    # Derived on every save (see save()): the name and the searched text without
    # accents or case, so that SQLite and PostgreSQL sort in French order ("Épicerie"
    # before "Test") and match "velo" to "Vélo" alike, with plain indexable columns.
    name_sort = models.CharField(max_length=200, editable=False, default="")
    search_text = models.TextField(editable=False, default="")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("member structure")
        verbose_name_plural = _("member structures")
        ordering = ["name_sort", "name"]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["name_sort"], name="members_org_name_sort_idx"),
        ]
        constraints = [
            # A SIRET identifies one establishment: one structure per SIRET.
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="members_organisation_siret_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Every door (services, admin, demo loader, factories) goes through save(),
        # and bulk writes through OrganisationQuerySet, so the folded copies cannot
        # drift from what they fold.
        self.name_sort, self.search_text = _folded(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "name_sort", "search_text"}
        super().save(*args, **kwargs)
        stored = str(getattr(self, "_stored_logo", "") or "")
        if stored and stored != (self.logo.name or ""):
            # A replaced or cleared logo leaves the disk once the change is committed.
            storage = self.logo.storage
            transaction.on_commit(lambda: storage.delete(stored))
        self._stored_logo = self.logo.name or ""

    def get_absolute_url(self) -> str:
        return reverse("members:organisation_detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_logo = instance.__dict__.get("logo") or ""
        return instance

    @property
    def siren(self) -> str:
        return self.siret[:9] if self.siret else ""

    @property
    def is_ess(self) -> bool:
        return self.category == self.Category.ESS

    def clean(self) -> None:
        errors = {}
        try:
            self.public_phone = normalize_phone(self.public_phone)
        except ValidationError:
            pass  # reported by the field's validator
        if self.legal_form and self.category != self.Category.ESS:
            errors["legal_form"] = _("Only ESS enterprises have an ESS legal form.")
        if self.rna and self.legal_form not in (
            "",
            "association",
            "association_alsace_moselle",
        ):
            errors["rna"] = _("Only associations have an RNA number.")
        if "siret" not in errors and self.siret:
            holder = self.siret_holder()
            if holder is not None and not self._resubmits(holder):
                errors["siret"] = _(
                    "This SIRET number is already that of %(name)s: a structure "
                    "cannot be registered twice."
                ) % {"name": holder.name}
        if errors:
            raise ValidationError(errors)
        if is_new_upload(self.logo):
            # Validated by validate_logo (clean_fields runs first).
            self.logo = logo_normalised(self.logo)

    def _resubmits(self, other: Organisation) -> bool:
        # The applicant sending the same application again: not a conflict, the
        # service returns the first one (organisation_apply is idempotent).
        return (
            self.pk is None
            and other.status == self.Status.APPLIED
            and other.applied_by_id is not None
            and other.applied_by_id == self.applied_by_id
        )

    def siret_holder(self) -> Organisation | None:
        """The other structure registered with this SIRET, if any."""
        return (
            Organisation.objects.filter(siret=self.siret)
            .exclude(pk=self.pk)
            .only("name", "slug", "status", "applied_by")
            .first()
        )


class Membership(models.Model):
    """A person acting for a member structure, as member or référent."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        REFERENT = "referent", _("Référent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member structure"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    show_in_directory = models.BooleanField(
        _("show as a public contact"), default=False
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="members_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An e-mail invitation to join a structure; the link carries a signed token."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member structure"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class JoinRequest(models.Model):
    """A signed-up person asks to act for a structure; a référent decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member structure"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(
        _("message"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="members_joinrequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"

    def get_absolute_url(self) -> str:
        """Where référents answer it: their structure's management page."""
        manage = reverse("members:organisation_manage", args=[self.organisation.slug])
        return f"{manage}#demandes"
