"""Role × action → allowed? for an introduction from the enterprise to the researcher, about a secret need."""

import pytest

from qiao.core.permissions import CHANGE, VIEW, can
from qiao.introductions.services import introduction_request

TABLE = {
    # role: (view, answer)
    "admin": (True, True),
    "enterprise": (True, False),
    "outsider_enterprise": (False, False),
    "researcher": (True, True),
    "staff": (True, True),  # university staff manage the college the researcher belongs to
    "dean": (True, True),
    "broker": (False, False),  # not involved in this one
    "officer": (False, False),
    "nobody": (False, False),
}


@pytest.mark.parametrize(("role", "expected"), TABLE.items())
def test_introduction_policy(intro, role, expected):
    w = intro.world
    introduction = introduction_request(by=w.users["enterprise"], target_person=w.researcher_person,
                                        need=intro.secret_need, message="hi")
    user = w.users[role]
    assert (can(user, VIEW, introduction), can(user, CHANGE, introduction)) == expected


def test_broker_who_asked_may_view_but_not_answer(intro):
    w = intro.world
    introduction = introduction_request(by=w.users["broker"], target_person=w.researcher_person,
                                        need=intro.open_need, message="hi")
    assert can(w.users["broker"], VIEW, introduction) and not can(w.users["broker"], CHANGE, introduction)


def test_manager_of_a_person_without_login_may_answer(intro):
    w = intro.world
    introduction = introduction_request(by=w.users["enterprise"], target_person=w.other_person, message="hi")
    assert can(intro.other_manager, CHANGE, introduction)
    assert not can(w.users["dean"], VIEW, introduction)
