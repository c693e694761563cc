"""Supply and demand: enterprises' needs (需求), researchers' achievements (成果), capabilities, publications."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from qiao.core.models import Timestamped, UnicodeJSONEncoder
from qiao.core.permissions import RestrictedQuerySet
from qiao.directory.models import Discipline, IndustryCategory, Organization, Person


class NeedKind(models.TextChoices):
    TECHNICAL_PROBLEM = "technical_problem", _("Technical problem")
    RND_COLLABORATION = "rnd_collaboration", _("R&D collaboration")
    TECHNOLOGY_WANTED = "technology_wanted", _("Technology wanted")
    TALENT = "talent", _("Talent / internship")
    TESTING = "testing", _("Testing or equipment use")
    CONSULTING = "consulting", _("Consulting")


class CooperationMode(models.TextChoices):
    JOINT_RND = "joint_rnd", _("Joint R&D")
    COMMISSIONED_RND = "commissioned_rnd", _("Commissioned R&D")
    LICENCE = "licence", _("Licence")
    ASSIGNMENT = "assignment", _("Assignment")
    EQUITY = "equity", _("Equity with technology")
    CONSULTING = "consulting", _("Consulting")
    CO_BUILT_LAB = "co_built_lab", _("Co-built lab")
    INTERNSHIP_BASE = "internship_base", _("Internship base")
    TESTING = "testing", _("Testing service")


class Confidentiality(models.TextChoices):
    """Who may see a need. The owner enterprise's members and platform admins always may."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Platform members")
    NAMED = "named", _("Named organizations only")
    BROKERS = "brokers", _("Brokers only")


class NeedStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    IN_TALKS = "in_talks", _("In talks")
    IN_COOPERATION = "in_cooperation", _("In cooperation")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


NEED_TRANSITIONS: dict[str, set[str]] = {
    NeedStatus.DRAFT: {NeedStatus.PUBLISHED, NeedStatus.WITHDRAWN},
    NeedStatus.PUBLISHED: {NeedStatus.IN_TALKS, NeedStatus.IN_COOPERATION, NeedStatus.CLOSED, NeedStatus.WITHDRAWN},
    NeedStatus.IN_TALKS: {NeedStatus.PUBLISHED, NeedStatus.IN_COOPERATION, NeedStatus.CLOSED, NeedStatus.WITHDRAWN},
    NeedStatus.IN_COOPERATION: {NeedStatus.CLOSED},
    NeedStatus.CLOSED: set(),
    NeedStatus.WITHDRAWN: {NeedStatus.DRAFT},
}
OPEN_NEED_STATUSES = (NeedStatus.PUBLISHED, NeedStatus.IN_TALKS)


def validate_modes(value: object) -> None:
    if not isinstance(value, list) or any(v not in CooperationMode.values for v in value):
        raise ValidationError(_("Choose cooperation modes from the list."))


