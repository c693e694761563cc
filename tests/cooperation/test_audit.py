"""The audit trail: every tracked field change records who, when, before and after — and masks amounts."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qiao.catalog.models import Need
from qiao.cooperation import services
from qiao.cooperation.models import TRACKED_FIELDS, AuditEntry


def _changes(world, chain):
    """A new value for every tracked field of every audited model."""
    w = world
    need = Need.objects.create(owner=w.enterprise, title="脱硝催化剂", description="宽温域")
    return {
        "coop": (chain.coop, services.cooperation_update, "cooperation", {
            "title": "新标题", "title_en": "New title", "summary": "新摘要", "owner": w.users["admin"],
            "centre": None, "parties": [w.enterprise], "people": [w.other_person], "needs": [need],
            "achievements": [], "shared_with_government": True,
            "stop_reason": "暂停"}),
        "meeting": (chain.meeting, services.meeting_update, "meeting", {
            "kind": "visit", "title": "走访", "title_en": "Visit", "place": "工厂", "place_en": "Plant",
            "starts_at": timezone.make_aware(datetime(2026, 9, 19, 14)),
            "ends_at": timezone.make_aware(datetime(2026, 9, 19, 16)), "online_url": "https://meet.example/x",
            "organizer": w.university, "cooperations": [], "participants": [w.other_person],
            "participant_organizations": [w.college], "external_participants": "赵, 某公司", "agenda": "新议程",
            "minutes": "新纪要", "minutes_en": "New minutes", "decisions": "新决定"}),
        "item": (chain.item, services.action_item_update, "item", {
            "title": "新事项", "title_en": "New item", "owner_user": w.users["staff"], "owner_person": w.other_person,
            "owner_organization": w.university, "due": date(2026, 12, 24), "status": "in_progress"}),
        "agreement": (chain.agreement, services.agreement_update, "agreement", {
            "kind": "licence", "title": "许可合同", "parties": [w.enterprise], "status": "terminated",
            "value": Decimal("99"), "currency": "USD", "signed_on": date(2026, 10, 2), "starts_on": date(2026, 10, 2),
            "ends_on": date(2027, 10, 1), "remind_days_before": 30, "terms": "新条款"}),
        "project": (chain.project, services.project_update, "project", {
            "title": "新项目", "description": "描述", "leader": w.researcher_person, "status": "completed",
            "starts_on": date(2026, 10, 2), "ends_on": date(2027, 3, 1), "patents_filed": 2, "products": 1,
            "standards": 1, "revenue": Decimal("50000"), "people_trained": 12, "outcome_note": "成果"}),
        "milestone": (chain.milestone, services.milestone_update, "milestone", {
            "kind": "deliverable", "title": "报告", "due": date(2027, 1, 15), "status": "done",
            "completed_on": date(2027, 1, 10)}),
        "deal": (chain.deal, services.deal_update, "deal", {
            "kind": "assignment", "licence_scope": "", "terms": "转让条款", "status": "signed",
            "signed_on": date(2026, 11, 1), "total_value": Decimal("600000"), "currency": "HKD",
            "royalty_rate": Decimal("4.25"), "royalty_base": "销售收入", "licensee": w.university,
            "agreement": chain.agreement}),
        "payment": (chain.payment, services.payment_update, "payment", {
            "kind": "milestone", "description": "首付款", "expected_on": date(2026, 12, 15),
            "expected_amount": Decimal("210000"), "received_on": date(2026, 12, 16),
            "received_amount": Decimal("210000")}),
        "funding": (chain.funding, services.funding_update, "receipt", {
            "amount": Decimal("310000"), "currency": "EUR", "received_on": date(2026, 10, 16), "note": "第一笔"}),
    }


@pytest.mark.parametrize("record", ["coop", "meeting", "item", "agreement", "project", "milestone", "deal",
                                    "payment", "funding"])
def test_every_tracked_field_change_shows_before_and_after(world, chain, record):
    obj, update, arg, values = _changes(world, chain)[record]
    assert set(values) == set(TRACKED_FIELDS[type(obj)]) - ({"stage"} if record == "coop" else set())
    before = services.snapshot(obj)
    # when every tracked field changes
    update(**{arg: obj, "by": world.users["admin"], **values})
    # then there is one entry per field, with who, before and after
    entries = {e.field: e for e in AuditEntry.objects.filter(model=obj._meta.model_name, object_id=obj.pk,
                                                             action="change")}
    after = services.snapshot(type(obj).objects.get(pk=obj.pk))
    for name in values:
        assert name in entries, f"{record}.{name} not audited"
        entry = entries[name]
        assert (entry.before, entry.after) == (before[name], after[name])
        assert entry.before != entry.after and entry.by == world.users["admin"] and entry.at


def test_stage_change_is_audited(world, coop):
    services.cooperation_change_stage(cooperation=coop, stage="negotiating", by=world.users["broker"])
    entry = AuditEntry.objects.get(model="cooperation", object_id=coop.pk, field="stage")
    assert (entry.before, entry.after) == ("Exploring", "Negotiating")


def test_audit_shown_on_record_pages_with_amounts_masked_for_brokers(world, chain, client):
    services.agreement_update(agreement=chain.agreement, by=world.users["enterprise"], value=Decimal("1300000"),
                              title="联合研发合同（修订）")
    url = reverse("cooperation:agreement_detail", args=[chain.agreement.pk])
    client.force_login(world.users["enterprise"])
    page = client.get(url).content.decode()
    assert "1200000" in page and "1300000" in page and "联合研发合同（修订）" in page
    client.force_login(world.users["broker"])
    page = client.get(url).content.decode()
    assert "1300000" not in page and "联合研发合同（修订）" in page and "•••" in page
