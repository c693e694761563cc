"""The cooperation demo: every stage, the two symposiums with action items, agreements, projects, a licence deal;
loading twice changes nothing."""

from qiao.cooperation.demo import load_cooperation
from qiao.cooperation.models import (
    ActionItem,
    Agreement,
    AuditEntry,
    Cooperation,
    CooperationEvent,
    DealPayment,
    Meeting,
    Milestone,
    Project,
    Stage,
    TransferDeal,
)
from qiao.demo.services import EXTRA_LOADERS, demo_load
from qiao.demo.world import build_world

MODELS = (Cooperation, Meeting, ActionItem, Agreement, Project, Milestone, TransferDeal, DealPayment,
          CooperationEvent, AuditEntry)


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_demo_cooperations(db):
    demo_world = build_world(2026)
    assert load_cooperation in EXTRA_LOADERS
    demo_load(world=demo_world)
    first = _counts()
    # every stage is on the board
    assert set(Cooperation.objects.values_list("stage", flat=True)) == set(Stage.values)
    # the world's two symposiums, with minutes and all their action items
    meetings = Meeting.objects.filter(external_id__in=[s.id for s in demo_world.symposiums])
    assert meetings.count() == 2 and all(m.minutes and m.cooperations.exists() for m in meetings)
    assert ActionItem.objects.count() == sum(len(s.action_items) for s in demo_world.symposiums)
    assert Project.objects.filter(milestones__isnull=False).exists()
    deal = TransferDeal.objects.get(external_id="demo:deal:denox")
    assert deal.kind == "licence" and deal.royalty_rate and deal.payments.filter(kind="royalty").exists()
    assert deal.achievement.is_transferred
    # idempotent
    demo_load(world=demo_world)
    assert _counts() == first
