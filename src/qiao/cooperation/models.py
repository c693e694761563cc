"""合作: the cooperation lifecycle — from an introduction through symposiums, agreements and projects to
technology-transfer deals, with a timeline and an audit trail of every change.

Confidential terms (agreement value, royalty rate, payment and funding amounts) are listed in
``CONFIDENTIAL_FIELDS``; only the parties and platform admins see them (``permissions.can_see_terms``).
"""

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
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

from qiao.core.models import Timestamped, prefers_english
from qiao.core.permissions import RestrictedQuerySet
from qiao.directory.models import Organization, Person


class Stage(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    NEGOTIATING = "negotiating", _("Negotiating")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    STOPPED = "stopped", _("Stopped")


#: The board's columns, in order.
PIPELINE_STAGES = [s for s in Stage if s != Stage.STOPPED] + [Stage.STOPPED]
OPEN_STAGES = (Stage.EXPLORING, Stage.NEGOTIATING, Stage.AGREED, Stage.IN_PROGRESS, Stage.DELIVERED)


def _bilingual(zh: str, en: str) -> str:
    return (en or zh) if prefers_english() else (zh or en)


class Cooperation(Timestamped):
    """合作: organizations (parties) and people working together on needs and achievements."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.EXPLORING, db_index=True)
    stage_changed = models.DateTimeField(_("stage changed"), default=timezone.now)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_cooperations",
        verbose_name=_("owner"), help_text=_("Usually the broker who follows the cooperation."))
    centre = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="brokered_cooperations",
        verbose_name=_("innovation centre"), help_text=_("Its brokers follow this cooperation too."))
    parties = models.ManyToManyField(Organization, related_name="cooperations", verbose_name=_("parties"))
    zones = models.ManyToManyField(
        Organization, blank=True, related_name="zone_cooperations", verbose_name=_("development zones"), editable=False,
        help_text=_("Derived: the development zones the parties belong to."))
    people = models.ManyToManyField(Person, blank=True, related_name="cooperations", verbose_name=_("people"))
    needs = models.ManyToManyField("catalog.Need", blank=True, related_name="cooperations", verbose_name=_("needs"))
    achievements = models.ManyToManyField(
        "catalog.Achievement", blank=True, related_name="cooperations", verbose_name=_("achievements"))
    shared_with_government = models.BooleanField(
        _("shared with the zone's officers"), default=False,
        help_text=_("Officers of the zone may then read the details (never the confidential terms); "
                    "otherwise they only see counts."))
    introduction = models.ForeignKey(
        "introductions.Introduction", null=True, blank=True, on_delete=models.SET_NULL, related_name="cooperations",
        verbose_name=_("introduction"), help_text=_("The accepted introduction this cooperation started from."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        ordering = ["-updated"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    def get_absolute_url(self) -> str:
        return reverse("cooperation:cooperation_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.stage == Stage.STOPPED and not self.stop_reason.strip():
            raise ValidationError({"stop_reason": _("Say why the cooperation stopped.")})

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STAGE = "stage", _("Stage changed")
    MEETING = "meeting", _("Meeting")
    ACTION_ITEM = "action_item", _("Action item")
    AGREEMENT = "agreement", _("Agreement")
    DOCUMENT = "document", _("Document")
    PROJECT = "project", _("Project")
    MILESTONE = "milestone", _("Milestone")
    FUNDING = "funding", _("Funding")
    EVALUATION = "evaluation", _("Evaluation")
    DEAL = "deal", _("Technology-transfer deal")
    PAYMENT = "payment", _("Payment")
    NOTE = "note", _("Note")


class CooperationEvent(models.Model):
    """One line of a cooperation's timeline, written by the services (newest first on the page)."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="events",
                                    verbose_name=_("cooperation"))
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text


