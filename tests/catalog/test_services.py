"""Catalog services: lifecycle transitions, confidentiality validation, budgets, who may write what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qiao.catalog import services
from qiao.catalog.models import NEED_TRANSITIONS, Confidentiality, NeedEvent, NeedStatus, Publication
from tests.catalog.conftest import make_need

pytestmark = pytest.mark.django_db

ALLOWED = [(a, b) for a, targets in NEED_TRANSITIONS.items() for b in targets]
REFUSED = [(a, b) for a in NeedStatus.values for b in NeedStatus.values
           if b not in NEED_TRANSITIONS[a] and a != NeedStatus.CLOSED]  # closed is frozen: test_closed_need_...
#: A path from draft to each status, through allowed transitions.
PATHS = {
    NeedStatus.DRAFT: [],
    NeedStatus.PUBLISHED: [NeedStatus.PUBLISHED],
    NeedStatus.IN_TALKS: [NeedStatus.PUBLISHED, NeedStatus.IN_TALKS],
    NeedStatus.IN_COOPERATION: [NeedStatus.PUBLISHED, NeedStatus.IN_COOPERATION],
    NeedStatus.CLOSED: [NeedStatus.PUBLISHED, NeedStatus.CLOSED],
    NeedStatus.WITHDRAWN: [NeedStatus.WITHDRAWN],
}


def _need_in(world, status):
    need = make_need(world, title="状态测试需求", publish=False)
    for step in PATHS[status]:
        services.need_transition(need=need, to=step, by=world.users["enterprise"])
    assert need.status == status
    return need


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_need_transition_allowed_moves_and_records_history(world, start, to):
    # given a need in ``start``
    need = _need_in(world, start)
    events_before = NeedEvent.objects.filter(need=need).count()
    # when its enterprise moves it to ``to``
    services.need_transition(need=need, to=to, by=world.users["enterprise"], note="因为")
    # then the status changed and the history says who, from where and why
    need.refresh_from_db()
    assert need.status == to
    last = NeedEvent.objects.filter(need=need).last()
    assert NeedEvent.objects.filter(need=need).count() == events_before + 1
    assert (last.from_status, last.to_status, last.by, last.note) == (start, to, world.users["enterprise"], "因为")


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_need_transition_refuses_moves_outside_the_lifecycle(world, start, to):
    need = _need_in(world, start)
    with pytest.raises(ValidationError):
        services.need_transition(need=need, to=to, by=world.users["enterprise"])
    need.refresh_from_db()
    assert need.status == start


def test_closed_need_is_frozen(world):
    need = _need_in(world, NeedStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        services.need_transition(need=need, to=NeedStatus.PUBLISHED, by=world.users["enterprise"])
    with pytest.raises(PermissionDenied):
        services.need_update(need=need, by=world.users["enterprise"], title="改")


@pytest.mark.parametrize("role", ["outsider_enterprise", "researcher", "staff", "officer", "nobody"])
def test_only_the_enterprise_moves_its_need(world, role):
    need = make_need(world, title="别人的需求")
    with pytest.raises(PermissionDenied):
        services.need_transition(need=need, to=NeedStatus.CLOSED, by=world.users[role])


def test_named_confidentiality_needs_an_organization(world):
    with pytest.raises(ValidationError) as exc:
        make_need(world, title="没有指定对象", confidentiality=Confidentiality.NAMED)
    assert "named_organizations" in exc.value.message_dict
    need = make_need(world, title="指定对象", confidentiality=Confidentiality.NAMED, named=[world.university])
    with pytest.raises(ValidationError):
        services.need_update(need=need, by=world.users["enterprise"], named_organizations=[])
    need.refresh_from_db()
    assert list(need.named_organizations.all()) == [world.university]


def test_budget_upper_end_must_not_be_below_lower_end(world):
    with pytest.raises(ValidationError) as exc:
        make_need(world, title="预算", budget_min=Decimal("50"), budget_max=Decimal("10"))
    assert "budget_max" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_need(world, title="负预算", budget_min=Decimal("-1"))
    need = make_need(world, title="预算正常", budget_min=Decimal("10"), budget_max=Decimal("10"))
    assert need.budget_max == Decimal("10")


def test_cooperation_modes_are_validated(world):
    with pytest.raises(ValidationError):
        make_need(world, title="模式", cooperation_modes=["bribery"])
    assert make_need(world, title="模式", cooperation_modes=["joint_rnd", "commissioned_rnd"]).pk


def test_who_may_post_for_whom(world):
    # an enterprise member posts for its own enterprise only
    with pytest.raises(PermissionDenied):
        make_need(world, title="冒名", owner=world.other_enterprise, by=world.users["enterprise"])
    # a broker posts on an enterprise's behalf and keeps seeing and editing the draft
    need = make_need(world, title="代发", owner=world.other_enterprise, by=world.users["broker"], publish=False)
    services.need_update(need=need, by=world.users["broker"], title="代发（改）")
    # researchers and officers do not post needs
    for role in ("researcher", "officer", "nobody"):
        with pytest.raises(PermissionDenied):
            make_need(world, title="不行", by=world.users[role])
    # needs belong to enterprises
    with pytest.raises(ValidationError):
        make_need(world, title="大学需求", owner=world.university, by=world.users["admin"])


def test_only_managers_delete_drafts(world):
    draft = make_need(world, title="草稿", publish=False)
    published = make_need(world, title="已发布")
    with pytest.raises(PermissionDenied):
        services.need_delete(need=published, by=world.users["enterprise"])
    with pytest.raises(PermissionDenied):
        services.need_delete(need=draft, by=world.users["broker"])
    services.need_delete(need=draft, by=world.users["enterprise"])


def test_publication_flags_are_the_researchers_to_set(world):
    person = world.researcher_person
    pub = services.publication_create(by=world.users["researcher"], person=person, title="膜蒸馏研究",
                                      doi="https://doi.org/10.1000/ABC", keywords=["膜"])
    assert pub.doi == "10.1000/abc"
    services.publication_update(publication=pub, by=world.users["researcher"], pinned=True, hidden_from_matching=True)
    pub.refresh_from_db()
    assert pub.pinned and pub.hidden_from_matching
    # the university's staff may curate its researchers' profiles; others may not
    services.publication_update(publication=pub, by=world.users["staff"], pinned=False)
    for role in ("broker", "enterprise", "outsider_enterprise"):
        with pytest.raises(PermissionDenied):
            services.publication_update(publication=pub, by=world.users[role], hidden_from_matching=False)
        with pytest.raises(PermissionDenied):
            services.publication_create(by=world.users[role], person=person, title="冒名论文")
    with pytest.raises(ValidationError):
        services.publication_create(by=world.users["researcher"], person=person, title="坏DOI", doi="abc")
    services.publication_delete(publication=pub, by=world.users["researcher"])
    assert not Publication.objects.filter(pk=pub.pk).exists()


def test_achievements_for_self_or_own_university(world):
    data = {"kind": "invention_patent", "title": "一种膜材料", "description": "描述"}
    mine = services.achievement_create(by=world.users["researcher"], owner=world.researcher_person, **data)
    assert mine.organization == world.college
    # staff record achievements for their university's people, not for another university's
    services.achievement_create(by=world.users["staff"], owner=world.researcher_person, **data)
    with pytest.raises(PermissionDenied):
        services.achievement_create(by=world.users["staff"], owner=world.other_person, **data)
    with pytest.raises(PermissionDenied):
        services.achievement_create(by=world.users["researcher"], owner=world.other_person, **data)
    with pytest.raises(ValidationError):
        services.achievement_update(achievement=mine, by=world.users["researcher"], price_min=Decimal("9"),
                                    price_max=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.achievement_update(achievement=mine, by=world.users["enterprise"], title="改")


def test_capabilities_by_managers_of_the_organization(world):
    cap = services.capability_create(by=world.users["staff"], kind="lab", name="膜技术实验室",
                                     organization=world.college)
    services.capability_update(capability=cap, by=world.users["dean"], fee_note="按机时")
    with pytest.raises(PermissionDenied):
        services.capability_update(capability=cap, by=world.users["staff"], organization=world.other_college)
    with pytest.raises(PermissionDenied):
        services.capability_create(by=world.users["researcher"], kind="lab", name="私设", organization=world.college)
