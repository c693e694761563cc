"""Writes for introductions: request, accept, decline (with a reason), withdraw.

Confidentiality: an introduction may be about a need the expert could not otherwise see. Requesting shares that
one need with the expert (``need_grant``) and nobody else; every notification names the need only to recipients
who may view it (checked per recipient, in their language).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.accounts.models import Role, User
from qiao.core.permissions import ADD, CHANGE, VIEW, can, is_platform_admin, restrict
from qiao.directory.models import Organization, Person
from qiao.directory.selectors import member_organization_ids
from qiao.notifications.services import notify

from .models import Introduction, IntroductionStatus
from .permissions import introduction_withdraw_q


def _requester_org(*, by: Any, need: Any, on_behalf_of: Organization | None) -> tuple[Organization, Any]:
    """The enterprise asking, and the broker if a broker asks on its behalf."""
    members_of = member_organization_ids(by)
    org = on_behalf_of or (need.owner if need is not None else None)
    if org is None:
        enterprises = list(by.memberships.filter(role=Role.ENTERPRISE_MEMBER).values_list("organization_id", flat=True))
        if len(enterprises) != 1:
            raise ValidationError({"on_behalf_of": _("Choose the enterprise this introduction is for.")})
        org = Organization.objects.get(pk=enterprises[0])
    if org.pk in members_of and (by.has_role(Role.ENTERPRISE_MEMBER) or is_platform_admin(by)):
        return org, None
    if by.has_role(Role.BROKER) or is_platform_admin(by):
        return org, by
    raise PermissionDenied


def _org_managers(org: Organization) -> list[Any]:
    """Who answers for a person without a login: managers and university staff of the organization or above it."""
    ids = [org.pk, *(a.pk for a in org.ancestors())]
    return list(User.objects.filter(
        Q(is_active=True), Q(memberships__organization_id__in=ids),
        Q(memberships__is_manager=True) | Q(memberships__role=Role.UNIVERSITY_STAFF)).distinct())


def _answerers(introduction: Introduction) -> list[Any]:
    """Who is told about a request: the expert if they have a login, else their organization's managers."""
    person = introduction.target_person
    user = person.user
    if user is not None and user.is_active:
        return [user]
    return _org_managers(person.organization)


def _about(introduction: Introduction, recipient: Any) -> str:
    """The lines of a notification that say what the introduction is about — the need only if the recipient
    may see it."""
    lines = []
    need, achievement = introduction.need, introduction.achievement
    if need is not None and can(recipient, VIEW, need):
        lines.append(_("About the need: %(need)s") % {"need": need.title})
    if achievement is not None and can(recipient, VIEW, achievement):
        lines.append(_("About the achievement: %(achievement)s") % {"achievement": achievement})
    return "\n".join(lines)


@transaction.atomic
def introduction_request(*, by: Any, target_person: Person | None, message: str, need: Any = None, achievement: Any = None,
                         on_behalf_of: Organization | None = None) -> Introduction:
    """An enterprise member (or a broker for an enterprise) asks to be introduced to ``target_person``."""
    if not can(by, ADD, Introduction):
        raise PermissionDenied
    if need is not None and not restrict(type(need).objects.filter(pk=need.pk), by, VIEW).exists():
        raise PermissionDenied
    if achievement is not None:
        if not can(by, VIEW, achievement):
            raise PermissionDenied
        target_person = target_person or achievement.owner
    if target_person is None:
        raise ValidationError({"target_person": _("Choose whom to be introduced to.")})
    if not can(by, VIEW, target_person):
        raise PermissionDenied
    org, broker = _requester_org(by=by, need=need, on_behalf_of=on_behalf_of)
    if need is not None and need.owner_id != org.pk:
        raise ValidationError({"need": _("The need must belong to the enterprise asking for the introduction.")})
    if target_person.opted_out_of_matching:
        raise ValidationError({"target_person": _(
            "%(person)s has asked not to be contacted through matching; introductions cannot be requested."
        ) % {"person": target_person}})
    duplicate = Introduction.objects.filter(requester_org=org, target_person=target_person, need=need,
                                            status=IntroductionStatus.PENDING)
    if duplicate.exists():
        raise ValidationError(_("%(org)s already has a pending introduction request to %(person)s about this.")
                              % {"org": org, "person": target_person})
    introduction = Introduction(requested_by=by, requester_org=org, broker=broker, target_person=target_person,
                                need=need, achievement=achievement, message=(message or "").strip())
    introduction.full_clean()
    introduction.save()

    expert = target_person.user if target_person.user is not None and target_person.user.is_active else None
    if need is not None and expert is not None:
        from qiao.catalog.services import need_grant

        need_grant(need=need, user=expert, reason="introduction")
    recipients = _answerers(introduction)

    def title(recipient: Any) -> str:
        if expert is not None and recipient.pk == expert.pk:
            return _("%(org)s asks to be introduced to you") % {"org": org}
        return _("%(org)s asks for an introduction to %(person)s") % {"org": org, "person": target_person}

    def body(recipient: Any) -> str:
        return "\n\n".join(part for part in (introduction.message, _about(introduction, recipient)) if part)

    notify(recipients=recipients, kind="introduction.requested", title=title, body=body,
           url=introduction.get_absolute_url(), obj=introduction, actor=by)
    return introduction


