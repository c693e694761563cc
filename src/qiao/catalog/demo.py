"""The catalog's part of the demo world: publications, achievements, needs and capabilities.

``load_catalog(world, progress)`` is appended to ``qiao.demo.services.EXTRA_LOADERS`` by the app config and runs
inside ``demo_load``'s transaction. Rows are matched by external id (the world's spec ids), so a second run changes
nothing. Content fields follow the world; what users steer afterwards — a need's status, a publication's
pin / hide flags — is set only when the row is created, so reloading the demo never undoes a user's choice.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qiao.demo.services import Progress, _sync, _sync_m2m, demo_index
from qiao.demo.topics import TOPICS
from qiao.demo.world import World

from .models import (
    Achievement,
    Capability,
    CapabilityKind,
    CooperationMode,
    Need,
    NeedEvent,
    NeedKind,
    NeedStatus,
    PatentStatus,
    Publication,
    Visibility,
)

#: The world's vocabulary → the catalog's choices.
NEED_KINDS = {
    "technical_bottleneck": NeedKind.TECHNICAL_PROBLEM,
    "rd_collaboration": NeedKind.RND_COLLABORATION,
    "technology_wanted": NeedKind.TECHNOLOGY_WANTED,
    "talent": NeedKind.TALENT,
    "testing": NeedKind.TESTING,
    "consulting": NeedKind.CONSULTING,
}
MODES = {
    "joint_rd": CooperationMode.JOINT_RND,
    "commissioned_rd": CooperationMode.COMMISSIONED_RND,
    "licence": CooperationMode.LICENCE,
    "assignment": CooperationMode.ASSIGNMENT,
    "equity": CooperationMode.EQUITY,
    "consulting": CooperationMode.CONSULTING,
    "testing": CooperationMode.TESTING,
    "internship": CooperationMode.INTERNSHIP_BASE,
    "talent": CooperationMode.INTERNSHIP_BASE,
}
TEN_THOUSAND = Decimal(10_000)

#: Instruments a college of each area plausibly opens to enterprises.
INSTRUMENTS: dict[str, list[tuple[str, str, str, str]]] = {  # area → (name, name_en, fee, fee_en)
    "env": [("电感耦合等离子体质谱仪", "ICP mass spectrometer", "按样品计费", "charged per sample"),
            ("气相色谱-质谱联用仪", "Gas chromatograph–mass spectrometer", "按样品计费", "charged per sample")],
    "mfg": [("工业CT无损检测系统", "Industrial CT non-destructive testing system", "按机时计费", "charged per hour"),
            ("六轴工业机器人测试平台", "Six-axis industrial robot test bench", "按机时计费", "charged per hour")],
    "mat": [("场发射扫描电子显微镜", "Field-emission scanning electron microscope", "按机时计费", "charged per hour"),
            ("X射线衍射仪", "X-ray diffractometer", "按样品计费", "charged per sample")],
    "ele": [("半导体参数分析仪", "Semiconductor parameter analyser", "按机时计费", "charged per hour"),
            ("电磁兼容测试暗室", "EMC anechoic test chamber", "按天计费", "charged per day")],
    "bio": [("流式细胞仪", "Flow cytometer", "按样品计费", "charged per sample"),
            ("高分辨液相色谱-质谱联用仪", "High-resolution LC–MS", "按样品计费", "charged per sample")],
    "nen": [("电池充放电测试系统", "Battery cycling test system", "按通道·天计费", "charged per channel-day"),
            ("电化学工作站", "Electrochemical workstation", "按机时计费", "charged per hour")],
    "chem": [("微通道反应器中试平台", "Microchannel reactor pilot platform", "按批次计费", "charged per batch"),
             ("气相色谱-质谱联用仪", "Gas chromatograph–mass spectrometer", "按样品计费", "charged per sample")],
}
TOPIC_BY_KEY = {t.key: t for t in TOPICS}


def need_status(n: int, *, featured: bool) -> NeedStatus:
    """The lifecycle the demo shows: most needs published, some draft, in talks, in cooperation or closed.
    The demo enterprises' own needs (``featured``) stay published so their match pages always work."""
    if featured:
        return NeedStatus.PUBLISHED
    if n % 10 == 3:
        return NeedStatus.DRAFT
    if n % 10 == 6:
        return NeedStatus.IN_TALKS
    if n % 15 == 8:
        return NeedStatus.CLOSED
    if n % 20 == 14:
        return NeedStatus.IN_COOPERATION
    return NeedStatus.PUBLISHED