class AuditEntry(models.Model):
    """Who changed which field of which record, from what to what (written by ``services.audit_changes``)."""

    cooperation = models.ForeignKey(Cooperation, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="audit_entries", verbose_name=_("cooperation"))
    model = models.CharField(_("record type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=16, default="change")
    field = models.CharField(_("field"), max_length=60, blank=True)
    field_label = models.CharField(_("field label"), max_length=120, blank=True)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    # Set on entries by the selectors for display (not stored).
    record_label: str | Promise
    masked: bool

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} {self.field}"


# --------------------------------------------------------------------------------------------- meetings


class MeetingKind(models.TextChoices):
    SYMPOSIUM = "symposium", _("Symposium")
    VISIT = "visit", _("Visit")
    EXCHANGE = "exchange", _("Exchange")
    NEGOTIATION = "negotiation", _("Negotiation")
    OTHER = "other", _("Other meeting")


class Meeting(Timestamped):
    """座谈会, visits, exchanges: one meeting may cover several cooperations."""

    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.SYMPOSIUM)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    organizer = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="organized_meetings", verbose_name=_("organizer"))
    cooperations = models.ManyToManyField(Cooperation, blank=True, related_name="meetings",
                                          verbose_name=_("cooperations"))
    participants = models.ManyToManyField(Person, blank=True, related_name="meetings", verbose_name=_("participants"))
    participant_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="meetings", verbose_name=_("participating organizations"))
    external_participants = models.TextField(
        _("external participants"), blank=True,
        help_text=_("People not on the platform, one per line: name, organization."))
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("One decision per line."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def display_place(self) -> str:
        return _bilingual(self.place, self.place_en)

    @property
    def display_minutes(self) -> str:
        return _bilingual(self.minutes, self.minutes_en)

    def get_absolute_url(self) -> str:
        return reverse("cooperation:meeting_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("A meeting cannot end before it starts.")})

    def lines(self, field: str) -> list[str]:
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]

    def external_people(self) -> list[tuple[str, str]]:
        out = []
        for line in self.lines("external_participants"):
            name, _sep, org = line.partition(",")
            if not _sep:
                name, _sep, org = line.partition("，")
            out.append((name.strip(), org.strip()))
        return out


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(Timestamped):
    """A task agreed at a meeting (or for a cooperation): the next work plan. Owned by a user or a person."""

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items",
                                verbose_name=_("meeting"))
    cooperation = models.ForeignKey(Cooperation, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="action_items", verbose_name=_("cooperation"))
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="action_items", verbose_name=_("owner (user)"))
    owner_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="action_items", verbose_name=_("owner (person)"))
    owner_organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="action_items", verbose_name=_("owner's organization"))
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN,
                              db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_reminded = models.DateField(_("last reminded"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    def get_absolute_url(self) -> str:
        return reverse("cooperation:action_item_edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.meeting_id is None and self.cooperation_id is None:
            raise ValidationError(_("An action item belongs to a meeting or a cooperation."))

    @property
    def owner_display(self) -> str:
        if self.owner_person_id and self.owner_person is not None:
            return self.owner_person.display_name
        if self.owner_user_id:
            return str(self.owner_user)
        return ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due is not None and self.due < timezone.localdate()

    def responsible_users(self) -> list:
        """Who is told about this item: the owning user, or the owning person's login."""
        users = []
        if self.owner_user_id:
            users.append(self.owner_user)
        person = self.owner_person if self.owner_person_id else None
        if person is not None and person.user_id and person.user_id != self.owner_user_id:
            users.append(person.user)
        return users


# --------------------------------------------------------------------------------------------- agreements


class AgreementKind(models.TextChoices):
    JOINT_RND = "joint_rnd", _("Joint R&D contract")
    LICENCE = "licence", _("Technology licence")
    ASSIGNMENT = "assignment", _("Technology assignment")
    EQUITY = "equity", _("Equity investment with technology")
    CONSULTING = "consulting", _("Technical consulting / service")
    CO_BUILT_LAB = "co_built_lab", _("Co-built lab or R&D centre")
    TRAINING_BASE = "training_base", _("Internship / training base")
    FRAMEWORK = "framework", _("Framework cooperation agreement")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Currency(models.TextChoices):
    CNY = "CNY", _("CNY (yuan)")
    USD = "USD", _("USD")
    EUR = "EUR", _("EUR")
    HKD = "HKD", _("HKD")


class Agreement(Timestamped):
    """协议: a signed contract between the parties of a cooperation."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="agreements",
                                    verbose_name=_("cooperation"))
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    parties = models.ManyToManyField(Organization, related_name="agreements", verbose_name=_("parties"))
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind before expiry (days)"), default=60, validators=[MaxValueValidator(730)])
    terms = models.TextField(_("key terms"), blank=True)
    last_reminded = models.DateField(_("last reminded"), null=True, blank=True, editable=False)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:agreement_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An agreement cannot end before it starts.")})
        if self.status == AgreementStatus.SIGNED and not self.signed_on:
            raise ValidationError({"signed_on": _("A signed agreement needs its signing date.")})

    @property
    def days_to_expiry(self) -> int | None:
        if self.ends_on is None:
            return None
        return (self.ends_on - timezone.localdate()).days


DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "jpg", "jpeg", "png"]
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def validate_document_size(file: object) -> None:
    if getattr(file, "size", 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("A file may be at most 20 MB."))


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT and without a URL: signed documents are only served by a permission-checking view.

    The location is ``QIAO_PRIVATE_MEDIA_ROOT`` or a ``private`` folder next to MEDIA_ROOT.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self) -> str:  # type: ignore[override]
        configured = getattr(settings, "QIAO_PRIVATE_MEDIA_ROOT", None)
        return os.fspath(configured or Path(settings.MEDIA_ROOT).parent / "private")

    @cached_property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:  # type: ignore[override]
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


class AgreementDocument(models.Model):
    """A signed document of an agreement (pdf/doc/docx/jpg/png, at most 20 MB); downloaded only through a view."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents",
                                  verbose_name=_("agreement"))
    file = models.FileField(
        _("file"), upload_to="agreements/%Y/%m/", storage=private_storage, max_length=300,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size])
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    uploaded = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        ordering = ["-uploaded"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperation:document_download", args=[self.pk])


# --------------------------------------------------------------------------------------------- projects


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Project(Timestamped):
    """项目 carried out under an agreement, with milestones, funding, outcomes and a closing evaluation."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="projects",
                                  verbose_name=_("agreement"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    leader = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_projects",
                               verbose_name=_("project leader"))
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNED)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Outcomes: structured counts and amounts.
    patents_filed = models.PositiveIntegerField(_("patents filed"), default=0)
    products = models.PositiveIntegerField(_("new products"), default=0)
    standards = models.PositiveIntegerField(_("standards drafted"), default=0)
    revenue = models.DecimalField(_("new revenue"), max_digits=14, decimal_places=2, default=0,
                                  validators=[MinValueValidator(0)])
    people_trained = models.PositiveIntegerField(_("people trained"), default=0)
    outcome_note = models.TextField(_("outcomes"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:project_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A project cannot end before it starts.")})

    @property
    def cooperation(self) -> Cooperation:
        return self.agreement.cooperation


class MilestoneKind(models.TextChoices):
    MILESTONE = "milestone", _("Milestone")
    DELIVERABLE = "deliverable", _("Deliverable")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices, default=MilestoneKind.MILESTONE)
    title = models.CharField(_("title"), max_length=300)
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:milestone_edit", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status in (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS) and self.due < timezone.localdate()


class FundingReceipt(models.Model):
    """Money received for a project (an amount on a date). Amounts are confidential terms."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding",
                                verbose_name=_("project"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding received")
        verbose_name_plural = _("funding received")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount} {self.currency}"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:project_detail", args=[self.project_id])


class ProjectEvaluation(models.Model):
    """A party's closing rating of the cooperation (1–5 and a comment); one per party organization."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name=_("project"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("side"))
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["project", "organization"], name="evaluation_one_per_side")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.rating}/5"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:project_detail", args=[self.project_id])


# --------------------------------------------------------------------------------------------- deals


class DealKind(models.TextChoices):
    LICENCE = "licence", _("Licence")
    ASSIGNMENT = "assignment", _("Assignment")


class LicenceScope(models.TextChoices):
    NONE = "", _("Not a licence")
    EXCLUSIVE = "exclusive", _("Exclusive")
    SOLE = "sole", _("Sole")
    NON_EXCLUSIVE = "non_exclusive", _("Non-exclusive")


class DealStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class TransferDeal(Timestamped):
    """A technology-transfer deal (licence or assignment) of an achievement, with its payment schedule."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="deals",
                                    verbose_name=_("cooperation"))
    achievement = models.ForeignKey("catalog.Achievement", on_delete=models.PROTECT, related_name="deals",
                                    verbose_name=_("achievement"))
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="deals",
                                  verbose_name=_("agreement"))
    licensee = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="acquired_deals", verbose_name=_("licensee / assignee"))
    kind = models.CharField(_("kind"), max_length=16, choices=DealKind.choices)
    licence_scope = models.CharField(_("licence scope"), max_length=16, choices=LicenceScope.choices, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DealStatus.choices, default=DealStatus.NEGOTIATING)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    total_value = models.DecimalField(_("total value"), max_digits=14, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    royalty_rate = models.DecimalField(_("royalty rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    royalty_base = models.CharField(_("royalty base"), max_length=200, blank=True,
                                    help_text=_("e.g. net sales of products using the technology"))
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("technology-transfer deal")
        verbose_name_plural = _("technology-transfer deals")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.achievement}"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:deal_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.kind == DealKind.ASSIGNMENT and self.licence_scope:
            raise ValidationError({"licence_scope": _("An assignment has no licence scope.")})
        if self.status in (DealStatus.SIGNED, DealStatus.COMPLETED) and not self.signed_on:
            raise ValidationError({"signed_on": _("A signed deal needs its signing date.")})


class PaymentKind(models.TextChoices):
    LUMP_SUM = "lump_sum", _("Lump sum")
    MILESTONE = "milestone", _("Milestone payment")
    ROYALTY = "royalty", _("Royalty")


class DealPayment(models.Model):
    """One expected payment of a deal and what was actually received."""

    deal = models.ForeignKey(TransferDeal, on_delete=models.CASCADE, related_name="payments", verbose_name=_("deal"))
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    expected_on = models.DateField(_("expected on"))
    expected_amount = models.DecimalField(_("expected amount"), max_digits=14, decimal_places=2, null=True,
                                          blank=True, validators=[MinValueValidator(0)])
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_amount = models.DecimalField(_("received amount"), max_digits=14, decimal_places=2, null=True,
                                          blank=True, validators=[MinValueValidator(0)])

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["expected_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.expected_on}"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:deal_detail", args=[self.deal_id])

    def clean(self) -> None:
        super().clean()
        if (self.received_on is None) != (self.received_amount is None):
            raise ValidationError(_("Record both the date and the amount received."))

    @property
    def is_received(self) -> bool:
        return self.received_on is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_received and self.expected_on < timezone.localdate()


#: Confidential terms: shown only to the parties and platform admins (pages, API, exports, audit).
CONFIDENTIAL_FIELDS: dict[type[models.Model], set[str]] = {
    Agreement: {"value", "terms"},
    TransferDeal: {"total_value", "royalty_rate", "royalty_base", "terms"},
    DealPayment: {"expected_amount", "received_amount"},
    FundingReceipt: {"amount"},
}

#: Fields whose changes the audit trail records, per model.
TRACKED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Cooperation: ("title", "title_en", "summary", "stage", "stop_reason", "owner", "centre", "parties", "people",
                  "needs", "achievements", "shared_with_government"),
    Meeting: ("kind", "title", "title_en", "starts_at", "ends_at", "place", "place_en", "online_url", "organizer",
              "cooperations", "participants", "participant_organizations", "external_participants", "agenda",
              "minutes", "minutes_en", "decisions"),
    ActionItem: ("title", "title_en", "owner_user", "owner_person", "owner_organization", "due", "status"),
    Agreement: ("kind", "title", "parties", "status", "value", "currency", "signed_on", "starts_on", "ends_on",
                "remind_days_before", "terms"),
    Project: ("title", "description", "leader", "status", "starts_on", "ends_on", "patents_filed", "products",
              "standards", "revenue", "people_trained", "outcome_note"),
    Milestone: ("kind", "title", "due", "status", "completed_on"),
    TransferDeal: ("kind", "licence_scope", "terms", "status", "signed_on", "total_value", "currency",
                   "royalty_rate", "royalty_base", "licensee", "agreement"),
    DealPayment: ("kind", "description", "expected_on", "expected_amount", "received_on", "received_amount"),
    FundingReceipt: ("amount", "currency", "received_on", "note"),
}
