import pytest
from django.core import mail
from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from qiao.notifications.models import Notification
from qiao.notifications.services import lazy_message, notification_settings_update, notify
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def test_notify_stores_in_app_and_emails_on_commit(django_capture_on_commit_callbacks):
    # given
    user = UserFactory(preferred_language="en")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[user], kind="action_item.assigned",
                         title=_("An action item was assigned to you"), body="Call the lab", url="/x/")
    # then
    assert len(created) == 1
    n = Notification.objects.get(recipient=user)
    assert n.title == "An action item was assigned to you" and n.read_at is None and n.shown
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "An action item was assigned to you" in mail.outbox[0].subject
    assert "Call the lab" in mail.outbox[0].body
    assert f"/notifications/{created[0].pk}/open/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.emailed_at is not None and not n.email_pending


@pytest.mark.parametrize(("language", "expected"), [("en", "[Qiao] An action item was assigned to you"),
                                                    ("zh-hans", "[桥] 有一项待办事项分配给您")])
def test_email_is_in_the_recipients_language(django_capture_on_commit_callbacks, language, expected):
    user = UserFactory(preferred_language=language)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="action_item.assigned", title=_("An action item was assigned to you"))
    assert mail.outbox[0].subject == expected
    assert Notification.objects.get(recipient=user).title == expected.split("] ", 1)[1]


def test_lazy_message_renders_per_recipient(django_capture_on_commit_callbacks):
    en, zh = UserFactory(preferred_language="en"), UserFactory(preferred_language="zh-hans")
    title = lazy_message(_("%(kind)s: %(what)s"), kind=_("An agreement is about to expire"), what="ABC")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[en, zh], kind="agreement.expiring", title=title)
    assert Notification.objects.get(recipient=en).title == "An agreement is about to expire: ABC"
    assert Notification.objects.get(recipient=zh).title == "协议即将到期: ABC"


def test_email_off_means_no_email(django_capture_on_commit_callbacks):
    user = UserFactory()
    notification_settings_update(user=user, preferences={"action_item.due": {"email": False}})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="action_item.due", title="Due")
    assert Notification.objects.filter(recipient=user, shown=True).count() == 1
    assert mail.outbox == []


def test_in_app_off_but_email_on(django_capture_on_commit_callbacks):
    user = UserFactory()
    notification_settings_update(user=user, preferences={"action_item.due": {"in_app": False}})
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="action_item.due", title="Due")
    assert not Notification.objects.filter(recipient=user, shown=True).exists()
    assert len(mail.outbox) == 1


def test_both_off_stores_nothing():
    user = UserFactory()
    notification_settings_update(user=user, preferences={"action_item.due": {"in_app": False, "email": False}})
    assert notify(recipients=[user], kind="action_item.due", title="Due") == []


def test_actor_duplicates_and_inactive_are_skipped():
    actor, user, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    created = notify(recipients=[actor, user, user, gone, None], kind="action_item.due", title="Due", actor=actor)
    assert [n.recipient for n in created] == [user]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipients=[UserFactory()], kind="nope.never", title="x")


def test_daily_digest_collects_and_sends_once(django_capture_on_commit_callbacks):
    # given a user who chose the digest
    user = UserFactory(preferred_language="zh-hans")
    notification_settings_update(user=user, digest="daily")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="action_item.due", title="First")
        notify(recipients=[user], kind="action_item.overdue", title="Second")
    assert mail.outbox == []
    # when
    call_command("send_digests")
    # then
    assert len(mail.outbox) == 1
    assert "每日摘要" in mail.outbox[0].subject
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert not Notification.objects.filter(recipient=user, email_pending=True).exists()
    call_command("send_digests")
    assert len(mail.outbox) == 1


def test_notify_drops_recipients_who_may_not_view_the_object(world):
    # an Organization has a policy; a notification about it goes only to those who may see it
    from qiao.core.permissions import can

    org = world.enterprise
    users = list(world.users.values())
    created = notify(recipients=users, kind="action_item.due", title="x", obj=org)
    assert {n.recipient for n in created} == {u for u in users if can(u, "view", org)}