#: The path a need took to reach each status (for its history).
STATUS_PATHS = {
    NeedStatus.DRAFT: [NeedStatus.DRAFT],
    NeedStatus.PUBLISHED: [NeedStatus.DRAFT, NeedStatus.PUBLISHED],
    NeedStatus.IN_TALKS: [NeedStatus.DRAFT, NeedStatus.PUBLISHED, NeedStatus.IN_TALKS],
    NeedStatus.IN_COOPERATION: [NeedStatus.DRAFT, NeedStatus.PUBLISHED, NeedStatus.IN_TALKS,
                                NeedStatus.IN_COOPERATION],
    NeedStatus.CLOSED: [NeedStatus.DRAFT, NeedStatus.PUBLISHED, NeedStatus.IN_TALKS, NeedStatus.CLOSED],
}


def _money(cny: int | None) -> Decimal | None:
    return None if cny is None else (Decimal(cny) / TEN_THOUSAND).quantize(Decimal("0.01"))


def _at(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)), timezone.get_default_timezone())


def load_catalog(world: World, progress: Progress) -> None:
    idx = demo_index(world)
    _load_publications(world, idx, progress)
    _load_achievements(world, idx, progress)
    _load_needs(world, idx, progress)
    _load_capabilities(world, idx, progress)


# --------------------------------------------------------------------------------------------- publications

PUBLICATION_CONTENT = ("title", "abstract", "venue", "year", "authors", "doi", "keywords")


def _load_publications(world: World, idx: Any, progress: Progress) -> None:
    specs = world.publications
    people = idx.people
    names = {key: p.display_name for key, p in people.items()}
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for spec in specs:
        authors = ", ".join(names.get(k) or world.person(k).name for k in spec.authors)
        for key in spec.authors:
            person = people.get(key)
            if person is None:
                continue
            wanted[(person.pk, spec.id)] = {
                "title": spec.title[:500], "abstract": spec.abstract, "venue": spec.venue[:300], "year": spec.year,
                "authors": authors[:1000], "doi": spec.doi.lower(), "keywords": list(spec.keywords),
            }
    existing = {(p.person_id, p.external_id): p for p in Publication.objects.filter(
        external_id__in={s.id for s in specs}, person_id__in={pk for pk, _ in wanted})}
    new, changed = [], []
    for (person_id, ext), values in wanted.items():
        pub = existing.get((person_id, ext))
        if pub is None:
            new.append(Publication(person_id=person_id, external_id=ext, **values))
        elif _sync(pub, values):
            changed.append(pub)
    Publication.objects.bulk_create(new, batch_size=500)
    if changed:
        Publication.objects.bulk_update(changed, list(PUBLICATION_CONTENT), batch_size=500)
    progress("publications", len(specs), len(specs))


# --------------------------------------------------------------------------------------------- achievements

ACHIEVEMENT_CONTENT = ("kind", "title", "title_en", "description", "description_en", "owner", "patent_number",
                       "patent_status", "trl", "transfer_modes", "price_min", "price_max", "year", "visibility",
                       "is_fictional")


def _patent_status(kind: str, year: int) -> str:
    if kind == "invention_patent":
        return PatentStatus.GRANTED if year <= 2023 else PatentStatus.UNDER_EXAMINATION
    if kind == "utility_model":
        return PatentStatus.GRANTED
    return PatentStatus.NONE