def _answer(introduction: Introduction, by: Any, status: str, reason: str) -> Introduction:
    if not can(by, CHANGE, introduction):
        raise PermissionDenied
    if not introduction.is_pending:
        raise ValidationError(_("This introduction request has already been answered or withdrawn."))
    introduction.status = status
    introduction.response_reason = reason
    introduction.responded_by = by
    introduction.responded_at = timezone.now()
    introduction.full_clean()
    introduction.save()

    accepted = status == IntroductionStatus.ACCEPTED
    person = introduction.target_person

    def title(recipient: Any) -> str:
        if accepted:
            return _("%(person)s accepted your introduction request") % {"person": person}
        return _("%(person)s declined your introduction request") % {"person": person}

    def body(recipient: Any) -> str:
        label = _("Message") if accepted else _("Reason")
        parts = [f"{label}: {reason}" if reason else "", _about(introduction, recipient)]
        return "\n\n".join(p for p in parts if p)

    notify(recipients=[introduction.requested_by, introduction.broker], kind="introduction.answered",
           title=title, body=body, url=introduction.get_absolute_url(), obj=introduction, actor=by)
    return introduction


@transaction.atomic
def introduction_accept(*, introduction: Introduction, by: Any, message: str = "") -> Introduction:
    """The expert (or their organization's manager) agrees; this opens a cooperation record."""
    introduction = _answer(introduction, by, IntroductionStatus.ACCEPTED, (message or "").strip())
    try:
        from qiao.cooperation.services import cooperation_create_from_introduction  # type: ignore[attr-defined]
    except ImportError:  # the cooperation lifecycle is not there yet
        return introduction
    cooperation_create_from_introduction(introduction=introduction, by=by)
    return introduction


@transaction.atomic
def introduction_decline(*, introduction: Introduction, by: Any, reason: str) -> Introduction:
    """Say no — always with a reason, which the asker sees."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"response_reason": _("Please tell the asker why you decline.")})
    return _answer(introduction, by, IntroductionStatus.DECLINED, reason)


@transaction.atomic
def introduction_withdraw(*, introduction: Introduction, by: Any) -> Introduction:
    if not (is_platform_admin(by) or Introduction.objects.filter(introduction_withdraw_q(by), pk=introduction.pk)
            .exists()):
        raise PermissionDenied
    if not introduction.is_pending:
        raise ValidationError(_("Only a pending introduction request can be withdrawn."))
    introduction.status = IntroductionStatus.WITHDRAWN
    introduction.save(update_fields=["status", "updated"])
    org, person = introduction.requester_org, introduction.target_person

    def title(recipient: Any) -> str:
        return _("%(org)s withdrew its introduction request to %(person)s") % {"org": org, "person": person}

    notify(recipients=_answerers(introduction), kind="introduction.withdrawn", title=title,
           url=introduction.get_absolute_url(), obj=introduction, actor=by)
    return introduction

