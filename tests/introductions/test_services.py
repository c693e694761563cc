import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from qiao.catalog.models import NeedGrant
from qiao.core.permissions import VIEW, can, restrict
from qiao.introductions.models import IntroductionStatus
from qiao.introductions.services import (
    introduction_accept,
    introduction_decline,
    introduction_request,
    introduction_withdraw,
)
from qiao.notifications.models import Notification

from .conftest import SECRET_TITLE


def _request(intro, **kwargs):
    w = intro.world
    data = {"by": w.users["enterprise"], "target_person": w.researcher_person, "need": intro.secret_need,
            "message": "想请您看看我们的脱硝问题"}
    return introduction_request(**{**data, **kwargs})


def test_request_shares_exactly_that_need_with_the_expert(intro, django_capture_on_commit_callbacks):
    w = intro.world
    expert = w.users["researcher"]
    assert not can(expert, VIEW, intro.secret_need)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        introduction = _request(intro)
    # then
    assert introduction.status == IntroductionStatus.PENDING
    assert introduction.requester_org == w.enterprise and introduction.broker is None
    assert can(expert, VIEW, intro.secret_need)
    assert list(NeedGrant.objects.filter(user=expert).values_list("need_id", flat=True)) == [intro.secret_need.pk]
    notification = Notification.objects.get(recipient=expert, kind="introduction.requested")
    assert SECRET_TITLE in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [expert.email]


def test_requester_must_see_the_need(intro):
    with pytest.raises(PermissionDenied):
        _request(intro, by=intro.world.users["outsider_enterprise"])


@pytest.mark.parametrize("role", ["researcher", "staff", "officer", "nobody"])
def test_only_enterprise_members_and_brokers_may_request(intro, role):
    with pytest.raises(PermissionDenied):
        _request(intro, by=intro.world.users[role], need=None)


def test_need_must_belong_to_the_requesting_enterprise(intro):
    w = intro.world
    with pytest.raises(ValidationError):
        _request(intro, by=w.users["outsider_enterprise"], need=intro.open_need, on_behalf_of=w.other_enterprise)


def test_no_duplicate_pending_request(intro):
    _request(intro)
    with pytest.raises(ValidationError, match="already has a pending"):
        _request(intro)


def test_a_new_request_is_fine_after_withdrawing(intro):
    first = _request(intro)
    introduction_withdraw(introduction=first, by=intro.world.users["enterprise"])
    assert _request(intro).pk != first.pk


def test_people_who_opted_out_cannot_be_requested(intro):
    person = intro.world.researcher_person
    person.opted_out_of_matching = True
    person.save()
    with pytest.raises(ValidationError, match="not to be contacted"):
        _request(intro)


def test_broker_requests_on_behalf_of_the_need_owner(intro):
    w = intro.world
    introduction = _request(intro, by=w.users["broker"], need=intro.open_need)
    assert introduction.requester_org == w.enterprise and introduction.broker == w.users["broker"]


def test_broker_without_need_names_the_enterprise(intro):
    w = intro.world
    with pytest.raises(ValidationError):
        _request(intro, by=w.users["broker"], need=None)
    introduction = _request(intro, by=w.users["broker"], need=None, on_behalf_of=w.enterprise)
    assert introduction.requester_org == w.enterprise


def test_target_without_login_notifies_managers_without_leaking_the_need(intro, django_capture_on_commit_callbacks):
    w = intro.world
    with django_capture_on_commit_callbacks(execute=True):
        introduction = _request(intro, target_person=w.other_person)
    notification = Notification.objects.get(kind="introduction.requested")
    assert notification.recipient == intro.other_manager
    assert SECRET_TITLE not in notification.title + notification.body
    assert not NeedGrant.objects.exists()
    assert can(intro.other_manager, "change", introduction)
    assert all(SECRET_TITLE not in m.subject + m.body for m in mail.outbox)


def test_decline_requires_a_reason_and_the_asker_sees_it(intro, django_capture_on_commit_callbacks):
    w = intro.world
    introduction = _request(intro)
    with pytest.raises(ValidationError):
        introduction_decline(introduction=introduction, by=w.users["researcher"], reason="   ")
    with django_capture_on_commit_callbacks(execute=True):
        introduction_decline(introduction=introduction, by=w.users["researcher"], reason="不是我的研究方向")
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.DECLINED
    assert introduction.responded_by == w.users["researcher"] and introduction.responded_at
    answer = Notification.objects.get(kind="introduction.answered")
    assert answer.recipient == w.users["enterprise"] and "不是我的研究方向" in answer.body
    assert mail.outbox[-1].to == [w.users["enterprise"].email]


@pytest.mark.parametrize("role", ["enterprise", "outsider_enterprise", "broker", "officer", "nobody"])
def test_only_the_expert_or_their_managers_answer(intro, role):
    introduction = _request(intro)
    with pytest.raises(PermissionDenied):
        introduction_accept(introduction=introduction, by=intro.world.users[role])
    with pytest.raises(PermissionDenied):
        introduction_decline(introduction=introduction, by=intro.world.users[role], reason="x")


