"""Fixtures: a cooperation between the enterprise and the researcher's university, brokered by ``broker``."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from qiao.catalog.models import Achievement, AchievementKind
from qiao.cooperation import services
from qiao.cooperation.models import AgreementKind, AgreementStatus, DealKind, DealStatus, PaymentKind


@dataclass
class Chain:
    coop: Any
    meeting: Any
    item: Any
    agreement: Any
    project: Any
    milestone: Any
    funding: Any
    deal: Any
    payment: Any
    achievement: Any
    evaluation: Any


@pytest.fixture
def coop(world):
    return services.cooperation_create(
        by=world.users["broker"], title="高盐废水联合攻关", title_en="Zero liquid discharge",
        parties=[world.enterprise, world.university], people=[world.researcher_person])


@pytest.fixture
def chain(world, coop) -> Chain:
    broker = world.users["broker"]
    meeting = services.meeting_create(
        by=broker, cooperations=[coop], title="校企座谈会", starts_at=timezone.make_aware(datetime(2026, 9, 18, 9)),
        place="研究院三楼", organizer=world.centre, participants=[world.researcher_person],
        participant_organizations=[world.enterprise, world.university], agenda="介绍\n交流", minutes="会议纪要",
        decisions="建立对接机制", external_participants="王外宾, 外部咨询公司")
    item = services.action_item_create(by=broker, meeting=meeting, title="提交联合攻关方案",
                                       owner_user=world.users["researcher"], due=date(2026, 10, 31))
    agreement = services.agreement_create(
        by=broker, cooperation=coop, kind=AgreementKind.JOINT_RND, title="联合研发合同", status=AgreementStatus.SIGNED,
        value=Decimal("1200000"), signed_on=date(2026, 10, 1), starts_on=date(2026, 10, 1), ends_on=date(2027, 9, 30),
        terms="保密条款")
    project = services.project_create(by=broker, agreement=agreement, title="零排放中试", status="active",
                                      starts_on=date(2026, 10, 1))
    milestone = services.milestone_create(by=broker, project=project, title="中试装置调试", due=date(2026, 12, 31))
    funding = services.funding_add(by=world.users["enterprise"], project=project, amount=Decimal("300000"),
                                   received_on=date(2026, 10, 15))
    achievement = Achievement.objects.create(
        kind=AchievementKind.INVENTION_PATENT, title="抗污染复合膜", description="专利", owner=world.researcher_person,
        organization=world.college)
    deal = services.deal_create(by=broker, cooperation=coop, achievement=achievement, kind=DealKind.LICENCE,
                                licence_scope="exclusive", status=DealStatus.NEGOTIATING,
                                royalty_rate=Decimal("3.5"), royalty_base="净销售额", total_value=Decimal("500000"),
                                licensee=world.enterprise)
    payment = services.payment_create(by=broker, deal=deal, kind=PaymentKind.LUMP_SUM,
                                      expected_on=date(2026, 12, 1), expected_amount=Decimal("200000"))
    evaluation = services.project_evaluate(project=project, organization=world.enterprise, rating=5, comment="好",
                                           by=world.users["enterprise"])
    return Chain(coop, meeting, item, agreement, project, milestone, funding, deal, payment, achievement, evaluation)


class FrozenClock:
    """Patch ``django.utils.timezone.now`` (and so ``localdate``) to a fixed moment that tests can move."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self._patch = mock.patch("django.utils.timezone.now", side_effect=lambda: self.moment)

    def __enter__(self) -> "FrozenClock":
        self._patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._patch.stop()

    def move_to(self, moment: datetime) -> None:
        self.moment = moment


@pytest.fixture
def frozen_clock():
    def _freeze(year: int, month: int, day: int, hour: int = 8) -> FrozenClock:
        return FrozenClock(timezone.make_aware(datetime(year, month, day, hour)))

    return _freeze