def _load_achievements(world: World, idx: Any, progress: Progress) -> None:
    specs = [s for s in world.achievements if s.owner in idx.people and s.organization in idx.organizations]
    existing = {(a.organization_id, a.external_id): a for a in Achievement.objects.filter(
        external_id__in=[s.id for s in specs])}
    new, changed, rows = [], [], {}
    for i, spec in enumerate(specs):
        org = idx.organizations[spec.organization]
        values = {
            "kind": spec.kind, "title": spec.title, "title_en": spec.title_en, "description": spec.description,
            "description_en": spec.description_en, "owner": idx.people[spec.owner], "patent_number": spec.number,
            "patent_status": _patent_status(spec.kind, spec.year), "trl": spec.trl,
            "transfer_modes": sorted({MODES[m] for m in spec.transfer_modes if m in MODES}),
            "price_min": _money(spec.price_min), "price_max": _money(spec.price_max), "year": spec.year,
            "visibility": Visibility.MEMBERS if i % 4 == 3 else Visibility.PUBLIC, "is_fictional": True,
        }
        row = existing.get((org.pk, spec.id))
        if row is None:
            row = Achievement(organization=org, external_id=spec.id, **values)
            new.append(row)
        elif _sync(row, values):
            changed.append(row)
        rows[spec.id] = row
    Achievement.objects.bulk_create(new, batch_size=200)
    if changed:
        Achievement.objects.bulk_update(changed, list(ACHIEVEMENT_CONTENT), batch_size=200)
    ind, disc, people = idx.industries, idx.disciplines, idx.people
    _sync_m2m(Achievement.industries, {rows[s.id].pk: {ind[c].pk for c in s.industries if c in ind} for s in specs})
    _sync_m2m(Achievement.disciplines, {rows[s.id].pk: {disc[c].pk for c in s.disciplines if c in disc}
                                        for s in specs})
    _sync_m2m(Achievement.co_owners, {rows[s.id].pk: {people[k].pk for k in s.co_owners if k in people}
                                      for s in specs})
    progress("achievements", len(specs), len(specs))


# --------------------------------------------------------------------------------------------- needs

NEED_CONTENT = ("kind", "title", "title_en", "description", "description_en", "cooperation_modes", "budget_min",
                "budget_max", "deadline", "confidentiality", "created_by", "is_fictional")


def _load_needs(world: World, idx: Any, progress: Progress) -> None:
    specs = [s for s in world.needs if s.organization in idx.organizations]
    featured_orgs = {world.keys.get("little_giant"), world.keys.get("zone_enterprise")}
    existing = {(n.owner_id, n.external_id): n for n in Need.objects.filter(external_id__in=[s.id for s in specs])}
    new, changed, rows = [], [], {}
    statuses: dict[str, NeedStatus] = {}
    for n, spec in enumerate(specs, start=1):
        owner = idx.organizations[spec.organization]
        title_en = spec.title_en if spec.title_en != spec.title else ""
        description_en = spec.description_en if spec.description_en != spec.description else ""
        values = {
            "kind": NEED_KINDS.get(spec.kind, NeedKind.TECHNICAL_PROBLEM), "title": spec.title[:200],
            "title_en": title_en[:200], "description": spec.description, "description_en": description_en,
            "cooperation_modes": list(dict.fromkeys(MODES[m] for m in spec.cooperation_modes if m in MODES)),
            "budget_min": _money(spec.budget_min), "budget_max": _money(spec.budget_max), "deadline": spec.deadline,
            "confidentiality": spec.confidentiality, "created_by": idx.users.get(spec.posted_by),
            "is_fictional": True,
        }
        row = existing.get((owner.pk, spec.id))
        if row is None:
            status = need_status(n, featured=spec.organization in featured_orgs)
            posted = world.reference_date - timedelta(days=20 + (n * 7) % 150)
            row = Need(owner=owner, external_id=spec.id, status=status, status_changed=_at(posted),
                       created=_at(posted), status_changed_by=values["created_by"], **values)
            new.append(row)
            statuses[spec.id] = status
        elif _sync(row, values):
            changed.append(row)
        rows[spec.id] = row
    Need.objects.bulk_create(new, batch_size=200)
    if changed:
        Need.objects.bulk_update(changed, list(NEED_CONTENT), batch_size=200)
    events = []
    for spec_id, status in statuses.items():
        row = rows[spec_id]
        path = STATUS_PATHS[status]
        for step, (before, after) in enumerate(zip(["", *path], path, strict=False)):
            events.append(NeedEvent(need=row, from_status=before, to_status=after, by=row.created_by,
                                    at=row.status_changed + timedelta(days=step * 9)))
    NeedEvent.objects.bulk_create(events, batch_size=500)
    orgs, ind, disc = idx.organizations, idx.industries, idx.disciplines
    _sync_m2m(Need.industries, {rows[s.id].pk: {ind[c].pk for c in s.industries if c in ind} for s in specs})
    _sync_m2m(Need.disciplines, {rows[s.id].pk: {disc[c].pk for c in s.disciplines if c in disc} for s in specs})
    _sync_m2m(Need.named_organizations, {rows[s.id].pk: {orgs[k].pk for k in s.visible_to if k in orgs}
                                         for s in specs})
    progress("needs", len(specs), len(specs))


