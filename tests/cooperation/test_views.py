"""Pages per role: parties and brokers see the records, outsiders get 404 and empty lists, amounts are hidden
from brokers, and every page works as a plain form without JavaScript."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qiao.cooperation import services
from qiao.cooperation.models import Cooperation, Stage


def _urls(chain):
    return [
        reverse("cooperation:cooperation_detail", args=[chain.coop.pk]),
        reverse("cooperation:meeting_detail", args=[chain.meeting.pk]),
        reverse("cooperation:agreement_detail", args=[chain.agreement.pk]),
        reverse("cooperation:project_detail", args=[chain.project.pk]),
        reverse("cooperation:deal_detail", args=[chain.deal.pk]),
    ]


@pytest.mark.parametrize("role", ["admin", "enterprise", "researcher", "staff", "dean", "broker"])
def test_parties_and_brokers_see_every_page(world, chain, client, role):
    client.force_login(world.users[role])
    for url in _urls(chain):
        assert client.get(url).status_code == 200, url
    assert chain.coop.display_title in client.get(reverse("cooperation:board")).content.decode()


@pytest.mark.parametrize("role", ["outsider_enterprise", "officer", "nobody"])
def test_outsiders_get_404_and_empty_lists(world, chain, client, role):
    client.force_login(world.users[role])
    for url in _urls(chain):
        assert client.get(url).status_code == 404, url
    for name in ("board", "meeting_list"):
        assert chain.coop.title_en not in client.get(reverse(f"cooperation:{name}")).content.decode()
    assert chain.meeting.title not in client.get(reverse("cooperation:meeting_list")).content.decode()
    page = client.get(reverse("cooperation:action_item_list") + "?scope=all").content.decode()
    assert chain.item.title not in page


def test_anonymous_is_sent_to_login(chain, client):
    assert client.get(reverse("cooperation:board")).status_code == 302


@pytest.mark.parametrize(("role", "sees_amounts"), [("enterprise", True), ("researcher", True), ("broker", False),
                                                     ("admin", True)])
def test_confidential_terms_only_for_parties(world, chain, client, role, sees_amounts):
    client.force_login(world.users[role])
    agreement = client.get(reverse("cooperation:agreement_detail", args=[chain.agreement.pk])).content.decode()
    deal = client.get(reverse("cooperation:deal_detail", args=[chain.deal.pk])).content.decode()
    project = client.get(reverse("cooperation:project_detail", args=[chain.project.pk])).content.decode()
    coop = client.get(reverse("cooperation:cooperation_detail", args=[chain.coop.pk])).content.decode()
    assert ("1200000" in agreement) == sees_amounts
    assert ("3.5" in deal) == sees_amounts
    assert ("300000" in project) == sees_amounts
    assert ("1200000" in coop) == sees_amounts  # audit trail masks amounts too


def test_officer_sees_shared_cooperation_without_amounts(world, chain, client):
    world.agency.parent = world.zone
    world.agency.save()
    services.cooperation_update(cooperation=chain.coop, by=world.users["broker"], shared_with_government=True)
    client.force_login(world.users["officer"])
    page = client.get(reverse("cooperation:agreement_detail", args=[chain.agreement.pk]))
    assert page.status_code == 200 and "1200000" not in page.content.decode()
    # read-only
    assert client.get(reverse("cooperation:cooperation_edit", args=[chain.coop.pk])).status_code == 403
    board = client.get(reverse("cooperation:board")).content.decode()
    assert "Cooperations in your zone" in board


def test_broker_creates_a_cooperation(world, client):
    client.force_login(world.users["broker"])
    response = client.post(reverse("cooperation:cooperation_create"), {
        "title": "联合实验室", "parties": [world.enterprise.pk, world.university.pk]})
    coop = Cooperation.objects.get(title="联合实验室")
    assert response.status_code == 302 and response["Location"] == coop.get_absolute_url()
    assert coop.owner == world.users["broker"]


def test_stage_moves_by_plain_post(world, coop, client):
    client.force_login(world.users["broker"])
    response = client.post(reverse("cooperation:cooperation_stage", args=[coop.pk]),
                           {"stage": Stage.NEGOTIATING, "next": reverse("cooperation:board")})
    assert response.status_code == 302 and response["Location"] == reverse("cooperation:board")
    coop.refresh_from_db()
    assert coop.stage == Stage.NEGOTIATING
    client.force_login(world.users["outsider_enterprise"])
    assert client.post(reverse("cooperation:cooperation_stage", args=[coop.pk]),
                       {"stage": Stage.CLOSED}).status_code == 404


def test_meeting_and_action_item_forms(world, coop, client):
    client.force_login(world.users["broker"])
    response = client.post(reverse("cooperation:cooperation_meeting_create", args=[coop.pk]), {
        "kind": "symposium", "title": "座谈会", "starts_at": "2026-11-20T09:00", "cooperations": [coop.pk],
        "minutes": "纪要"})
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = coop.meetings.get()
    response = client.post(reverse("cooperation:action_item_create", args=[meeting.pk]), {
        "title": "提交方案", "owner_user": world.users["researcher"].pk, "due": "2026-12-01", "status": "open"})
    assert response.status_code == 302, response.content.decode()
    item = meeting.action_items.get()
    client.force_login(world.users["researcher"])
    mine = client.get(reverse("cooperation:action_item_list")).content.decode()
    assert "提交方案" in mine
    client.post(reverse("cooperation:action_item_status", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.completed_at


def test_document_download_is_permission_checked(world, chain, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.users["broker"])
    response = client.post(reverse("cooperation:document_upload", args=[chain.agreement.pk]),
                           {"file": SimpleUploadedFile("contract.pdf", b"%PDF-1.4 signed")})
    assert response.status_code == 302
    doc = chain.agreement.documents.get()
    url = reverse("cooperation:document_download", args=[doc.pk])
    # the broker may upload but, like everyone but the parties, not read signed documents
    assert client.get(url).status_code == 404
    client.force_login(world.users["enterprise"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.users["outsider_enterprise"])
    assert client.get(url).status_code == 404


def test_both_sides_rate_then_close(world, chain, client):
    client.force_login(world.users["researcher"])
    client.post(reverse("cooperation:project_evaluate", args=[chain.project.pk]),
                {"organization": world.university.pk, "rating": 4, "comment": "合作顺利"})
    assert services.evaluations_complete(chain.project)
    page = client.get(reverse("cooperation:project_detail", args=[chain.project.pk])).content.decode()
    assert "合作顺利" in page


def test_milestone_and_payment_forms(world, chain, client):
    client.force_login(world.users["enterprise"])
    response = client.post(reverse("cooperation:milestone_create", args=[chain.project.pk]), {
        "kind": "deliverable", "title": "中试报告", "due": "2027-01-31", "status": "planned"})
    assert response.status_code == 302
    response = client.post(reverse("cooperation:payment_edit", args=[chain.payment.pk]), {
        "kind": "lump_sum", "expected_on": "2026-12-01", "expected_amount": "200000", "received_on": "2026-12-02",
        "received_amount": "200000"})
    assert response.status_code == 302
    chain.payment.refresh_from_db()
    assert chain.payment.received_on == date(2026, 12, 2)


def test_list_pages_have_bounded_queries(world, chain, client, django_assert_max_num_queries):
    for i in range(8):
        coop = services.cooperation_create(by=world.users["broker"], title=f"合作{i}",
                                           parties=[world.enterprise, world.university])
        services.action_item_create(by=world.users["broker"], cooperation=coop, title=f"事项{i}",
                                    owner_user=world.users["broker"], due=date(2026, 12, 1))
    client.force_login(world.users["broker"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("cooperation:board")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("cooperation:action_item_list") + "?scope=all").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("cooperation:meeting_list")).status_code == 200
