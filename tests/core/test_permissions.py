"""The permission matrix: role × model × action → allowed?  One table for every model of the foundation."""

import pytest
from django.contrib.auth.models import AnonymousUser

from qiao.accounts.models import ApiToken, Membership, User
from qiao.accounts.services import api_token_create
from qiao.core.permissions import can, restrict
from qiao.directory.models import Discipline, IndustryCategory, Major, Organization, Person, Region
from tests.conftest import ROLES
from tests.directory.factories import MajorFactory

ALL = set(ROLES)
ADMIN = {"admin"}
MANAGERS = {"admin", "enterprise", "outsider_enterprise", "staff", "dean"}

# target name → model, {action: roles allowed}
MATRIX = {
    "enterprise": (Organization, {"view": ALL, "add": MANAGERS | {"broker", "officer"},
                                  "change": {"admin", "enterprise"}, "delete": ADMIN}),
    "college": (Organization, {"view": ALL, "change": {"admin", "staff", "dean"}, "delete": ADMIN}),
    "other_college": (Organization, {"view": ALL, "change": ADMIN, "delete": ADMIN}),
    "researcher_person": (Person, {"view": ALL, "add": MANAGERS | {"broker"},
                                   "change": {"admin", "researcher", "staff", "dean"},
                                   "delete": {"admin", "staff", "dean"}}),
    "other_person": (Person, {"view": ALL, "change": ADMIN, "delete": ADMIN}),
    "major": (Major, {"view": ALL, "add": {"admin", "staff", "dean"}, "change": {"admin", "staff", "dean"},
                      "delete": {"admin", "staff", "dean"}}),
    "other_major": (Major, {"view": ALL, "change": ADMIN, "delete": ADMIN}),
    "industry": (IndustryCategory, {"view": ALL, "add": ADMIN, "change": ADMIN, "delete": ADMIN}),
    "discipline": (Discipline, {"view": ALL, "add": ADMIN, "change": ADMIN, "delete": ADMIN}),
    "region": (Region, {"view": ALL, "add": ADMIN, "change": ADMIN, "delete": ADMIN}),
    "membership": (Membership, {"view": {"admin", "enterprise"}, "add": MANAGERS, "change": ADMIN, "delete": ADMIN}),
    "user": (User, {"view": {"admin", "researcher", "staff", "dean"}, "add": ADMIN,
                    "change": {"admin", "researcher"}, "delete": ADMIN}),
    "token": (ApiToken, {"view": {"admin", "researcher"}, "add": ALL, "change": {"admin", "researcher"},
                         "delete": {"admin", "researcher"}}),
}
CASES = [
    (target, role, action)
    for target, (_model, rules) in MATRIX.items()
    for action in ("view", "add", "change", "delete")
    if action in rules
    for role in [*ROLES, "anonymous"]
]


@pytest.fixture
def targets(world):
    token, _raw = api_token_create(user=world.users["researcher"], name="script")
    return {
        "enterprise": world.enterprise,
        "college": world.college,
        "other_college": world.other_college,
        "researcher_person": world.researcher_person,
        "other_person": world.other_person,
        "major": MajorFactory(college=world.college),
        "other_major": MajorFactory(college=world.other_college),
        "industry": IndustryCategory.objects.get(code="C"),
        "discipline": Discipline.objects.get(code="08"),
        "region": Region.objects.order_by("code").first(),
        "membership": Membership.objects.get(user=world.users["enterprise"]),
        "user": world.users["researcher"],
        "token": token,
    }


@pytest.mark.parametrize(("target", "role", "action"), CASES)
def test_permission_matrix(world, targets, target, role, action):
    # given a user of a role and a target object
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


def test_every_foundation_model_is_in_the_matrix():
    covered = {model for model, _rules in MATRIX.values()}
    assert {Organization, Person, Major, IndustryCategory, Discipline, Region, Membership, User, ApiToken} <= covered


def test_unknown_action_is_an_error(world):
    with pytest.raises(ValueError):
        restrict(Organization.objects.all(), world.users["admin"], "publish")


def test_inactive_user_may_do_nothing(world):
    user = world.users["enterprise"]
    user.is_active = False
    user.save()
    assert not restrict(Organization.objects.all(), user, "view").exists()