# --------------------------------------------------------------------------------------------- capabilities


def capability_specs(world: World) -> list[dict[str, Any]]:
    """A key lab and two instruments for every college, and a pilot-scale platform for the academy."""
    specs: list[dict[str, Any]] = []
    for org in world.organizations:
        if org.kind not in ("college", "research_institute") or not org.topics:
            continue
        topic = TOPIC_BY_KEY.get(org.topics[0])
        if topic is None:
            continue
        slug = org.key.removeprefix("org:")
        contact = next((p.key for p in world.people if p.organization == org.key
                        and p.kind in ("researcher", "teacher")), None)
        if org.kind == "research_institute":
            specs.append({
                "id": f"demo:cap:{slug}:pilot", "organization": org.key, "kind": CapabilityKind.LAB,
                "name": f"{org.name}中试与工程化平台", "name_en": f"Pilot and scale-up platform, {org.name_en}",
                "description": f"面向企业开放的中试基地，覆盖{topic.name}等方向，可承接工艺放大、样机试制与第三方验证。",
                "description_en": f"A pilot plant open to enterprises, covering {topic.name_en.lower()} and more: "
                                  "process scale-up, prototype builds and third-party validation.",
                "fee": "按项目协商 / negotiated per project", "industries": topic.industries, "contact": contact,
            })
        else:
            specs.append({
                "id": f"demo:cap:{slug}:lab", "organization": org.key, "kind": CapabilityKind.LAB,
                "name": f"{topic.name}重点实验室", "name_en": f"Key Laboratory of {topic.name_en}",
                "description": f"{org.name}建设的省级重点实验室，围绕{topic.name}开展应用基础研究，可与企业共建联合实验室、"
                               "开展委托研发。",
                "description_en": f"A provincial key laboratory of {org.name_en} doing applied research in "
                                  f"{topic.name_en.lower()}; open to co-built labs and commissioned R&D.",
                "fee": "", "industries": topic.industries, "contact": contact,
            })
        for j, (name, name_en, fee, fee_en) in enumerate(INSTRUMENTS.get(topic.area, [])):
            specs.append({
                "id": f"demo:cap:{slug}:inst{j + 1}", "organization": org.key,
                "kind": CapabilityKind.INSTRUMENT if j == 0 else CapabilityKind.TESTING,
                "name": name if j == 0 else f"{name}检测服务", "name_en": name_en if j == 0 else f"{name_en} testing",
                "description": f"{org.name}的大型仪器，纳入区域大型科研仪器共享平台，预约后可为企业提供测试。",
                "description_en": f"A large instrument of {org.name_en}, listed on the regional instrument-sharing "
                                  "platform; enterprises can book tests.",
                "fee": f"{fee} / {fee_en}", "industries": topic.industries, "contact": contact,
            })
    return specs


CAPABILITY_CONTENT = ("kind", "name", "name_en", "description", "contact", "open_to_enterprises", "fee_note")


def _load_capabilities(world: World, idx: Any, progress: Progress) -> None:
    specs = [s for s in capability_specs(world) if s["organization"] in idx.organizations]
    existing = {(c.organization_id, c.external_id): c for c in Capability.objects.filter(
        external_id__in=[s["id"] for s in specs])}
    new, changed, rows = [], [], {}
    for spec in specs:
        org = idx.organizations[spec["organization"]]
        values = {
            "kind": spec["kind"], "name": spec["name"][:200], "name_en": spec["name_en"][:200],
            "description": spec["description"], "contact": idx.people.get(spec["contact"] or ""),
            "open_to_enterprises": True, "fee_note": spec["fee"][:200],
        }
        row = existing.get((org.pk, spec["id"]))
        if row is None:
            row = Capability(organization=org, external_id=spec["id"], **values)
            new.append(row)
        elif _sync(row, values):
            changed.append(row)
        rows[spec["id"]] = row
    Capability.objects.bulk_create(new)
    if changed:
        Capability.objects.bulk_update(changed, list(CAPABILITY_CONTENT))
    ind = idx.industries
    _sync_m2m(Capability.industries, {rows[s["id"]].pk: {ind[c].pk for c in s["industries"] if c in ind}
                                      for s in specs})
    progress("capabilities", len(specs), len(specs))