class Need(Timestamped):
    """需求: an enterprise's technical bottleneck, wanted technology, talent or service."""

    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="needs", verbose_name=_("enterprise"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NeedKind.choices, default=NeedKind.TECHNICAL_PROBLEM)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description (English)"), blank=True)
    industries = models.ManyToManyField(IndustryCategory, blank=True, related_name="needs", verbose_name=_("industries"))
    disciplines = models.ManyToManyField(
        Discipline, blank=True, related_name="needs", verbose_name=_("wanted disciplines"))
    cooperation_modes = models.JSONField(
        _("acceptable cooperation modes"), default=list, blank=True, validators=[validate_modes])
    budget_min = models.DecimalField(
        _("budget from (10k CNY)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)])
    budget_max = models.DecimalField(
        _("budget to (10k CNY)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)])
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.MEMBERS)
    named_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="needs_shared_with", verbose_name=_("shared with organizations"),
        help_text=_("Only for 'named organizations only': who may see this need (their sub-organizations too)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.DRAFT,
                              db_index=True)
    status_changed = models.DateTimeField(_("status changed"), default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("status changed by"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "external_id"], condition=~models.Q(external_id=""),
                                    name="need_unique_external_id"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        from qiao.core.models import prefers_english

        return (self.title_en or self.title) if prefers_english() else (self.title or self.title_en)

    @property
    def display_description(self) -> str:
        from qiao.core.models import prefers_english

        if prefers_english():
            return self.description_en or self.description
        return self.description or self.description_en

    def get_absolute_url(self) -> str:
        return reverse("catalog:need_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ValidationError({"budget_max": _("The upper end of the budget is below the lower end.")})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NEED_STATUSES


class NeedEvent(models.Model):
    """The need's lifecycle: who moved it from which status to which, when, and why."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events", verbose_name=_("need"))
    from_status = models.CharField(_("from"), max_length=16, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=NeedStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("need event")
        verbose_name_plural = _("need events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "png", "jpg", "jpeg", "txt"]
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def validate_attachment_size(file: object) -> None:
    if getattr(file, "size", 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("A file may be at most 20 MB."))


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files only a view may hand out after a permission check: kept outside MEDIA_ROOT and without a URL.

    The folder is ``settings.PRIVATE_MEDIA_ROOT`` (default ``VAR_DIR/private``), read on every use so tests and
    deployments can move it.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        default = Path(getattr(settings, "VAR_DIR", ".")) / "private"
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", default))

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL; use the download view")


class NeedAttachment(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("need"))
    file = models.FileField(
        _("file"), upload_to="needs/%Y/%m/", storage=PrivateStorage(),
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size])
    name = models.CharField(_("name"), max_length=200)
    uploaded = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class AchievementKind(models.TextChoices):
    INVENTION_PATENT = "invention_patent", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    SOFTWARE_COPYRIGHT = "software_copyright", _("Software copyright")
    TECHNOLOGY_PACKAGE = "technology_package", _("Technology package")
    NEW_VARIETY = "new_variety", _("New plant variety")
    PAPER = "paper", _("Paper")


class PatentStatus(models.TextChoices):
    NONE = "", _("Not a patent")
    FILED = "filed", _("Filed")
    UNDER_EXAMINATION = "examination", _("Under substantive examination")
    GRANTED = "granted", _("Granted")
    LAPSED = "lapsed", _("Lapsed")
    TRANSFERRED = "transferred", _("Transferred")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Platform members")


class Achievement(Timestamped):
    """成果: a research achievement that can be transferred or licensed."""

    kind = models.CharField(_("kind"), max_length=32, choices=AchievementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description (English)"), blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="achievements", verbose_name=_("owner"))
    co_owners = models.ManyToManyField(Person, blank=True, related_name="co_achievements", verbose_name=_("co-owners"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="achievements",
                                     verbose_name=_("organization"))
    patent_number = models.CharField(_("patent number"), max_length=40, blank=True)
    patent_status = models.CharField(_("legal status"), max_length=16, choices=PatentStatus.choices, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)])
    transfer_modes = models.JSONField(_("transfer modes"), default=list, blank=True, validators=[validate_modes])
    price_min = models.DecimalField(_("indicative price from (10k CNY)"), max_digits=12, decimal_places=2, null=True,
                                    blank=True, validators=[MinValueValidator(0)])
    price_max = models.DecimalField(_("indicative price to (10k CNY)"), max_digits=12, decimal_places=2, null=True,
                                    blank=True, validators=[MinValueValidator(0)])
    applications = models.TextField(_("applications"), blank=True)
    industries = models.ManyToManyField(IndustryCategory, blank=True, related_name="achievements",
                                        verbose_name=_("industries"))
    disciplines = models.ManyToManyField(Discipline, blank=True, related_name="achievements",
                                         verbose_name=_("disciplines"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    visibility = models.CharField(_("visibility"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.MEMBERS)
    is_transferred = models.BooleanField(_("transferred"), default=False)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "external_id"], condition=~models.Q(external_id=""),
                                    name="achievement_unique_external_id"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        from qiao.core.models import prefers_english

        return (self.title_en or self.title) if prefers_english() else (self.title or self.title_en)

    @property
    def display_description(self) -> str:
        from qiao.core.models import prefers_english

        if prefers_english():
            return self.description_en or self.description
        return self.description or self.description_en

    def get_absolute_url(self) -> str:
        return reverse("catalog:achievement_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.price_min is not None and self.price_max is not None and self.price_min > self.price_max:
            raise ValidationError({"price_max": _("The upper end of the price is below the lower end.")})


class CapabilityKind(models.TextChoices):
    LAB = "lab", _("Laboratory")
    INSTRUMENT = "instrument", _("Large instrument")
    TESTING = "testing", _("Testing service")


class Capability(Timestamped):
    """A lab, a large instrument or a testing service open to enterprises."""

    kind = models.CharField(_("kind"), max_length=16, choices=CapabilityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="capabilities",
                                     verbose_name=_("organization"))
    contact = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="capabilities",
                                verbose_name=_("contact"))
    open_to_enterprises = models.BooleanField(_("open to enterprises"), default=True)
    fee_note = models.CharField(_("fees"), max_length=200, blank=True)
    industries = models.ManyToManyField(IndustryCategory, blank=True, related_name="capabilities",
                                        verbose_name=_("industries"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["organization_id", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from qiao.core.models import prefers_english

        return (self.name_en or self.name) if prefers_english() else (self.name or self.name_en)

    def get_absolute_url(self) -> str:
        return reverse("catalog:capability_detail", args=[self.pk])


class Publication(Timestamped):
    """A paper on a researcher's profile: the evidence of expertise. The researcher decides what counts."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="publications",
                               verbose_name=_("researcher"))
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    authors = models.CharField(_("authors"), max_length=1000, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    hidden_from_matching = models.BooleanField(_("hidden from matching"), default=False)
    pinned = models.BooleanField(_("pinned as key work"), default=False)
    external_id = models.CharField(_("external id"), max_length=200, blank=True, db_index=True,
                                   help_text=_("OpenAlex work id, ORCID put-code or import key."))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-pinned", "-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["person", "doi"], condition=~models.Q(doi=""), name="publication_unique_doi"),
            models.UniqueConstraint(fields=["person", "external_id"], condition=~models.Q(external_id=""),
                                    name="publication_unique_external_id"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.doi:
            doi = self.doi.strip()
            for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
                if doi.lower().startswith(prefix):
                    doi = doi[len(prefix):]
            if not doi.startswith("10.") or "/" not in doi:
                raise ValidationError({"doi": _("A DOI starts with 10. and contains a slash, e.g. 10.1000/xyz123.")})
            self.doi = doi.lower()


class NeedGrant(models.Model):
    """An explicit share of one need with one user (e.g. the expert an introduction was requested from)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="grants", verbose_name=_("need"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_grants",
                             verbose_name=_("user"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need share")
        verbose_name_plural = _("need shares")
        constraints = [models.UniqueConstraint(fields=["need", "user"], name="need_grant_unique")]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.user_id}"


from .import_models import ImportJob  # noqa: E402,F401
