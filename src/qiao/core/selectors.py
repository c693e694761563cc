"""The home dashboard: what needs each role's attention. Later domains add their panels here."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from qiao.accounts.selectors import primary_role, user_memberships
from qiao.core.permissions import VIEW, restrict
from qiao.directory.models import Organization, OrganizationKind, Person
from qiao.directory.selectors import managed_organization_ids, member_organization_ids


def public_stats() -> dict[str, int]:
    """Counts shown on the public landing page (only public directory facts)."""
    return {
        "universities": Organization.objects.filter(kind=OrganizationKind.UNIVERSITY).count(),
        "enterprises": Organization.objects.filter(kind=OrganizationKind.ENTERPRISE).count(),
        "researchers": Person.objects.filter(kind="researcher").count(),
    }


def dashboard(*, user: Any) -> dict[str, Any]:
    role = primary_role(user)
    memberships = list(user_memberships(user=user))
    orgs = restrict(Organization.objects.all(), user, VIEW)
    my_org_ids = member_organization_ids(user)
    panels: list[dict[str, Any]] = []
    attention: list[dict[str, Any]] = []

    person = Person.objects.filter(user=user).select_related("organization").first()
    if person is not None and person.kind == "researcher":
        missing = []
        if not person.expertise_keywords:
            missing.append(_("expertise keywords"))
        if not person.bio and not person.bio_en:
            missing.append(_("a short biography"))
        if not person.orcid and person.kind == "researcher":
            missing.append(_("your ORCID iD"))
        if missing:
            attention.append({"text": _("Complete your profile: add %(items)s.") % {"items": ", ".join(str(m) for m in missing)},
                              "url": person.get_absolute_url()})

    attention += _cross_domain_attention(user=user, role=role)
    panels += _cross_domain_panels(user=user, role=role)

    if role in ("broker", "government_officer", "admin"):
        by_kind = dict(orgs.values_list("kind").annotate(n=Count("pk")))
        panels.append({"title": _("Organizations by kind"), "rows": [
            (OrganizationKind(k).label, by_kind.get(k, 0)) for k in OrganizationKind.values if by_kind.get(k)
        ]})
        zone_ids = [m.organization.parent_id or m.organization_id for m in memberships]
        zone_enterprises = orgs.filter(kind=OrganizationKind.ENTERPRISE, parent_id__in=zone_ids)
        without_industry = zone_enterprises.filter(industries__isnull=True)
        if without_industry.exists():
            attention.append({"text": _("%(n)d enterprises in your zone have no industry category yet.") % {
                "n": without_industry.count()}, "url": "/directory/organizations/?kind=enterprise"})
        panels.append({"title": _("Enterprises in your zone"), "rows": [
            (e.display_name, e.get_specialised_level_display() or "") for e in zone_enterprises.order_by("-specialised_level", "name")[:8]
        ]})
    if role in ("university_staff", "admin"):
        managed = managed_organization_ids(user)
        colleges = orgs.filter(pk__in=managed, kind=OrganizationKind.COLLEGE).annotate(
            n_people=Count("people", distinct=True), n_majors=Count("majors", distinct=True))
        panels.append({"title": _("Your colleges"), "rows": [
            (c.display_name, _("%(p)d people, %(m)d majors") % {"p": c.n_people, "m": c.n_majors}) for c in colleges[:12]
        ]})
        people_without_keywords = Person.objects.filter(organization_id__in=managed, expertise_keywords=[]).count()
        if people_without_keywords:
            attention.append({"text": _("%(n)d researchers of your university have no expertise keywords.") % {
                "n": people_without_keywords}, "url": "/directory/people/"})
    if role == "researcher" and person is not None:
        colleagues = Person.objects.filter(organization=person.organization).exclude(pk=person.pk)[:8]
        panels.append({"title": _("Colleagues in %(org)s") % {"org": person.organization.display_name},
                       "rows": [(c.display_name, c.title) for c in colleagues]})
    if role == "enterprise_member":
        for org in orgs.filter(pk__in=my_org_ids).select_related("parent"):
            if org.parent is not None:
                neighbours = orgs.filter(parent=org.parent, kind=OrganizationKind.ENTERPRISE).exclude(pk=org.pk)
                panels.append({"title": _("Other enterprises in %(zone)s") % {"zone": org.parent.display_name},
                               "rows": [(n.display_name, n.get_size_display()) for n in neighbours[:8]]})
    return {"role": role, "memberships": memberships, "panels": panels, "attention": attention, "person": person}


def _cross_domain_attention(*, user: Any, role: str) -> list[dict[str, Any]]:
    """What the other domains ask of this user: answers owed, overdue and upcoming work, drafts."""
    from django.urls import reverse

    from qiao.catalog.models import Need, NeedStatus
    from qiao.cooperation.selectors import action_item_list
    from qiao.introductions.selectors import pending_received_count

    items: list[dict[str, Any]] = []
    pending = pending_received_count(user=user)
    if pending:
        items.append({"text": _("%(n)d introduction requests await your answer.") % {"n": pending},
                      "url": reverse("introductions:list") + "?box=received&status=pending"})
    mine = action_item_list(user=user, scope="mine").filter(status__in=["open", "in_progress"])
    overdue = [a for a in mine if a.due and a.due < _today()]
    if overdue:
        items.append({"text": _("%(n)d of your action items are overdue.") % {"n": len(overdue)},
                      "url": reverse("cooperation:action_item_list") + "?scope=mine"})
    elif mine:
        items.append({"text": _("You have %(n)d open action items.") % {"n": len(mine)},
                      "url": reverse("cooperation:action_item_list") + "?scope=mine"})
    drafts = restrict(Need.objects.filter(status=NeedStatus.DRAFT, owner_id__in=member_organization_ids(user)),
                      user, VIEW).count()
    if drafts:
        items.append({"text": _("%(n)d of your organization's needs are still drafts.") % {"n": drafts},
                      "url": reverse("catalog:need_list") + "?mine=1&status=draft"})
    return items


def _cross_domain_panels(*, user: Any, role: str) -> list[dict[str, Any]]:
    from qiao.catalog.models import OPEN_NEED_STATUSES, Need
    from qiao.cooperation.models import Cooperation, Stage
    from qiao.cooperation.selectors import zone_stage_counts

    panels: list[dict[str, Any]] = []
    if role in ("broker", "admin", "university_staff", "enterprise_member", "researcher"):
        coops = restrict(Cooperation.objects.all(), user, VIEW)
        by_stage = dict(coops.values_list("stage").annotate(n=Count("pk")))
        if by_stage:
            panels.append({"title": _("Cooperations by stage"), "rows": [
                (label, by_stage[value]) for value, label in Stage.choices if by_stage.get(value)]})
    if role == "government_officer":
        counts = zone_stage_counts(user=user)
        labels = dict(Stage.choices)
        panels.append({"title": _("Cooperations in your zone by stage"),
                       "rows": [(labels.get(stage, stage), n) for stage, n in counts.items()]})
    if role in ("enterprise_member",):
        needs = restrict(Need.objects.filter(owner_id__in=member_organization_ids(user)), user, VIEW)
        panels.append({"title": _("Your needs"), "rows": [
            (n.title, n.get_status_display()) for n in needs.order_by("-created")[:8]]})
    if role in ("broker", "admin"):
        open_needs = restrict(Need.objects.filter(status__in=OPEN_NEED_STATUSES), user, VIEW).count()
        panels.append({"title": _("The market"), "rows": [(_("Open needs you can see"), open_needs)]})
    return panels


def _today():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.localdate()
