"""The cooperation permission matrix: role × record × action → allowed? (same style as tests/core)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from qiao.cooperation import services
from qiao.cooperation.models import (
    ActionItem,
    Agreement,
    AgreementDocument,
    AuditEntry,
    Cooperation,
    CooperationEvent,
    DealPayment,
    FundingReceipt,
    Meeting,
    Milestone,
    Project,
    ProjectEvaluation,
    TransferDeal,
)
from qiao.cooperation.permissions import can_see_terms
from qiao.core.permissions import can, restrict
from tests.conftest import ROLES

ADMIN = {"admin"}
PARTIES = {"admin", "enterprise", "researcher", "staff", "dean"}  # the enterprise and the university (with its college)
FOLLOWERS = PARTIES | {"broker"}  # parties and their broker
OWNER = {"admin", "broker"}
CREATORS = {"admin", "enterprise", "outsider_enterprise", "researcher", "staff", "dean", "broker"}
ON_CHAIN = {"view": FOLLOWERS, "add": CREATORS, "change": FOLLOWERS, "delete": OWNER}

MATRIX = {
    "cooperation": (Cooperation, ON_CHAIN),
    "shared_cooperation": (Cooperation, {**ON_CHAIN, "view": FOLLOWERS | {"officer"}}),
    "shared_agreement": (Agreement, {"view": FOLLOWERS | {"officer"}, "change": FOLLOWERS, "delete": OWNER}),
    "meeting": (Meeting, {"view": FOLLOWERS, "add": CREATORS | {"officer"}, "change": FOLLOWERS, "delete": OWNER}),
    "action_item": (ActionItem, {"view": FOLLOWERS, "add": CREATORS | {"officer"}, "change": FOLLOWERS,
                                 "delete": FOLLOWERS}),
    "agreement": (Agreement, ON_CHAIN),
    "document": (AgreementDocument, {"view": PARTIES, "add": CREATORS, "change": ADMIN,
                                     "delete": {"admin", "enterprise"}}),
    "project": (Project, ON_CHAIN),
    "milestone": (Milestone, ON_CHAIN),
    "funding": (FundingReceipt, {"view": PARTIES, "add": CREATORS - {"broker"}, "change": PARTIES,
                                 "delete": PARTIES}),
    "evaluation": (ProjectEvaluation, {"view": FOLLOWERS, "add": CREATORS | {"officer"},
                                       "change": {"admin", "enterprise"}, "delete": {"admin", "enterprise"}}),
    "deal": (TransferDeal, ON_CHAIN),
    "payment": (DealPayment, ON_CHAIN),
    "event": (CooperationEvent, {"view": FOLLOWERS, "add": ADMIN, "change": ADMIN, "delete": ADMIN}),
    "audit": (AuditEntry, {"view": FOLLOWERS, "add": ADMIN, "change": ADMIN, "delete": ADMIN}),
}
CASES = [
    (target, role, action)
    for target, (_model, rules) in MATRIX.items()
    for action in ("view", "add", "change", "delete")
    if action in rules
    for role in [*ROLES, "anonymous"]
]


@pytest.fixture
def targets(world, chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # the officer's agency belongs to the zone the enterprise is in
    world.agency.parent = world.zone
    world.agency.save()
    shared = services.cooperation_create(by=world.users["broker"], title="共享给政府的合作",
                                         parties=[world.enterprise, world.university], shared_with_government=True)
    shared_agreement = services.agreement_create(by=world.users["broker"], cooperation=shared, kind="framework",
                                                 title="框架协议")
    document = services.agreement_document_add(agreement=chain.agreement, by=world.users["enterprise"],
                                               file=SimpleUploadedFile("c.pdf", b"%PDF-1.4"))
    return {
        "cooperation": chain.coop, "shared_cooperation": shared, "shared_agreement": shared_agreement,
        "meeting": chain.meeting, "action_item": chain.item, "agreement": chain.agreement, "document": document,
        "project": chain.project, "milestone": chain.milestone, "funding": chain.funding,
        "evaluation": chain.evaluation, "deal": chain.deal, "payment": chain.payment,
        "event": chain.coop.events.first(), "audit": AuditEntry.objects.filter(cooperation=chain.coop).first(),
    }


@pytest.mark.parametrize(("target", "role", "action"), CASES)
def test_permission_matrix(world, targets, target, role, action):
    # given a user of a role and a cooperation record
    model, rules = MATRIX[target]
    user = AnonymousUser() if role == "anonymous" else world.users[role]
    obj = targets[target]
    expected = role in rules[action]
    # when the one permission mechanism is asked
    if action == "add":
        allowed = can(user, "add", model)
    else:
        allowed = can(user, action, obj)
        # then restrict() agrees with can() for the same row
        assert restrict(model.objects.all(), user, action).filter(pk=obj.pk).exists() == allowed
    assert allowed == expected, f"{role} {action} {target}: expected {expected}"


def test_every_cooperation_model_is_in_the_matrix():
    from django.apps import apps

    covered = {model for model, _rules in MATRIX.values()}
    assert set(apps.get_app_config("cooperation").get_models()) == covered


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_confidential_terms_are_for_parties_and_admins(world, targets, role):
    user = AnonymousUser() if role == "anonymous" else world.users[role]
    assert can_see_terms(user, targets["cooperation"]) == (role in PARTIES)
    assert can_see_terms(user, targets["shared_cooperation"]) == (role in PARTIES)
