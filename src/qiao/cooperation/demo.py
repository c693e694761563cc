"""The cooperation part of the demo world: cooperations in every stage, the two symposiums of
``world.symposiums`` with minutes and action items, agreements, projects with milestones, and a licence deal with
royalties. ``load_cooperation(world, progress)`` is appended to ``qiao.demo.services.EXTRA_LOADERS``; it is
idempotent (rows are found by ``external_id`` and only created when missing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .models import (
    ActionItem,
    Agreement,
    Cooperation,
    Meeting,
    ProjectEvaluation,
    Stage,
    TransferDeal,
)


@dataclass(frozen=True)
class CoopSpec:
    key: str
    title: str
    title_en: str
    parties: tuple[str, ...]
    owner: str  # username of the broker
    centre: str
    stage: str
    summary: str
    people: tuple[str, ...] = ()
    stop_reason: str = ""
    shared: bool = False


def register() -> None:
    from qiao.demo.services import EXTRA_LOADERS

    if load_cooperation not in EXTRA_LOADERS:
        EXTRA_LOADERS.append(load_cooperation)


def _aware(day: date, at: time = time(9, 0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _specs(world: Any) -> list[CoopSpec]:
    k = world.keys
    login_person = {lg.username: lg.person for lg in world.logins if lg.person}
    note = "（虚构，仅用于演示）"
    return [
        CoopSpec("demo:coop:zld", "高盐废水零排放联合攻关", "Joint work on zero liquid discharge of high-salinity wastewater",
                 (k["little_giant"], k["academy"]), "broker2", k["talent_centre"], Stage.IN_PROGRESS,
                 "座谈会后，研究院与企业围绕纳滤-反渗透分盐工艺开展联合攻关与中试。" + note,
                 (login_person.get("researcher", ""), login_person.get("enterprise", "")), shared=True),
        CoopSpec("demo:coop:industry-college", "智能制造产业学院共建", "Intelligent Manufacturing Industry College",
                 (k["zone_enterprise"], k["applied_university"], k["dean_college"]), "broker", k["innovation_centre"],
                 Stage.AGREED, "校企共建产业学院，联合培养机器人工程与智能制造工程专业学生。" + note,
                 (login_person.get("dean", ""), login_person.get("enterprise2", "")), shared=True),
        CoopSpec("demo:coop:vision-lab", "机器视觉检测联合实验室", "Joint machine-vision inspection laboratory",
                 (k["zone_enterprise"], "org:yunxiu-ei"), "broker", k["innovation_centre"], Stage.NEGOTIATING,
                 "围绕表面缺陷小样本检测共建联合实验室，正在商谈场地与经费分担。" + note,
                 (login_person.get("enterprise2", ""),)),
        CoopSpec("demo:coop:flexible-assembly", "柔性装配工艺咨询", "Consulting on flexible assembly",
                 ("org:zone-ent-01", "org:yunxiu-im"), "broker", k["innovation_centre"], Stage.EXPLORING,
                 "企业提出精密零部件装配一致性问题，科创中心正在组织专家初步交流。" + note),
        CoopSpec("demo:coop:denox", "宽温域脱硝催化剂中试与许可", "Pilot and licence of a wide-temperature DeNOx catalyst",
                 ("org:coastal-ent-01", "org:donglan-env"), "broker2", k["talent_centre"], Stage.DELIVERED,
                 "技术咨询项目已交付中试报告，催化剂专利以普通许可方式许可企业实施。" + note),
        CoopSpec("demo:coop:testing", "检测设备共享服务", "Shared testing equipment service",
                 ("org:zone-ent-02", k["applied_university"]), "broker", k["innovation_centre"], Stage.CLOSED,
                 "高校向企业开放三坐标测量与材料检测设备，服务期满，双方已完成评价。" + note),
        CoopSpec("demo:coop:coating", "海洋防腐涂层联合开发", "Joint development of marine anti-corrosion coatings",
                 ("org:coastal-ent-02", k["academy"]), "broker2", k["talent_centre"], Stage.STOPPED,
                 "双方曾就海洋防腐涂层开展技术交流。" + note, stop_reason="企业战略调整，项目暂缓。" + note),
    ]


def load_cooperation(world: Any, progress: Any) -> None:
    from qiao.demo.services import demo_index

    from . import services

    index = demo_index(world)
    orgs, people, users = index.organizations, index.people, index.users
    specs = _specs(world)
    total = len(specs) + len(world.symposiums) + 1
    coops: dict[str, Cooperation] = {}
    for i, spec in enumerate(specs):
        progress("cooperation", i, total)
        existing = Cooperation.objects.filter(external_id=spec.key).first()
        if existing is not None:
            coops[spec.key] = existing
            continue
        parties = [orgs[key] for key in spec.parties if key in orgs]
        if len(parties) < 2:
            continue
        coop = services.cooperation_create(
            by=users.get(spec.owner), title=spec.title, title_en=spec.title_en, summary=spec.summary, parties=parties,
            owner=users.get(spec.owner), centre=orgs.get(spec.centre),
            people=[people[key] for key in spec.people if key in people], stage=spec.stage,
            shared_with_government=spec.shared, stop_reason=spec.stop_reason, external_id=spec.key,
            is_fictional=True)
        coops[spec.key] = coop

    _load_symposiums(world, index, coops, progress, len(specs))
    progress("cooperation", total - 1, total)
    _load_agreements(world, index, coops)
    progress("cooperation", total, total)


def _load_symposiums(world: Any, index: Any, coops: dict[str, Cooperation], progress: Any, offset: int) -> None:
    from qiao.catalog.models import Need

    from . import services

    orgs, people = index.organizations, index.people
    covers = {"coastal": ["demo:coop:zld", "demo:coop:coating"],
              "zone": ["demo:coop:industry-college", "demo:coop:vision-lab"]}
    for i, spec in enumerate(world.symposiums):
        progress("cooperation", offset + i, offset + len(world.symposiums) + 1)
        meeting = Meeting.objects.filter(external_id=spec.id).first()
        if meeting is None:
            organizer = orgs.get(spec.organizer)
            creator = next((p.user for key in spec.participants if (p := people.get(key)) and p.user_id
                            and p.organization_id == (organizer.pk if organizer else None)), None)
            meeting = services.meeting_create(
                by=creator, kind="symposium", title=spec.title, title_en=spec.title_en,
                starts_at=_aware(spec.date), ends_at=_aware(spec.date, time(11, 30)), place=spec.place,
                place_en=spec.place_en, organizer=organizer,
                cooperations=[coops[key] for key in covers.get(spec.scenario, []) if key in coops],
                participants=[people[key] for key in spec.participants if key in people],
                participant_organizations=[orgs[key] for key in spec.organizations if key in orgs],
                agenda="\n".join(zh for zh, _en in spec.agenda), minutes=spec.minutes, minutes_en=spec.minutes_en,
                decisions="\n".join(zh for zh, _en in spec.decisions), external_id=spec.id, is_fictional=True)
        for coop_key in covers.get(spec.scenario, []):
            coop = coops.get(coop_key)
            if coop is not None and spec.related_needs:
                needs = Need.objects.filter(external_id__in=spec.related_needs, owner__in=coop.parties.all())
                if needs and not coop.needs.exists():
                    coop.needs.add(*needs)
        for item in spec.action_items:
            if ActionItem.objects.filter(external_id=item.id).exists():
                continue
            person = people.get(item.owner)
            created = services.action_item_create(
                by=None, meeting=meeting, title=item.title, title_en=item.title_en, owner_person=person,
                owner_user=person.user if person and person.user_id else None,
                owner_organization=orgs.get(item.owner_organization), due=item.due, status=item.status,
                external_id=item.id)
            if item.status == "done":
                ActionItem.objects.filter(pk=created.pk).update(completed_at=_aware(item.due))


def _load_agreements(world: Any, index: Any, coops: dict[str, Cooperation]) -> None:
    from qiao.catalog.models import Achievement

    from . import services

    users = index.users
    zld = coops.get("demo:coop:zld")
    if zld is not None and not Agreement.objects.filter(external_id="demo:agreement:zld").exists():
        agreement = services.agreement_create(
            by=users.get("broker2"), cooperation=zld, kind="joint_rnd", title="高盐废水零排放技术联合研发合同",
            status="signed", value=Decimal("1200000"), signed_on=date(2026, 10, 10), starts_on=date(2026, 10, 15),
            ends_on=date(2027, 10, 14), terms="研发经费分两期支付；知识产权双方共有；企业享有优先实施权。（虚构）",
            external_id="demo:agreement:zld")
        project = services.project_create(
            by=users.get("broker2"), agreement=agreement, title="纳滤-反渗透分盐中试", status="active",
            starts_on=date(2026, 10, 15), ends_on=date(2027, 9, 30), description="在企业现场建设 5 m³/h 中试装置。（虚构）",
            leader=next(iter(zld.people.all()), None), external_id="demo:project:zld")
        for title, due, status in [("中试方案评审", date(2026, 10, 28), "done"),
                                   ("中试装置安装调试", date(2026, 12, 31), "in_progress"),
                                   ("连续运行 1000 小时报告", date(2027, 5, 31), "planned")]:
            milestone = services.milestone_create(by=None, project=project, title=title, due=due, status=status)
            if status == "done":
                type(milestone).objects.filter(pk=milestone.pk).update(completed_on=due)
        services.funding_add(by=users.get("enterprise"), project=project, amount=Decimal("600000"),
                             received_on=date(2026, 10, 20), note="第一期研发经费")

    college = coops.get("demo:coop:industry-college")
    if college is not None and not Agreement.objects.filter(external_id="demo:agreement:college").exists():
        services.agreement_create(
            by=users.get("broker"), cooperation=college, kind="framework", title="智能制造产业学院共建框架协议",
            status="signed", signed_on=date(2026, 10, 30), starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 20),
            value=Decimal("3000000"), remind_days_before=60, terms="企业每年投入设备与经费；学校提供场地与师资。（虚构）",
            external_id="demo:agreement:college")

    denox = coops.get("demo:coop:denox")
    if denox is not None and not Agreement.objects.filter(external_id="demo:agreement:denox").exists():
        agreement = services.agreement_create(
            by=users.get("broker2"), cooperation=denox, kind="licence", title="宽温域脱硝催化剂专利实施许可合同",
            status="signed", value=Decimal("800000"), signed_on=date(2026, 6, 1), starts_on=date(2026, 6, 1),
            ends_on=date(2031, 5, 31), external_id="demo:agreement:denox")
        project = services.project_create(
            by=users.get("broker2"), agreement=agreement, title="催化剂中试与工艺包交付", status="completed",
            starts_on=date(2026, 6, 1), ends_on=date(2026, 10, 15), patents_filed=1, products=1, standards=0,
            revenue=Decimal("2500000"), people_trained=8, external_id="demo:project:denox")
        services.milestone_create(by=None, project=project, kind="deliverable", title="中试报告",
                                  due=date(2026, 9, 30), status="done", completed_on=date(2026, 9, 26))
        achievement = (Achievement.objects.filter(organization__in=denox.parties.all(), is_fictional=True)
                       .order_by("external_id").first()
                       or Achievement.objects.filter(is_fictional=True, kind="invention_patent")
                       .order_by("external_id").first())
        licensee = denox.parties.filter(kind="enterprise").first()
        if achievement is not None and not TransferDeal.objects.filter(external_id="demo:deal:denox").exists():
            deal = services.deal_create(
                by=users.get("broker2"), cooperation=denox, achievement=achievement, agreement=agreement,
                licensee=licensee, kind="licence", licence_scope="non_exclusive", status="signed",
                signed_on=date(2026, 6, 1), total_value=Decimal("800000"), royalty_rate=Decimal("3.5"),
                royalty_base="许可产品年度净销售额", terms="入门费 30 万元；按净销售额 3.5% 提成，按年结算。（虚构）",
                external_id="demo:deal:denox")
            for kind, description, expected_on, amount, received in [
                ("lump_sum", "入门费", date(2026, 6, 30), Decimal("300000"), date(2026, 6, 28)),
                ("milestone", "中试验收款", date(2026, 10, 15), Decimal("200000"), None),
                ("royalty", "2026 年度提成", date(2027, 3, 31), Decimal("300000"), None),
            ]:
                services.payment_create(by=None, deal=deal, kind=kind, description=description,
                                        expected_on=expected_on, expected_amount=amount, received_on=received,
                                        received_amount=amount if received else None)

    testing = coops.get("demo:coop:testing")
    if testing is not None and not Agreement.objects.filter(external_id="demo:agreement:testing").exists():
        agreement = services.agreement_create(
            by=users.get("broker"), cooperation=testing, kind="consulting", title="检测设备共享服务合同",
            status="signed", value=Decimal("150000"), signed_on=date(2025, 9, 1), starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31), external_id="demo:agreement:testing")
        project = services.project_create(
            by=users.get("broker"), agreement=agreement, title="三坐标测量与材料检测服务", status="completed",
            starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31), people_trained=15, external_id="demo:project:testing")
        services.milestone_create(by=None, project=project, title="年度服务总结", due=date(2026, 8, 31), status="done",
                                  completed_on=date(2026, 8, 28))
        raters = {"org:zone-ent-02": (5, "设备开放及时，检测报告规范。"), world.keys["applied_university"]: (4, "合作顺畅，希望扩展到联合研发。")}
        for key, (rating, comment) in raters.items():
            org = index.organizations.get(key)
            if org is not None:
                ProjectEvaluation.objects.get_or_create(project=project, organization=org,
                                                        defaults={"rating": rating, "comment": comment + "（虚构）"})
