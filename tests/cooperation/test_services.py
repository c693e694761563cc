"""Services: lifecycle, timeline, notifications, documents, deals."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qiao.cooperation import services
from qiao.cooperation.models import CooperationEvent, DealStatus, Stage


def test_cooperation_create_sets_owner_centre_and_zones(world, coop):
    # given a broker creating a cooperation between the enterprise (in the zone) and the university
    # then the broker owns it, their centre follows it and the enterprise's zone is derived
    assert coop.owner == world.users["broker"]
    assert coop.centre == world.centre
    assert list(coop.zones.all()) == [world.zone]
    assert coop.events.filter(kind="created").exists()


def test_stage_change_is_recorded_and_notified(world, coop):
    with mock.patch.object(services, "notify_users") as notify:
        services.cooperation_change_stage(cooperation=coop, stage=Stage.NEGOTIATING, by=world.users["enterprise"])
    coop.refresh_from_db()
    assert coop.stage == Stage.NEGOTIATING
    assert coop.events.filter(kind="stage").exists()
    assert notify.call_args.kwargs["kind"] == "cooperation.stage_changed"
    assert world.users["broker"] in notify.call_args.kwargs["recipients"]


def test_stopping_needs_a_reason(world, coop):
    with pytest.raises(ValidationError):
        services.cooperation_change_stage(cooperation=coop, stage=Stage.STOPPED, by=world.users["broker"])
    services.cooperation_change_stage(cooperation=coop, stage=Stage.STOPPED, by=world.users["broker"],
                                      reason="预算取消")
    coop.refresh_from_db()
    assert coop.stop_reason == "预算取消"


def test_new_action_item_notifies_its_owner(world, coop):
    with mock.patch.object(services, "notify_users") as notify:
        item = services.action_item_create(by=world.users["broker"], cooperation=coop, title="提供数据",
                                           owner_person=world.researcher_person, due=date(2026, 12, 1))
    assert notify.call_args.kwargs["kind"] == "action_item.assigned"
    assert notify.call_args.kwargs["recipients"] == [world.users["researcher"]]
    assert item in coop.action_items.all()


def test_timeline_collects_every_record_newest_first(chain):
    kinds = list(chain.coop.events.values_list("kind", flat=True))
    assert {"created", "meeting", "action_item", "agreement", "project", "milestone", "funding", "deal",
            "evaluation"} <= set(kinds)
    ats = list(CooperationEvent.objects.filter(cooperation=chain.coop).values_list("at", flat=True))
    assert ats == sorted(ats, reverse=True)


def test_signed_deal_marks_the_achievement_transferred(world, chain):
    assert not chain.achievement.is_transferred
    services.deal_update(deal=chain.deal, by=world.users["broker"], status=DealStatus.SIGNED,
                         signed_on=date(2026, 11, 1))
    chain.achievement.refresh_from_db()
    assert chain.achievement.is_transferred


def test_payment_received_and_overdue(world, chain, frozen_clock):
    with frozen_clock(2026, 12, 5):
        assert chain.payment.is_overdue
        services.payment_update(payment=chain.payment, by=world.users["enterprise"], received_on=date(2026, 12, 4),
                                received_amount=Decimal("200000"))
        assert chain.payment.is_received and not chain.payment.is_overdue
    with pytest.raises(ValidationError):
        services.payment_update(payment=chain.payment, by=world.users["enterprise"], received_amount=None)


@pytest.mark.parametrize(("name", "content", "ok"), [
    ("signed.pdf", b"%PDF-1.4 test", True),
    ("scan.png", b"\x89PNG\r\n\x1a\n....", True),
    ("contract.docx", b"PK\x03\x04....", True),
    ("evil.exe", b"MZ....", False),
    ("fake.pdf", b"<html>", False),
])
def test_document_upload_types_are_validated(world, chain, settings, tmp_path, name, content, ok):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile(name, content)
    if ok:
        doc = services.agreement_document_add(agreement=chain.agreement, file=upload, by=world.users["broker"])
        assert doc.file.storage.exists(doc.file.name)
        assert str(tmp_path) in doc.file.path and "media" not in doc.file.path.split(str(tmp_path))[1]
        with pytest.raises(ValueError):
            doc.file.url  # noqa: B018 - private files have no public URL
    else:
        with pytest.raises(ValidationError):
            services.agreement_document_add(agreement=chain.agreement, file=upload, by=world.users["broker"])


def test_document_size_is_limited(world, chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 10)
    upload.size = 21 * 1024 * 1024
    with pytest.raises(ValidationError):
        services.agreement_document_add(agreement=chain.agreement, file=upload, by=world.users["broker"])


def test_only_a_party_rates_for_its_side(world, chain):
    services.project_evaluate(project=chain.project, organization=world.university, rating=4, comment="顺利",
                              by=world.users["researcher"])
    assert services.evaluations_complete(chain.project)
    with pytest.raises(PermissionDenied):
        services.project_evaluate(project=chain.project, organization=world.university, rating=1,
                                  by=world.users["enterprise"])
    with pytest.raises(ValidationError):
        services.project_evaluate(project=chain.project, organization=world.other_enterprise, rating=1,
                                  by=world.users["outsider_enterprise"])


def test_accepting_an_introduction_opens_a_cooperation(world):
    from qiao.introductions.services import introduction_accept, introduction_request

    # given an enterprise asking to be introduced to the researcher
    intro = introduction_request(by=world.users["enterprise"], target_person=world.researcher_person,
                                 message="请介绍高盐废水方向的专家")
    # when the researcher accepts
    introduction_accept(introduction=intro, by=world.users["researcher"])
    # then a cooperation links the enterprise and the researcher's college, pointing back to the introduction
    coop = intro.cooperations.get()
    assert set(coop.parties.all()) == {world.enterprise, world.college}
    assert world.researcher_person in coop.people.all()
    assert services.cooperation_create_from_introduction(introduction=intro, by=world.users["broker"]) == coop
