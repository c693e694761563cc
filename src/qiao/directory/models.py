"""The directory: organizations (with their tree), people, majors, and the official taxonomies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qiao.core.models import BilingualName, Timestamped, UnicodeJSONEncoder
from qiao.core.permissions import RestrictedQuerySet

from .validators import normalize_orcid, validate_orcid, validate_uscc


class TaxonomyNode(BilingualName):
    """A node of an official code list: a code, a level and a parent (the tree is at most a few levels deep)."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"


class Region(TaxonomyNode):
    """An administrative division (GB/T 2260 code), or a platform region such as a development zone's area."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta(TaxonomyNode.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.display_name


class IndustryCategory(TaxonomyNode):
    """国民经济行业分类 GB/T 4754-2017: sections (门类), divisions (大类) and, where loaded, groups (中类)."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta(TaxonomyNode.Meta):
        verbose_name = _("industry category")
        verbose_name_plural = _("industry categories")


class Discipline(TaxonomyNode):
    """Ministry of Education discipline catalogue (2022): categories (门类), first-level disciplines (一级学科)
    and professional degree categories (专业学位类别)."""

    class Level(models.TextChoices):
        CATEGORY = "category", _("Discipline category")
        FIRST_LEVEL = "first_level", _("First-level discipline")
        PROFESSIONAL = "professional", _("Professional degree category")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)

    class Meta(TaxonomyNode.Meta):
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    COLLEGE = "college", _("College / department")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    GOVERNMENT = "government", _("Government agency")
    INNOVATION_CENTRE = "innovation_centre", _("Innovation centre")
    DEVELOPMENT_ZONE = "development_zone", _("Development zone")
    INCUBATOR = "incubator", _("Incubator")
    INVESTOR = "investor", _("Investor")


class EnterpriseSize(models.TextChoices):
    """Size classes of 统计上大中小微型企业划分办法 (2017)."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class SpecialisedLevel(models.TextChoices):
    """专精特新: specialised, refined, distinctive and innovative SMEs, and the national "Little Giants"."""

    NONE = "", _("None")
    PROVINCIAL = "provincial", _("Provincial specialised & innovative SME")
    LITTLE_GIANT = "little_giant", _('National "Little Giant"')


class Organization(BilingualName, Timestamped):
    """Any body that takes part: universities and their colleges, enterprises, agencies, zones, centres."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent organization"),
        help_text=_("A college's university, an academy's founding university, an enterprise's development zone."),
    )
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="organizations", verbose_name=_("region")
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Enterprise attributes used by Chinese programmes.
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("统一社会信用代码, 18 characters (GB 32100-2015)."),
    )
    size = models.CharField(_("enterprise size"), max_length=16, choices=EnterpriseSize.choices, blank=True)
    is_high_tech = models.BooleanField(_("high-tech enterprise"), default=False)
    specialised_level = models.CharField(
        _("specialised & innovative status"), max_length=16, choices=SpecialisedLevel.choices, blank=True, default=""
    )
    founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    industries = models.ManyToManyField(
        IndustryCategory, blank=True, related_name="organizations", verbose_name=_("main industry categories")
    )
    disciplines = models.ManyToManyField(
        Discipline, blank=True, related_name="organizations", verbose_name=_("disciplines")
    )
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="organization_unique_credit_code"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("directory:organization_detail", args=[self.pk])

    @property
    def display_description(self) -> str:
        from qiao.core.models import prefers_english

        if prefers_english():
            return self.description_en or self.description
        return self.description or self.description_en

    def clean(self) -> None:
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                from django.core.exceptions import ValidationError

                raise ValidationError({"parent": _("An organization cannot be its own ancestor.")})
            ancestor = ancestor.parent

    def ancestors(self) -> list[Organization]:
        chain: list[Organization] = []
        node = self.parent
        while node is not None and len(chain) < 20:
            chain.append(node)
            node = node.parent
        return chain


class PersonKind(models.TextChoices):
    RESEARCHER = "researcher", _("Researcher")
    TEACHER = "teacher", _("Teacher")
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
    OFFICER = "officer", _("Officer")
    BROKER = "broker", _("Broker")
    STUDENT = "student", _("Student")


class Person(Timestamped):
    """A person in the directory: researchers and teachers, enterprise contacts, officers. May have a login."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=PersonKind.choices, default=PersonKind.RESEARCHER)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("login"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("organization")
    )
    affiliations = models.ManyToManyField(
        Organization, blank=True, related_name="affiliated_people", verbose_name=_("other affiliations")
    )
    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. Professor, 高级工程师"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    expertise_keywords = models.JSONField(_("expertise keywords"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    disciplines = models.ManyToManyField(Discipline, blank=True, related_name="people", verbose_name=_("disciplines"))
    bio = models.TextField(_("biography"), blank=True)
    bio_en = models.TextField(_("biography (English)"), blank=True)
    opted_out_of_matching = models.BooleanField(
        _("opted out of matching"), default=False, help_text=_("Never suggest this person as a match.")
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True, db_index=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["orcid"], condition=~models.Q(orcid=""), name="person_unique_orcid"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from qiao.core.models import prefers_english

        if prefers_english():
            return self.name_en or self.name
        return self.name or self.name_en

    @property
    def display_bio(self) -> str:
        from qiao.core.models import prefers_english

        if prefers_english():
            return self.bio_en or self.bio
        return self.bio or self.bio_en

    def clean(self) -> None:
        super().clean()
        if self.orcid:
            self.orcid = normalize_orcid(self.orcid)
        if not isinstance(self.expertise_keywords, list) or not all(
            isinstance(k, str) for k in self.expertise_keywords
        ):
            from django.core.exceptions import ValidationError

            raise ValidationError({"expertise_keywords": _("Expertise keywords must be a list of words.")})

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", args=[self.pk])


class DegreeLevel(models.TextChoices):
    VOCATIONAL = "vocational", _("Vocational (专科)")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctor")


class Major(BilingualName):
    """A major (专业) offered by a college, with its catalogue code and discipline."""

    code = models.CharField(_("catalogue code"), max_length=12, blank=True)
    college = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="majors", verbose_name=_("college")
    )
    discipline = models.ForeignKey(
        Discipline, null=True, blank=True, on_delete=models.SET_NULL, related_name="majors", verbose_name=_("discipline")
    )
    degree_level = models.CharField(
        _("degree level"), max_length=16, choices=DegreeLevel.choices, default=DegreeLevel.BACHELOR
    )
    students = models.PositiveIntegerField(_("students enrolled"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    industries = models.ManyToManyField(
        IndustryCategory, blank=True, related_name="majors", verbose_name=_("industries served")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["college_id", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["college", "name", "degree_level"], name="major_unique_per_college"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("directory:major_detail", args=[self.pk])