def test_dean_of_the_college_may_answer(intro):
    introduction = introduction_accept(introduction=_request(intro), by=intro.world.users["dean"])
    assert introduction.status == IntroductionStatus.ACCEPTED


def test_accept_opens_a_cooperation_and_notifies_requester_and_broker(intro):
    from qiao.introductions.selectors import cooperations_for

    w = intro.world
    introduction = _request(intro, by=w.users["broker"], need=intro.open_need, message="请介绍")
    introduction_accept(introduction=introduction, by=w.users["researcher"], message="欢迎来实验室")
    assert introduction.status == IntroductionStatus.ACCEPTED
    recipients = set(Notification.objects.filter(kind="introduction.answered").values_list("recipient__username",
                                                                                            flat=True))
    assert recipients == {"broker"}  # the broker asked; the requested_by is the broker too
    from qiao.introductions.models import Introduction

    linked = [r for r in Introduction._meta.related_objects if r.related_model._meta.app_label == "cooperation"]
    if linked:  # the cooperation holds the link back to the introduction
        assert len(cooperations_for(introduction, w.users["researcher"])) == 1
        assert cooperations_for(introduction, w.users["outsider_enterprise"]) == []


def test_answer_only_once(intro):
    w = intro.world
    introduction = introduction_accept(introduction=_request(intro), by=w.users["researcher"])
    with pytest.raises(ValidationError):
        introduction_decline(introduction=introduction, by=w.users["researcher"], reason="changed my mind")
    with pytest.raises(ValidationError):
        introduction_withdraw(introduction=introduction, by=w.users["enterprise"])


@pytest.mark.parametrize("role", ["researcher", "outsider_enterprise", "dean"])
def test_only_the_asking_side_withdraws(intro, role):
    with pytest.raises(PermissionDenied):
        introduction_withdraw(introduction=_request(intro), by=intro.world.users[role])


def test_email_in_the_experts_language(intro, django_capture_on_commit_callbacks):
    expert = intro.world.users["researcher"]
    expert.preferred_language = "en"
    expert.save()
    with django_capture_on_commit_callbacks(execute=True):
        _request(intro)
    assert mail.outbox[0].subject.startswith("[Qiao] ")
    assert "asks to be introduced to you" in mail.outbox[0].subject
    enterprise = intro.world.users["enterprise"]
    enterprise.preferred_language = "zh-hans"
    enterprise.save()
    with django_capture_on_commit_callbacks(execute=True):
        introduction_decline(introduction=intro.world.researcher_person.introductions.get(), by=expert,
                             reason="busy")
    assert mail.outbox[1].subject.startswith("[桥] ")
    assert "拒绝" in mail.outbox[1].subject


def test_confidential_need_title_only_reaches_allowed_people(intro, django_capture_on_commit_callbacks):
    """After a whole round (request to a person with and without login, answers), the need's title appears
    only in notifications and emails of people who may see the need."""
    w = intro.world
    with django_capture_on_commit_callbacks(execute=True):
        a = _request(intro)
        b = _request(intro, target_person=w.other_person)
        introduction_accept(introduction=a, by=w.users["researcher"])
        introduction_decline(introduction=b, by=intro.other_manager, reason="没有合适的人")
    assert Notification.objects.count() >= 4
    for n in Notification.objects.select_related("recipient"):
        if SECRET_TITLE in n.title + n.body:
            assert can(n.recipient, VIEW, intro.secret_need), n.recipient
    by_email = {u.email: u for u in [*w.users.values(), intro.other_manager]}
    for m in mail.outbox:
        if SECRET_TITLE in m.subject + m.body:
            assert can(by_email[m.to[0]], VIEW, intro.secret_need)
    assert set(NeedGrant.objects.values_list("user__username", flat=True)) == {"researcher"}


def test_withdrawing_tells_the_expert(intro):
    introduction = _request(intro)
    introduction_withdraw(introduction=introduction, by=intro.world.users["enterprise"])
    withdrawn = Notification.objects.get(kind="introduction.withdrawn")
    assert withdrawn.recipient == intro.world.users["researcher"]


def test_accepting_does_not_leak_the_need_title_to_the_experts_colleagues(intro):
    """The cooperation opened on acceptance is seen by every member of the parties: it must not be named
    after a confidential need."""
    from qiao.cooperation.models import Cooperation
    from tests.accounts.factories import MembershipFactory, UserFactory

    w = intro.world
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organization=w.college, role="researcher")
    introduction_accept(introduction=_request(intro), by=w.users["researcher"])
    visible = restrict(Cooperation.objects.all(), colleague, VIEW)
    assert not can(colleague, VIEW, intro.secret_need)
    assert all(SECRET_TITLE not in c.title for c in visible)
