"""The fictional demo world of Qiao, as plain data (pure Python: no Django imports).

``build_world(seed)`` returns a :class:`World`; the same seed always gives an identical world. Every
organization and person in it is invented (``is_fictional``); only the taxonomies (GB/T 4754-2017 industry
divisions, the MoE discipline catalogue, GB/T 2260 region codes and undergraduate major codes) are real.

Two scenarios, modelled on real kinds of cooperation:

* ``coastal`` — 青澜新区 (Qinglan New Area), a fictional coastal new area in 青岛市 (370200), with a
  talent-recruitment centre, an academy dispatched there by the fictional 东岚大学 and ~40 enterprises,
  among them an environmental-equipment "Little Giant";
* ``zone`` — 玉衡国家级经济技术开发区 (Yuheng national economic and technological development zone), fictional,
  in 苏州市 (320500), with a technology innovation centre, the applied 云岫科技大学 and ~40 high-tech enterprises.

Identifiers are shaped like real ones but chosen so they cannot belong to a real body:
unified social credit codes have a valid GB 32100 check character but an embedded organization code whose
GB 11714 check position holds ``Y`` (never a valid GB 11714 check character); ORCID iDs have a valid
ISO 7064 MOD 11-2 check digit but lie in the unallocated block 0000-0000-…; DOIs use the reserved
example prefix 10.5555; patent numbers use the unused 9-digit block CN1000xxxxx / CN2000xxxxx.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import cast

from .topics import AREAS, EN_VENUES, INDUSTRY_NAMES, TOPIC_BY_KEY, TOPICS, VENUES, Topic

DEMO_USERNAMES = ("admin", "enterprise", "enterprise2", "researcher", "researcher2", "staff", "dean", "broker",
                  "broker2", "officer", "officer2")
DEMO_PASSWORD = "qiao-demo-2026"  # noqa: S105 - the documented, public demo password
REFERENCE_DATE = date(2026, 11, 1)  # "today" in the demo world: symposiums are before it, deadlines after.
FICTIONAL_NOTE = "（虚构，仅用于演示）"
FICTIONAL_NOTE_EN = "(Fictional, for demonstration only.)"

# --------------------------------------------------------------------------------------------- identifiers

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character (same algorithm as qiao.directory.validators.uscc_check_char)."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(rng: random.Random, region_code: str) -> str:
    """"91" (enterprise registered with market regulation) + region + 8 chars + "Y" + check character."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWX") for _ in range(8))
    first17 = "91" + region_code + body + "Y"
    return first17 + uscc_check_char(first17)


def orcid_check_digit(base15: str) -> str:
    """ISO 7064 MOD 11-2 (same algorithm as qiao.directory.validators.orcid_check_digit)."""
    total = 0
    for ch in base15:
        total = (total + int(ch)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def make_orcid(n: int) -> str:
    base = f"00000000{n:07d}"
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


# --------------------------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    name_en: str
    kind: str
    scenario: str = ""
    parent: str | None = None
    short_name: str = ""
    region: str = ""
    description: str = ""
    description_en: str = ""
    website: str = ""
    address: str = ""
    credit_code: str = ""
    size: str = ""
    is_high_tech: bool = False
    specialised_level: str = ""
    founded: int | None = None
    employees: int | None = None
    industries: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    is_fictional: bool = True


@dataclass(frozen=True)
class PersonSpec:
    key: str  # also Person.external_id: "demo:person:NNN"
    name: str
    name_en: str
    kind: str
    organization: str
    title: str = ""
    title_en: str = ""
    email: str = ""
    orcid: str = ""
    expertise_keywords: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    bio: str = ""
    bio_en: str = ""
    affiliations: tuple[str, ...] = ()
    username: str = ""
    is_fictional: bool = True

    @property
    def display_title(self) -> str:
        return f"{self.title} / {self.title_en}" if self.title_en else self.title


@dataclass(frozen=True)
class MajorSpec:
    key: str
    college: str
    code: str
    name: str
    name_en: str
    discipline: str
    degree_level: str = "bachelor"
    students: int | None = None
    description: str = ""
    industries: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: str  # accounts.Role value, or "admin"
    organization: str | None  # OrgSpec.key
    description: str
    description_en: str
    display_name: str
    person: str | None = None  # PersonSpec.key
    is_superuser: bool = False
    is_manager: bool = False
    title: str = ""
    preferred_language: str = "zh-hans"
    organization_name: str = ""  # the organization's display names, for printing the login list
    organization_name_en: str = ""


@dataclass(frozen=True)
class PublicationSpec:
    id: str  # "demo:pub:NNNN"
    authors: tuple[str, ...]  # PersonSpec keys, first author first
    language: str  # "zh" or "en"
    title: str
    abstract: str
    title_en: str
    abstract_en: str  # for Chinese papers, the English abstract the journal prints; equal to abstract for English
    year: int
    venue: str
    doi: str
    keywords: tuple[str, ...]
    topic: str
    disciplines: tuple[str, ...]


@dataclass(frozen=True)
class AchievementSpec:
    id: str  # "demo:ach:NNN"
    kind: str  # invention_patent | utility_model | software_copyright | technology_package
    owner: str  # PersonSpec key
    organization: str  # OrgSpec key (the owner's organization)
    title: str
    title_en: str
    description: str
    description_en: str
    number: str  # patent / registration number ("" for technology packages)
    trl: int
    transfer_modes: tuple[str, ...]  # licence | assignment | equity | joint_rd
    price_min: int  # CNY
    price_max: int  # CNY
    year: int
    industries: tuple[str, ...]
    disciplines: tuple[str, ...]
    keywords: tuple[str, ...]
    topic: str
    co_owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedSpec:
    id: str  # "demo:need:NNN"
    kind: str  # technical_bottleneck | rd_collaboration | talent | testing | consulting
    organization: str  # OrgSpec key of the enterprise
    title: str
    title_en: str
    description: str
    description_en: str  # "" when the need was posted in Chinese only
    language: str  # "zh", "en" or "bilingual"
    industries: tuple[str, ...]
    disciplines: tuple[str, ...]
    cooperation_modes: tuple[str, ...]  # joint_rd | commissioned_rd | licence | assignment | consulting | testing | internship | talent
    budget_min: int  # CNY
    budget_max: int  # CNY
    deadline: date
    confidentiality: str  # public | members | named | brokers
    visible_to: tuple[str, ...]  # OrgSpec keys, for "named"
    keywords: tuple[str, ...]
    topic: str
    posted_by: str = ""  # username of the enterprise login, if any
    expected_people: tuple[str, ...] = ()  # PersonSpec keys that genuinely match (same topic)
    expected_achievements: tuple[str, ...] = ()  # AchievementSpec ids on the same topic


@dataclass(frozen=True)
class ActionItemSpec:
    id: str
    title: str
    title_en: str
    owner: str  # PersonSpec key
    owner_organization: str  # OrgSpec key
    due: date
    status: str  # open | in_progress | done


@dataclass(frozen=True)
class SymposiumSpec:
    id: str  # "demo:meeting:N"
    scenario: str
    title: str
    title_en: str
    date: date
    place: str
    place_en: str
    organizer: str  # OrgSpec key
    participants: tuple[str, ...]  # PersonSpec keys
    organizations: tuple[str, ...]  # OrgSpec keys
    agenda: tuple[tuple[str, str], ...]  # (zh, en)
    minutes: str
    minutes_en: str
    decisions: tuple[tuple[str, str], ...]
    action_items: tuple[ActionItemSpec, ...]
    related_needs: tuple[str, ...] = ()


@dataclass
class World:
    seed: int
    reference_date: date
    password: str
    organizations: list[OrgSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    majors: list[MajorSpec] = field(default_factory=list)
    logins: list[LoginSpec] = field(default_factory=list)
    publications: list[PublicationSpec] = field(default_factory=list)
    achievements: list[AchievementSpec] = field(default_factory=list)
    needs: list[NeedSpec] = field(default_factory=list)
    symposiums: list[SymposiumSpec] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # role names → OrgSpec keys (e.g. "little_giant")

    def org(self, key: str) -> OrgSpec:
        return self._orgs()[key]

    def person(self, key: str) -> PersonSpec:
        return self._people()[key]

    def _orgs(self) -> dict[str, OrgSpec]:
        return {o.key: o for o in self.organizations}

    def _people(self) -> dict[str, PersonSpec]:
        return {p.key: p for p in self.people}

    @property
    def researchers(self) -> list[PersonSpec]:
        return [p for p in self.people if p.kind in ("researcher", "teacher")]

    @property
    def enterprises(self) -> list[OrgSpec]:
        return [o for o in self.organizations if o.kind == "enterprise"]

    def topics(self) -> tuple[Topic, ...]:
        return TOPICS

    def qrels(self) -> dict[str, dict[str, int]]:
        """Graded relevance of researchers and achievements for every need, by construction of the world.

        2 = the item's main topic is the need's topic (a researcher's first topic, an achievement's topic),
        1 = a researcher's secondary topic is the need's topic. Keys are PersonSpec keys and AchievementSpec ids.
        """
        out: dict[str, dict[str, int]] = {}
        for need in self.needs:
            grades: dict[str, int] = {}
            for p in self.researchers:
                if need.topic in p.topics:
                    grades[p.key] = 2 if p.topics[0] == need.topic else 1
            for a in self.achievements:
                if a.topic == need.topic:
                    grades[a.id] = 2
            out[need.id] = grades
        return out

    def counts(self) -> dict[str, int]:
        return {
            "organizations": len(self.organizations),
            "enterprises": len(self.enterprises),
            "people": len(self.people),
            "researchers": len(self.researchers),
            "majors": len(self.majors),
            "logins": len(self.logins),
            "publications": len(self.publications),
            "achievements": len(self.achievements),
            "needs": len(self.needs),
            "symposiums": len(self.symposiums),
        }


# --------------------------------------------------------------------------------------------- name material

SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("赵", "Zhao"),
    ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"), ("胡", "Hu"), ("朱", "Zhu"),
    ("高", "Gao"), ("林", "Lin"), ("何", "He"), ("郭", "Guo"), ("马", "Ma"), ("罗", "Luo"), ("梁", "Liang"),
    ("宋", "Song"), ("郑", "Zheng"), ("谢", "Xie"), ("韩", "Han"), ("唐", "Tang"), ("冯", "Feng"), ("于", "Yu"),
    ("董", "Dong"), ("萧", "Xiao"), ("程", "Cheng"), ("曹", "Cao"), ("袁", "Yuan"), ("邓", "Deng"), ("许", "Xu"),
    ("傅", "Fu"), ("沈", "Shen"), ("曾", "Zeng"), ("彭", "Peng"), ("吕", "Lü"), ("苏", "Su"), ("卢", "Lu"),
    ("蒋", "Jiang"), ("蔡", "Cai"), ("贾", "Jia"), ("丁", "Ding"), ("魏", "Wei"), ("薛", "Xue"), ("叶", "Ye"),
    ("阎", "Yan"), ("欧阳", "Ouyang"), ("司马", "Sima"),
]
GIVEN = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
    ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"),
    ("辉", "hui"), ("鹏", "peng"), ("华", "hua"), ("晨", "chen"), ("宇", "yu"), ("欣", "xin"), ("怡", "yi"),
    ("浩", "hao"), ("然", "ran"), ("思", "si"), ("远", "yuan"), ("泽", "ze"), ("文", "wen"), ("博", "bo"),
    ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("凯", "kai"), ("帆", "fan"), ("嘉", "jia"), ("子", "zi"),
    ("海", "hai"), ("峰", "feng"), ("岩", "yan"), ("志", "zhi"), ("国", "guo"), ("建", "jian"), ("立", "li"),
    ("新", "xin"), ("晓", "xiao"), ("云", "yun"), ("振", "zhen"), ("毅", "yi"), ("澄", "cheng"), ("瑶", "yao"),
]
BRAND = [
    ("瀚", "Han"), ("澜", "Lan"), ("汀", "Ting"), ("沐", "Mu"), ("泓", "Hong"), ("辰", "Chen"), ("曜", "Yao"),
    ("衡", "Heng"), ("启", "Qi"), ("拓", "Tuo"), ("宸", "Chen"), ("禾", "He"), ("岚", "Lan"), ("朔", "Shuo"),
    ("珩", "Heng"), ("翎", "Ling"), ("溯", "Su"), ("屹", "Yi"), ("湛", "Zhan"), ("熠", "Yi"), ("琨", "Kun"),
    ("昀", "Yun"), ("骁", "Xiao"), ("璟", "Jing"), ("霁", "Ji"), ("芮", "Rui"), ("峤", "Qiao"), ("澈", "Che"),
    ("钧", "Jun"), ("颐", "Yi"), ("栎", "Li"), ("曦", "Xi"),
]

TITLES_UNI = [
    ("教授", "Professor", 18), ("副教授", "Associate Professor", 34), ("讲师", "Lecturer", 30),
    ("研究员", "Research Professor", 8), ("高级工程师", "Senior Engineer", 10),
]
TITLES_ACADEMY = [
    ("研究员", "Research Professor", 20), ("副研究员", "Associate Research Professor", 30),
    ("高级工程师", "Senior Engineer", 30), ("工程师", "Engineer", 20),
]


def _cap(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _weighted(rng: random.Random, items: list[tuple[str, str, int]]) -> tuple[str, str]:
    zh, en, _w = rng.choices(items, weights=[w for *_x, w in items])[0]
    return zh, en


# --------------------------------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.world = World(seed=seed, reference_date=REFERENCE_DATE, password=DEMO_PASSWORD)
        self.used_names: set[str] = set()
        self.used_brands: set[str] = set()
        self.used_codes: set[str] = set()
        self.person_seq = 0
        self.orcid_seq = 0

    # -- helpers -------------------------------------------------------------------------------------
    def add_org(self, **kw: object) -> OrgSpec:
        org = OrgSpec(**kw)  # type: ignore[arg-type]
        self.world.organizations.append(org)
        return org

    def uscc(self, region: str) -> str:
        while True:
            code = make_uscc(self.rng, region)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def person_name(self) -> tuple[str, str]:
        rng = self.rng
        for _ in range(200):
            sur, sur_en = rng.choice(SURNAMES)
            parts = rng.sample(GIVEN, rng.choice((1, 2, 2, 2)))
            given = "".join(p[0] for p in parts)
            given_en = "".join(p[1] for p in parts)
            name = sur + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name, f"{given_en.capitalize()} {sur_en}"
        raise RuntimeError("ran out of names")

    def brand(self) -> tuple[str, str]:
        for _ in range(500):
            a, b = self.rng.sample(BRAND, 2)
            zh = a[0] + b[0]
            if zh not in self.used_brands:
                self.used_brands.add(zh)
                return zh, a[1] + b[1].lower()
        raise RuntimeError("ran out of brand names")

    def next_person_key(self) -> str:
        self.person_seq += 1
        return f"demo:person:{self.person_seq:03d}"

    def next_orcid(self) -> str:
        self.orcid_seq += 1
        return make_orcid(1000 + self.orcid_seq * 37)

    # -- organizations ------------------------------------------------------------------------------
    def build_frame(self) -> None:
        w = self.world
        k = w.keys
        # Comprehensive research university, and its academy in the coastal new area.
        self.add_org(
            key="org:donglan-u", name="东岚大学", name_en="Donglan University", kind="university", short_name="东岚大学",
            region="370100", founded=1952, employees=5200, disciplines=("0802", "0805", "0817", "0830", "0812", "1007"),
            description="东岚大学是一所虚构的综合性研究型大学，工科与理科见长，设有机械、材料、化工、环境、信息、生命医学等学院。"
            + FICTIONAL_NOTE,
            description_en="Donglan University is a fictional comprehensive research university, strongest in engineering "
            "and science, with colleges of mechanical, materials, chemical, environmental, information and life "
            "sciences. " + FICTIONAL_NOTE_EN,
            website="https://donglan-u.example.org", address="济南市（虚构）东岚路1号",
        )
        k["research_university"] = "org:donglan-u"
        # Coastal new area.
        self.add_org(
            key="org:qinglan", name="青澜新区", name_en="Qinglan New Area", kind="development_zone", scenario="coastal",
            short_name="青澜新区", region="370200", founded=2014,
            industries=("35", "77", "34", "27"),
            description="青澜新区是虚构的沿海新区，重点发展海洋经济、生态环保装备、高端装备与海洋生物医药，"
            "通过人才招引中心和高校研究院推动校地合作。" + FICTIONAL_NOTE,
            description_en="Qinglan New Area is a fictional coastal new area focused on the marine economy, "
            "environmental equipment, advanced equipment and marine biomedicine; it works with universities through "
            "its talent-recruitment centre and a university academy. " + FICTIONAL_NOTE_EN,
            website="https://qinglan.example.org", address="青岛市（虚构）青澜新区澜海大道88号",
        )
        k["coastal_area"] = "org:qinglan"
        self.add_org(
            key="org:qinglan-talent", name="青澜新区人才招引中心", name_en="Qinglan Talent Recruitment Centre",
            kind="innovation_centre", scenario="coastal", parent="org:qinglan", short_name="人才招引中心",
            region="370200", founded=2019, employees=35,
            description="负责青澜新区高层次人才引进、校地合作对接和企业需求征集。" + FICTIONAL_NOTE,
            description_en="Recruits high-level talent for Qinglan New Area, brokers university-enterprise "
            "cooperation and collects enterprise needs. " + FICTIONAL_NOTE_EN,
            address="青澜新区澜海大道88号人才大厦",
        )
        k["talent_centre"] = "org:qinglan-talent"
        self.add_org(
            key="org:donglan-qinglan-academy", name="东岚大学青澜研究院", name_en="Donglan University Qinglan Academy",
            kind="research_institute", scenario="coastal", parent="org:donglan-u", short_name="青澜研究院",
            region="370200", founded=2020, employees=160, industries=("77", "35", "73"),
            disciplines=("0830", "0802", "0805", "0810"),
            topics=("membrane_wastewater", "sludge_solidwaste", "flue_gas", "marine_monitoring",
                    "anticorrosion_coatings", "industrial_robots", "fault_diagnosis", "hydrogen"),
            description="东岚大学与青澜新区共建的新型研发机构，聚焦生态环保装备、海洋监测与防护、智能装备，"
            "面向区内企业开展技术攻关与成果转化。" + FICTIONAL_NOTE,
            description_en="A new-type R&D institute set up by Donglan University with Qinglan New Area, focused on "
            "environmental equipment, marine monitoring and protection and intelligent equipment; it solves "
            "technical problems for local enterprises and transfers results. " + FICTIONAL_NOTE_EN,
            website="https://qinglan-academy.donglan-u.example.org", address="青澜新区海川路6号",
        )
        k["academy"] = "org:donglan-qinglan-academy"
        self.add_org(
            key="org:qinglan-sti", name="青澜新区科技创新局", name_en="Qinglan New Area Science and Technology Bureau",
            kind="government", scenario="coastal", parent="org:qinglan", short_name="新区科技局", region="370200",
            description="负责新区科技创新政策、科技项目管理和产学研合作。" + FICTIONAL_NOTE,
            description_en="Responsible for the area's innovation policy, science and technology projects and "
            "industry-university-research cooperation. " + FICTIONAL_NOTE_EN,
        )
        k["coastal_bureau"] = "org:qinglan-sti"
        # National economic and technological development zone.
        self.add_org(
            key="org:yuheng", name="玉衡国家级经济技术开发区", name_en="Yuheng National Economic and Technological Development Zone",
            kind="development_zone", scenario="zone", short_name="玉衡经开区", region="320500", founded=2006,
            industries=("34", "35", "39", "38", "27", "26"),
            description="玉衡经开区是虚构的国家级经济技术开发区，主导产业为智能制造与高端装备、新材料、电子信息、"
            "生物医药和新能源。" + FICTIONAL_NOTE,
            description_en="Yuheng ETDZ is a fictional national economic and technological development zone whose "
            "leading industries are intelligent manufacturing and equipment, new materials, electronic information, "
            "biomedicine and new energy. " + FICTIONAL_NOTE_EN,
            website="https://yuheng.example.org", address="苏州市（虚构）玉衡大道1号",
        )
        k["zone"] = "org:yuheng"
        self.add_org(
            key="org:yuheng-tic", name="玉衡科技创新中心", name_en="Yuheng Technology Innovation Centre",
            kind="innovation_centre", scenario="zone", parent="org:yuheng", short_name="科创中心", region="320500",
            founded=2018, employees=60,
            description="经开区技术转移与科技服务平台，组织供需对接、技术经纪和成果路演。" + FICTIONAL_NOTE,
            description_en="The zone's technology-transfer and science-service platform: it matches needs with "
            "capabilities, brokers technology deals and runs pitch events. " + FICTIONAL_NOTE_EN,
            address="玉衡大道1号科创大厦",
        )
        k["innovation_centre"] = "org:yuheng-tic"
        self.add_org(
            key="org:yuheng-sti", name="玉衡经开区科技局", name_en="Yuheng ETDZ Science and Technology Bureau",
            kind="government", scenario="zone", parent="org:yuheng", short_name="经开区科技局", region="320500",
            description="负责经开区科技计划、高新技术企业培育和校企合作政策。" + FICTIONAL_NOTE,
            description_en="Runs the zone's science programmes, high-tech enterprise development and "
            "university-enterprise cooperation policy. " + FICTIONAL_NOTE_EN,
        )
        k["zone_bureau"] = "org:yuheng-sti"
        self.add_org(
            key="org:yunxiu-u", name="云岫科技大学", name_en="Yunxiu University of Technology", kind="university",
            scenario="zone", short_name="云岫科大", region="320500", founded=1985, employees=1800,
            disciplines=("0802", "0805", "0809", "0812", "1007", "0808"),
            description="虚构的应用型本科高校，紧扣玉衡经开区主导产业设置学院和专业，推行校企协同育人。" + FICTIONAL_NOTE,
            description_en="A fictional applied undergraduate university whose colleges and majors follow the "
            "leading industries of Yuheng ETDZ, with industry-integrated education. " + FICTIONAL_NOTE_EN,
            website="https://yunxiu-u.example.org", address="玉衡经开区学府路9号",
        )
        k["applied_university"] = "org:yunxiu-u"
        self.add_org(
            key="org:yuheng-incubator", name="玉衡星火孵化器", name_en="Yuheng Spark Incubator", kind="incubator",
            scenario="zone", parent="org:yuheng", region="320500", founded=2017, employees=18,
            description="面向高校科技成果转化项目的孵化器，提供场地、中试与融资服务。" + FICTIONAL_NOTE,
            description_en="An incubator for university spin-off projects, offering space, pilot-scale facilities "
            "and fundraising support. " + FICTIONAL_NOTE_EN,
        )
        k["incubator"] = "org:yuheng-incubator"
        self.add_org(
            key="org:qiaoyuan-capital", name="桥源科创投资基金", name_en="Qiaoyuan Sci-Tech Venture Fund",
            kind="investor", short_name="桥源资本", region="370200", founded=2016, employees=25,
            credit_code=self.uscc("370200"),
            description="专注早期硬科技项目的虚构投资机构，关注环保装备、新材料与新能源。" + FICTIONAL_NOTE,
            description_en="A fictional early-stage deep-tech investor interested in environmental equipment, new "
            "materials and new energy. " + FICTIONAL_NOTE_EN,
        )
        k["investor"] = "org:qiaoyuan-capital"

        # Colleges.
        donglan_colleges = [
            ("mech", "机械与动力工程学院", "School of Mechanical and Power Engineering", ("0802", "0807"),
             ("industrial_robots", "fault_diagnosis", "additive_mfg", "hydrogen", "flue_gas")),
            ("mat", "材料科学与工程学院", "School of Materials Science and Engineering", ("0805",),
             ("light_alloys", "polymer_composites", "anticorrosion_coatings", "advanced_ceramics", "li_battery")),
            ("chem", "化学与化工学院", "School of Chemistry and Chemical Engineering", ("0703", "0817"),
             ("process_intensification", "fine_chemicals", "vocs_catalysis", "li_battery")),
            ("env", "环境科学与工程学院", "School of Environmental Science and Engineering", ("0830",),
             ("membrane_wastewater", "vocs_catalysis", "sludge_solidwaste", "flue_gas", "marine_monitoring")),
            ("info", "信息与电子工程学院", "School of Information and Electronic Engineering", ("0809", "0810", "0812"),
             ("machine_vision", "power_semis", "iot_sensors", "industrial_ai", "wireless_comm")),
            ("life", "生命科学与医学工程学院", "School of Life Sciences and Medical Engineering", ("0831", "1007", "0836"),
             ("drug_delivery", "biomanufacturing", "medical_devices", "in_vitro_diagnostics")),
        ]
        for slug, zh, en, discs, topics in donglan_colleges:
            self.add_org(
                key=f"org:donglan-{slug}", name=f"东岚大学{zh}", name_en=f"{en}, Donglan University", kind="college",
                parent="org:donglan-u", short_name=zh, region="370100", disciplines=discs, topics=topics,
                description=f"东岚大学{zh}，研究方向包括" + "、".join(TOPIC_BY_KEY[t].name for t in topics) + "。" + FICTIONAL_NOTE,
                description_en=f"{en} of Donglan University; research areas: "
                + ", ".join(TOPIC_BY_KEY[t].name_en.lower() for t in topics) + ". " + FICTIONAL_NOTE_EN,
            )
        yunxiu_colleges = [
            ("im", "智能制造学院", "School of Intelligent Manufacturing", ("0802", "0811"),
             ("industrial_robots", "machine_vision", "fault_diagnosis", "additive_mfg")),
            ("nm", "新材料学院", "School of New Materials", ("0805",),
             ("light_alloys", "polymer_composites", "advanced_ceramics", "li_battery")),
            ("ei", "电子信息学院", "School of Electronic Information", ("0809", "0810", "0812"),
             ("power_semis", "iot_sensors", "industrial_ai", "wireless_comm")),
            ("bio", "生物医药学院", "School of Biomedicine", ("1007", "0831", "0836"),
             ("drug_delivery", "biomanufacturing", "medical_devices", "in_vitro_diagnostics")),
            ("ne", "新能源学院", "School of New Energy", ("0808", "0807"),
             ("li_battery", "hydrogen", "pv_storage")),
        ]
        for slug, zh, en, discs, topics in yunxiu_colleges:
            self.add_org(
                key=f"org:yunxiu-{slug}", name=f"云岫科技大学{zh}", name_en=f"{en}, Yunxiu University of Technology",
                kind="college", scenario="zone", parent="org:yunxiu-u", short_name=zh, region="320500",
                disciplines=discs, topics=topics,
                description=f"云岫科技大学{zh}，面向玉衡经开区产业办学，方向包括" + "、".join(TOPIC_BY_KEY[t].name for t in topics)
                + "。" + FICTIONAL_NOTE,
                description_en=f"{en} of Yunxiu University of Technology, serving the industries of Yuheng ETDZ; "
                "areas: " + ", ".join(TOPIC_BY_KEY[t].name_en.lower() for t in topics) + ". " + FICTIONAL_NOTE_EN,
            )
        k["dean_college"] = "org:yunxiu-im"

    # -- enterprises ---------------------------------------------------------------------------------
    def enterprise(self, *, scenario: str, topic: Topic, second: Topic | None, parent: str, region: str,
                   idx: int, forced: dict[str, object] | None = None) -> OrgSpec:
        rng = self.rng
        forced = forced or {}
        if "name" in forced:
            brand_zh, brand_en = cast(tuple[str, str], forced.pop("brand"))
            self.used_brands.add(brand_zh)
            word_zh, word_en = topic.enterprise_words[0]
        else:
            brand_zh, brand_en = self.brand()
            word_zh, word_en = rng.choice(topic.enterprise_words)
        size = forced.get("size") or rng.choices(["micro", "small", "medium", "large"], weights=[15, 45, 32, 8])[0]
        employees = {"micro": (8, 19), "small": (20, 280), "medium": (300, 950), "large": (1000, 3200)}[size]  # type: ignore[index]
        employees_n = forced.get("employees") or rng.randint(*employees)
        company_zh = "股份有限公司" if size in ("medium", "large") and rng.random() < 0.6 else "有限公司"
        company_en = "Co., Ltd." if company_zh == "有限公司" else "Holding Co., Ltd."
        place_zh, place_en = ("青澜", "Qinglan") if scenario == "coastal" else ("玉衡", "Yuheng")
        name = forced.get("name") or f"{place_zh}{brand_zh}{word_zh}{company_zh}"
        name_en = forced.get("name_en") or f"{place_en} {brand_en} {word_en} {company_en}"
        industries = tuple(dict.fromkeys(topic.industries[:2] + ((second.industries[0],) if second else ())))
        founded = forced.get("founded") or rng.randint(1998, 2022)
        products = "、".join(a for a, _ in topic.applications)
        kw = "、".join(z for z, _ in rng.sample(topic.kws, 3))
        kw_en = ", ".join(e for _z, e in rng.sample(topic.kws, 3))
        desc = forced.get("description") or (
            f"{name}成立于{founded}年，专注{topic.name}领域，主要业务涵盖{kw}，产品和服务应用于{products}。"
            + (f"近年来拓展{second.name}业务。" if second else "") + FICTIONAL_NOTE
        )
        desc_en = forced.get("description_en") or (
            f"Founded in {founded}, {name_en} works on {topic.name_en.lower()} ({kw_en}); its products serve "
            + " and ".join(e for _z, e in topic.applications) + "."
            + (f" It has recently moved into {second.name_en.lower()}." if second else "") + " " + FICTIONAL_NOTE_EN
        )
        return self.add_org(
            key=forced.get("key") or f"org:{scenario}-ent-{idx:02d}", name=name, name_en=name_en, kind="enterprise",
            scenario=scenario, parent=parent, short_name=f"{brand_zh}{word_zh[:2]}", region=region,
            description=desc, description_en=desc_en, credit_code=self.uscc(region), size=size,
            is_high_tech=bool(forced.get("is_high_tech", scenario == "zone" or rng.random() < 0.5)),
            specialised_level=forced.get("specialised_level")
            or rng.choices(["", "provincial"], weights=[75, 25] if scenario == "zone" else [80, 20])[0],
            founded=founded, employees=employees_n, industries=tuple(forced.get("industries") or industries),  # type: ignore[arg-type]
            disciplines=topic.disciplines[:2], topics=(topic.key,) + ((second.key,) if second else ()),
            address=f"{'青澜新区' if scenario == 'coastal' else '玉衡经开区'}{rng.choice(['澜海大道', '海川路', '创新路', '玉衡大道', '星湖街', '科园路'])}{rng.randint(1, 399)}号",
            website=f"https://{brand_en.lower()}-{idx:02d}.example.com",
        )

    def build_enterprises(self) -> None:
        rng = self.rng
        k = self.world.keys
        coastal_topics = ["membrane_wastewater", "vocs_catalysis", "sludge_solidwaste", "flue_gas",
                          "marine_monitoring", "anticorrosion_coatings", "industrial_robots", "fault_diagnosis",
                          "drug_delivery", "biomanufacturing", "hydrogen", "iot_sensors", "machine_vision"]
        zone_topics = ["industrial_robots", "machine_vision", "fault_diagnosis", "additive_mfg", "light_alloys",
                       "polymer_composites", "advanced_ceramics", "power_semis", "iot_sensors", "industrial_ai",
                       "wireless_comm", "drug_delivery", "biomanufacturing", "medical_devices",
                       "in_vitro_diagnostics", "li_battery", "hydrogen", "pv_storage", "process_intensification",
                       "fine_chemicals"]
        # The "Little Giant" of the coastal scenario: environmental-protection equipment.
        giant = self.enterprise(
            scenario="coastal", topic=TOPIC_BY_KEY["flue_gas"], second=TOPIC_BY_KEY["membrane_wastewater"],
            parent="org:qinglan", region="370200", idx=0,
            forced={
                "key": "org:coastal-little-giant", "brand": ("海汀", "Haiting"),
                "name": "青澜海汀环保装备股份有限公司", "name_en": "Qinglan Haiting Environmental Equipment Holding Co., Ltd.",
                "size": "medium", "employees": 460, "founded": 2009, "is_high_tech": True,
                "specialised_level": "little_giant", "industries": ("35", "77"),
                "description": "青澜海汀环保装备股份有限公司是国家级专精特新“小巨人”企业（虚构），专业从事工业烟气脱硫脱硝除尘装备、"
                "高盐废水膜处理与零排放成套装备的研发制造，服务钢铁、焦化、化工园区等客户。" + FICTIONAL_NOTE,
                "description_en": "Qinglan Haiting Environmental Equipment is a (fictional) national \"Little Giant\" "
                "specialised SME that designs and builds flue-gas desulfurisation, denitrification and dust-removal "
                "equipment and membrane-based zero-liquid-discharge systems for high-salinity wastewater, serving "
                "steel, coking and chemical-park customers. " + FICTIONAL_NOTE_EN,
            },
        )
        k["little_giant"] = giant.key
        for i in range(1, 40):
            topic = TOPIC_BY_KEY[coastal_topics[(i - 1) % len(coastal_topics)]]
            second = TOPIC_BY_KEY[rng.choice(coastal_topics)] if rng.random() < 0.35 else None
            if second == topic:
                second = None
            self.enterprise(scenario="coastal", topic=topic, second=second, parent="org:qinglan", region="370200",
                            idx=i)
        second_enterprise = self.enterprise(
            scenario="zone", topic=TOPIC_BY_KEY["industrial_robots"], second=TOPIC_BY_KEY["machine_vision"],
            parent="org:yuheng", region="320500", idx=0,
            forced={
                "key": "org:zone-hengqi", "brand": ("衡启", "Hengqi"),
                "name": "玉衡衡启智能装备有限公司", "name_en": "Yuheng Hengqi Intelligent Equipment Co., Ltd.",
                "size": "medium", "employees": 520, "founded": 2012, "is_high_tech": True,
                "specialised_level": "provincial", "industries": ("34", "35"),
            },
        )
        k["zone_enterprise"] = second_enterprise.key
        for i in range(1, 40):
            topic = TOPIC_BY_KEY[zone_topics[(i - 1) % len(zone_topics)]]
            second = TOPIC_BY_KEY[rng.choice(zone_topics)] if rng.random() < 0.3 else None
            if second == topic:
                second = None
            self.enterprise(scenario="zone", topic=topic, second=second, parent="org:yuheng", region="320500",
                            idx=i, forced={"is_high_tech": True})

    # -- people --------------------------------------------------------------------------------------
    def researcher(self, org: OrgSpec, topic: Topic, second: Topic | None, *, academy: bool = False,
                   forced_title: tuple[str, str] | None = None, affiliations: tuple[str, ...] = ()) -> PersonSpec:
        rng = self.rng
        name, name_en = self.person_name()
        title, title_en = forced_title or _weighted(rng, TITLES_ACADEMY if academy else TITLES_UNI)
        key = self.next_person_key()
        core = [z for z, _ in topic.core]
        extra = [kw for kw in rng.sample(topic.kws[2:], rng.randint(2, 4))]
        kws = core + [z if rng.random() < 0.6 else e for z, e in extra]
        if second:
            kws += [second.kws[0][0], rng.choice(second.kws[1:])[1]]
        kws = list(dict.fromkeys(kws))
        disciplines = tuple(dict.fromkeys(topic.disciplines[:2] + (second.disciplines[:1] if second else ())))
        topics = (topic.key,) + ((second.key,) if second else ())
        orcid = self.next_orcid() if rng.random() < 0.55 else ""
        projects, papers = rng.randint(2, 9), rng.randint(15, 120)
        area_zh = "、".join(t.name for t in (topic, second) if t)
        area_en = " and ".join(t.name_en.lower() for t in (topic, second) if t)
        method_zh, method_en = rng.choice(topic.methods)
        app_zh, app_en = rng.choice(topic.applications)
        pinyin_user = name_en.split()[-1].lower() + name_en.split()[0].lower()
        domain = org.website.replace("https://", "") if org.website else ""
        if not domain:
            parent = self._org_index().get(org.parent or "")
            domain = parent.website.replace("https://", "") if parent and parent.website else "example.org"
        bio = (
            f"{name}，{title}，就职于{org.name}。主要从事{area_zh}研究，在{method_zh}方面形成特色，"
            f"成果应用于{app_zh}。主持国家及省部级科研项目{projects}项，发表学术论文{papers}篇。" + FICTIONAL_NOTE
        )
        bio_en = (
            f"{name_en} is a {title_en.lower()} at {org.name_en}, working on {area_en}. Known for work on "
            f"{method_en}, applied to {app_en}. Has led {projects} national and provincial projects and published "
            f"{papers} papers. " + FICTIONAL_NOTE_EN
        )
        person = PersonSpec(
            key=key, name=name, name_en=name_en, kind="researcher", organization=org.key, title=title,
            title_en=title_en, email=f"{pinyin_user}{self.person_seq}@{domain}", orcid=orcid,
            expertise_keywords=tuple(kws), disciplines=disciplines, topics=topics, bio=bio, bio_en=bio_en,
            affiliations=affiliations,
        )
        self.world.people.append(person)
        return person

    def _org_index(self) -> dict[str, OrgSpec]:
        return {o.key: o for o in self.world.organizations}

    def build_researchers(self) -> None:
        rng = self.rng
        plan: list[tuple[str, int, bool]] = [
            ("org:donglan-mech", 26, False), ("org:donglan-mat", 25, False), ("org:donglan-chem", 24, False),
            ("org:donglan-env", 27, False), ("org:donglan-info", 25, False), ("org:donglan-life", 23, False),
            ("org:donglan-qinglan-academy", 50, True),
            ("org:yunxiu-im", 22, False), ("org:yunxiu-nm", 19, False), ("org:yunxiu-ei", 21, False),
            ("org:yunxiu-bio", 19, False), ("org:yunxiu-ne", 19, False),
        ]
        index = self._org_index()
        for org_key, n, academy in plan:
            org = index[org_key]
            for i in range(n):
                topic = TOPIC_BY_KEY[org.topics[i % len(org.topics)]]
                second = TOPIC_BY_KEY[rng.choice(org.topics)] if rng.random() < 0.4 else None
                if second == topic:
                    second = None
                # Some academy staff hold a dual appointment at the founding university's environment college.
                dual = ("org:donglan-env",) if academy and rng.random() < 0.3 else ()
                self.researcher(org, topic, second, academy=academy, affiliations=dual)

    def staff_person(self, *, org: str, kind: str, title: str, title_en: str, bio: str, bio_en: str,
                     username: str) -> PersonSpec:
        name, name_en = self.person_name()
        key = self.next_person_key()
        person = PersonSpec(
            key=key, name=name, name_en=name_en, kind=kind, organization=org, title=title, title_en=title_en,
            email=f"{username}@demo.example.org", bio=f"{name}，{bio}" + FICTIONAL_NOTE,
            bio_en=f"{name_en}, {bio_en} " + FICTIONAL_NOTE_EN, username=username,
        )
        self.world.people.append(person)
        return person

    def build_logins(self) -> None:
        w = self.world
        k = w.keys
        # The "researcher" login: an environment professor at Donglan who matches the Little Giant's needs.
        candidates = [p for p in w.people
                      if p.organization == "org:donglan-env" and p.topics[0] == "membrane_wastewater"]
        researcher = candidates[0]
        idx = w.people.index(researcher)
        # A professor with an ORCID iD, so every profile feature shows.
        researcher = PersonSpec(**{
            **researcher.__dict__, "username": "researcher", "title": "教授", "title_en": "Professor",
            "orcid": researcher.orcid or self.next_orcid(),
            "bio": researcher.bio.replace(f"，{researcher.title}，", "，教授，", 1),
            "bio_en": researcher.bio_en.replace(f" {researcher.title_en.lower()} at ", " professor at ", 1),
        })
        w.people[idx] = researcher
        k["researcher_person"] = researcher.key
        # A second researcher, in the zone scenario, who prefers English.
        r2 = next(p for p in w.people if p.organization == "org:yunxiu-im" and p.topics[0] == "machine_vision")
        r2_idx = w.people.index(r2)
        r2 = PersonSpec(**{**r2.__dict__, "username": "researcher2"})
        w.people[r2_idx] = r2
        k["researcher2_person"] = r2.key
        enterprise_p = self.staff_person(
            org=k["little_giant"], kind="enterprise_contact", title="技术总监", title_en="Chief Technology Officer",
            bio="青澜海汀环保装备股份有限公司技术总监，负责研发与校企合作。",
            bio_en="CTO of Qinglan Haiting Environmental Equipment, in charge of R&D and university partnerships.",
            username="enterprise",
        )
        enterprise2_p = self.staff_person(
            org=k["zone_enterprise"], kind="enterprise_contact", title="研发部经理", title_en="R&D Manager",
            bio="玉衡衡启智能装备有限公司研发部经理。", bio_en="R&D manager at Yuheng Hengqi Intelligent Equipment.",
            username="enterprise2",
        )
        staff_p = self.staff_person(
            org="org:yunxiu-u", kind="officer", title="技术转移中心主任", title_en="Director, Technology Transfer Office",
            bio="云岫科技大学技术转移中心主任，负责科技成果转化与校企合作。",
            bio_en="director of the Technology Transfer Office of Yunxiu University of Technology.",
            username="staff",
        )
        dean_p = self.staff_person(
            org=k["dean_college"], kind="teacher", title="教授、院长", title_en="Professor and Dean",
            bio="云岫科技大学智能制造学院院长，研究方向为工业机器人与智能装配。",
            bio_en="professor and dean of the School of Intelligent Manufacturing, Yunxiu University of Technology; "
            "works on industrial robots and intelligent assembly.",
            username="dean",
        )
        dean_p = PersonSpec(**{**dean_p.__dict__, "topics": ("industrial_robots",), "disciplines": ("0802", "0811"),
                               "expertise_keywords": ("工业机器人", "智能装配", "collaborative robot", "产教融合")})
        w.people[w.people.index(next(p for p in w.people if p.key == dean_p.key))] = dean_p
        broker_p = self.staff_person(
            org=k["innovation_centre"], kind="broker", title="高级技术经理人", title_en="Senior Technology Broker",
            bio="玉衡科技创新中心高级技术经理人，负责企业需求挖掘与成果对接。",
            bio_en="senior technology broker at Yuheng Technology Innovation Centre.", username="broker",
        )
        broker2_p = self.staff_person(
            org=k["talent_centre"], kind="broker", title="人才服务专员", title_en="Talent Service Officer",
            bio="青澜新区人才招引中心人才服务专员，负责高校人才与企业需求对接。",
            bio_en="talent service officer at Qinglan Talent Recruitment Centre.", username="broker2",
        )
        officer_p = self.staff_person(
            org=k["zone_bureau"], kind="officer", title="产学研合作科科长", title_en="Head, Industry-Academia Cooperation Section",
            bio="玉衡经开区科技局产学研合作科科长。",
            bio_en="head of the industry-academia cooperation section, Yuheng ETDZ Science and Technology Bureau.",
            username="officer",
        )
        officer2_p = self.staff_person(
            org=k["coastal_bureau"], kind="officer", title="人才与合作处副处长",
            title_en="Deputy Director, Talent and Cooperation Division",
            bio="青澜新区科技创新局人才与合作处副处长。",
            bio_en="deputy director of the talent and cooperation division, Qinglan New Area Science and Technology "
            "Bureau.", username="officer2",
        )
        w.logins = [
            LoginSpec("admin", "admin", None, "平台管理员（超级用户）", "Platform administrator (superuser)",
                      "平台管理员", is_superuser=True),
            LoginSpec("enterprise", "enterprise_member", k["little_giant"],
                      "“小巨人”环保装备企业的技术总监，企业管理员", "CTO and manager of the environmental-equipment Little Giant",
                      enterprise_p.name, enterprise_p.key, is_manager=True, title="技术总监"),
            LoginSpec("enterprise2", "enterprise_member", k["zone_enterprise"],
                      "经开区智能装备企业研发经理（用于保密测试）",
                      "R&D manager of an equipment maker in the zone (for confidentiality tests)",
                      enterprise2_p.name, enterprise2_p.key, is_manager=True, title="研发部经理"),
            LoginSpec("researcher", "researcher", researcher.organization,
                      "东岚大学环境学院研究人员（高盐废水膜处理）",
                      "Researcher at Donglan University's environment school (membrane treatment of saline wastewater)",
                      researcher.name, researcher.key, title=researcher.title),
            LoginSpec("staff", "university_staff", "org:yunxiu-u", "云岫科技大学技术转移中心主任",
                      "Director of the technology transfer office, Yunxiu University of Technology",
                      staff_p.name, staff_p.key, is_manager=True, title="技术转移中心主任"),
            LoginSpec("dean", "university_staff", k["dean_college"], "云岫科技大学智能制造学院院长",
                      "Dean of the School of Intelligent Manufacturing, Yunxiu University of Technology",
                      dean_p.name, dean_p.key, is_manager=True, title="院长"),
            LoginSpec("broker", "broker", k["innovation_centre"], "玉衡科技创新中心技术经理人",
                      "Technology broker at Yuheng Technology Innovation Centre",
                      broker_p.name, broker_p.key, is_manager=True, title="高级技术经理人"),
            LoginSpec("broker2", "broker", k["talent_centre"], "青澜新区人才招引中心专员",
                      "Officer at Qinglan Talent Recruitment Centre", broker2_p.name, broker2_p.key,
                      title="人才服务专员"),
            LoginSpec("officer", "government_officer", k["zone_bureau"], "玉衡经开区科技局科长",
                      "Section head at Yuheng ETDZ Science and Technology Bureau", officer_p.name, officer_p.key,
                      title="产学研合作科科长", preferred_language="zh-hans"),
            LoginSpec("researcher2", "researcher", r2.organization, f"云岫科技大学智能制造学院{r2.title}（机器视觉，英文界面）",
                      f"{r2.title_en} in machine vision at Yunxiu University's School of Intelligent Manufacturing "
                      "(English interface)", r2.name_en, r2.key, title=r2.title, preferred_language="en"),
            LoginSpec("officer2", "government_officer", k["coastal_bureau"], "青澜新区科技创新局副处长",
                      "Deputy director at Qinglan New Area Science and Technology Bureau", officer2_p.name,
                      officer2_p.key, title="人才与合作处副处长"),
        ]

        index = self._org_index()
        w.logins = [
            replace(lg, organization_name=index[lg.organization].name, organization_name_en=index[lg.organization].name_en)
            if lg.organization else replace(lg, organization_name="桥平台", organization_name_en="Qiao platform")
            for lg in w.logins
        ]

    # -- majors --------------------------------------------------------------------------------------
    def build_majors(self) -> None:
        rng = self.rng
        # (college key, major code, name, name_en, discipline code, degree, industries)
        rows = [
            ("org:yunxiu-im", "080202", "机械设计制造及其自动化", "Mechanical Design, Manufacturing and Automation", "0802", "bachelor", ("34", "35")),
            ("org:yunxiu-im", "080213T", "智能制造工程", "Intelligent Manufacturing Engineering", "0802", "bachelor", ("34", "35")),
            ("org:yunxiu-im", "080803T", "机器人工程", "Robotics Engineering", "0811", "bachelor", ("34",)),
            ("org:yunxiu-im", "080204", "机械电子工程", "Mechatronic Engineering", "0802", "bachelor", ("34", "40")),
            ("org:yunxiu-im", "0855", "机械（专业硕士）", "Mechanical Engineering (professional master)", "0855", "master", ("34", "35")),
            ("org:yunxiu-nm", "080401", "材料科学与工程", "Materials Science and Engineering", "0805", "bachelor", ("32", "33")),
            ("org:yunxiu-nm", "080405", "金属材料工程", "Metallic Materials Engineering", "0805", "bachelor", ("32", "33")),
            ("org:yunxiu-nm", "080407", "高分子材料与工程", "Polymer Materials and Engineering", "0805", "bachelor", ("29", "28")),
            ("org:yunxiu-nm", "080406", "无机非金属材料工程", "Inorganic Non-metallic Materials Engineering", "0805", "bachelor", ("30",)),
            ("org:yunxiu-ei", "080701", "电子信息工程", "Electronic Information Engineering", "0810", "bachelor", ("39",)),
            ("org:yunxiu-ei", "080704", "微电子科学与工程", "Microelectronic Science and Engineering", "0809", "bachelor", ("39",)),
            ("org:yunxiu-ei", "080905", "物联网工程", "Internet of Things Engineering", "0812", "bachelor", ("39", "65")),
            ("org:yunxiu-ei", "080717T", "人工智能", "Artificial Intelligence", "0812", "bachelor", ("65",)),
            ("org:yunxiu-ei", "0854", "电子信息（专业硕士）", "Electronic Information (professional master)", "0854", "master", ("39", "65")),
            ("org:yunxiu-bio", "100701", "药学", "Pharmacy", "1007", "bachelor", ("27",)),
            ("org:yunxiu-bio", "100702", "药物制剂", "Pharmaceutics", "1007", "bachelor", ("27",)),
            ("org:yunxiu-bio", "083001", "生物工程", "Bioengineering", "0836", "bachelor", ("27", "26")),
            ("org:yunxiu-bio", "082601", "生物医学工程", "Biomedical Engineering", "0831", "bachelor", ("35", "40")),
            ("org:yunxiu-ne", "080503T", "新能源科学与工程", "New Energy Science and Engineering", "0807", "bachelor", ("38", "44")),
            ("org:yunxiu-ne", "080414T", "新能源材料与器件", "New Energy Materials and Devices", "0805", "bachelor", ("38",)),
            ("org:yunxiu-ne", "080601", "电气工程及其自动化", "Electrical Engineering and Automation", "0808", "bachelor", ("38", "44")),
            ("org:donglan-mech", "080201", "机械工程", "Mechanical Engineering", "0802", "bachelor", ("34", "35")),
            ("org:donglan-mech", "080501", "能源与动力工程", "Energy and Power Engineering", "0807", "bachelor", ("44", "34")),
            ("org:donglan-mech", "0802", "机械工程（学术硕士）", "Mechanical Engineering (academic master)", "0802", "master", ("34", "35")),
            ("org:donglan-mat", "080401", "材料科学与工程", "Materials Science and Engineering", "0805", "bachelor", ("32", "30")),
            ("org:donglan-mat", "080408", "复合材料与工程", "Composite Materials and Engineering", "0805", "bachelor", ("29",)),
            ("org:donglan-mat", "0805", "材料科学与工程（博士）", "Materials Science and Engineering (doctorate)", "0805", "doctor", ("32", "26")),
            ("org:donglan-chem", "081301", "化学工程与工艺", "Chemical Engineering and Technology", "0817", "bachelor", ("26",)),
            ("org:donglan-chem", "070302", "应用化学", "Applied Chemistry", "0703", "bachelor", ("26", "27")),
            ("org:donglan-chem", "0856", "材料与化工（专业硕士）", "Materials and Chemical Engineering (professional master)", "0856", "master", ("26",)),
            ("org:donglan-env", "082502", "环境工程", "Environmental Engineering", "0830", "bachelor", ("77", "46")),
            ("org:donglan-env", "082503", "环境科学", "Environmental Science", "0830", "bachelor", ("77",)),
            ("org:donglan-env", "0857", "资源与环境（专业硕士）", "Resources and Environment (professional master)", "0857", "master", ("77",)),
            ("org:donglan-env", "0830", "环境科学与工程（博士）", "Environmental Science and Engineering (doctorate)", "0830", "doctor", ("77",)),
            ("org:donglan-info", "080901", "计算机科学与技术", "Computer Science and Technology", "0812", "bachelor", ("65",)),
            ("org:donglan-info", "080703", "通信工程", "Communication Engineering", "0810", "bachelor", ("39", "63")),
            ("org:donglan-info", "080702", "电子科学与技术", "Electronic Science and Technology", "0809", "bachelor", ("39",)),
            ("org:donglan-life", "071002", "生物技术", "Biotechnology", "0710", "bachelor", ("27",)),
            ("org:donglan-life", "082601", "生物医学工程", "Biomedical Engineering", "0831", "bachelor", ("35", "40")),
            ("org:donglan-life", "0860", "生物与医药（专业硕士）", "Biology and Medicine (professional master)", "0860", "master", ("27",)),
        ]
        for i, (college, code, name, name_en, disc, degree, inds) in enumerate(rows, start=1):
            students = {"bachelor": rng.randint(120, 520), "master": rng.randint(40, 160), "doctor": rng.randint(12, 60)}[degree]
            level = {"bachelor": ("本科", "bachelor's"), "master": ("硕士", "master's"), "doctor": ("博士", "doctoral")}[degree]
            desc = (f"{name}专业（{level[0]}），面向{'、'.join(INDUSTRY_NAMES[c][0] for c in inds)}等行业培养人才。"
                    f" {name_en} ({level[1]} programme) prepares graduates for "
                    f"{' and '.join(INDUSTRY_NAMES[c][1] for c in inds)}. " + FICTIONAL_NOTE)
            self.world.majors.append(MajorSpec(
                key=f"demo:major:{i:03d}", college=college, code=code, name=name, name_en=name_en, discipline=disc,
                degree_level=degree, students=students, description=desc, industries=inds,
            ))

    # -- publications --------------------------------------------------------------------------------
    def paper(self, t: Topic) -> tuple[tuple[str, str], tuple[str, str], tuple[str, ...], tuple[str, ...]]:
        """A paper on topic ``t``: ((title_zh, title_en), (abstract_zh, abstract_en), keywords_zh, keywords_en).

        The Chinese and English versions say the same thing (Chinese journals print an English title and abstract).
        """
        rng = self.rng
        (p, p_en), (m, m_en), (a, a_en) = rng.choice(t.problems), rng.choice(t.methods), rng.choice(t.applications)
        core = t.core[rng.randrange(2)]
        k1, k2, k3, k4 = rng.sample([kw for kw in t.kws if kw != core], 4)
        metric, metric_en = rng.choice(t.metrics)
        n1, n2 = rng.randint(12, 48), rng.randint(2, 9)
        cap = _cap
        openers = [
            (f"针对{p}的问题，本文提出了一种{m}。",
             f"This paper addresses {p_en}, a long-standing problem in {core[1]}. We propose an approach based on "
             f"{m_en} and describe its design in detail. "),
            (f"{a}对{core[0]}提出了更高要求，但目前仍存在{p}等问题。为此，本研究开发了{m}。",
             f"Applications such as {a_en} place growing demands on {core[1]}, yet {p_en} remains a major obstacle. "
             f"To overcome it, we develop an approach based on {m_en}. "),
            (f"为解决{p}这一难题，本文以{core[0]}为切入点，设计了{m}。",
             f"{cap(core[1])} is essential for {a_en}, but current practice suffers from {p_en}. Taking {core[1]} "
             f"as the starting point, we design an approach based on {m_en}. "),
        ]
        middles = [
            (f"通过{k1[0]}与{k2[0]}相结合，系统研究了关键工艺参数对{metric}的影响规律，并建立了相应的机理模型。",
             f"Combining {k1[1]} with {k2[1]}, we study systematically how the main process parameters affect "
             f"{metric_en} and establish a mechanistic model of the observed behaviour. "),
            (f"研究采用{k1[0]}和{k3[0]}表征手段，揭示了{k2[0]}过程中的作用机制。",
             f"Characterisation by {k1[1]} and {k3[1]} reveals the mechanisms that govern {k2[1]}. "),
            (f"在实验室和中试规模上分别开展了验证，考察了{k1[0]}条件下的长期稳定性。",
             f"The approach is validated at laboratory and pilot scale, including its long-term stability under "
             f"{k1[1]} conditions. "),
        ]
        results = [
            (f"结果表明，与传统方法相比，{metric}改善了{n1}%，运行成本降低约{n2 * 3}%。",
             f"Compared with conventional approaches, {metric_en} improves by {n1}% while operating cost falls by "
             f"about {n2 * 3}%. "),
            (f"实验结果显示，{metric}改善{n1}%，连续运行{n2 * 100}小时性能无明显衰减。",
             f"Experiments show a {n1}% gain in {metric_en} and stable performance over {n2 * 100} hours of "
             "continuous operation. "),
        ]
        closers = [
            (f"该方法为{a}提供了新的技术途径。",
             f"The results provide a practical route towards {a_en} and can be transferred to industrial partners."),
            (f"研究成果可为{a}的工程应用提供理论依据和技术支撑。",
             f"These findings offer both theoretical insight and engineering guidance for {a_en}."),
        ]
        titles = [
            (f"{m}在{a}中的应用研究", f"Application of {m_en} to {a_en}"),
            (f"基于{k1[0]}的{core[0]}研究", f"Research on {core[1]} based on {k1[1]}"),
            (f"{core[0]}中{k2[0]}的实验研究与机理分析",
             f"{cap(k2[1])} in {core[1]}: an experimental and mechanistic study"),
            (f"面向{a}的{m}", f"{cap(m_en)} for {a_en}"),
        ]
        o, mid, r, c, ti = (rng.choice(x) for x in (openers, middles, results, closers, titles))
        focus_en = f"Particular attention is paid to {k4[1]}, which earlier studies have often neglected. "
        focus_zh = f"研究特别关注了以往工作中常被忽视的{k4[0]}问题。"
        abstract_zh = o[0] + mid[0] + r[0] + c[0]
        if len(abstract_zh) + len(focus_zh) <= 200:
            abstract_zh = o[0] + mid[0] + focus_zh + r[0] + c[0]
        abstract_en = o[1] + mid[1] + focus_en + r[1] + c[1]
        return ti, (abstract_zh, abstract_en), (core[0], k1[0], k2[0]), (core[1], k1[1], k2[1])

    def build_publications(self) -> None:
        rng = self.rng
        by_topic: dict[str, list[PersonSpec]] = {}
        for p in self.world.researchers:
            for t in p.topics:
                by_topic.setdefault(t, []).append(p)
        n = 0
        for person in self.world.researchers:
            for _ in range(rng.randint(3, 8)):
                n += 1
                topic = TOPIC_BY_KEY[person.topics[0] if len(person.topics) == 1 or rng.random() < 0.7 else person.topics[1]]
                english = rng.random() < 0.35
                (title_zh, title_en), (abstract_zh, abstract_en), kws_zh, kws_en = self.paper(topic)
                if english:
                    title, abstract, kws = title_en, abstract_en, kws_en
                    venue = EN_VENUES[topic.area]
                else:
                    title, abstract, kws = title_zh, abstract_zh, kws_zh + kws_en[:1]
                    venue = rng.choice(VENUES[topic.area])[0]
                peers = [q.key for q in by_topic.get(topic.key, []) if q.key != person.key]
                co = tuple(rng.sample(peers, min(len(peers), rng.choice((0, 1, 1, 2)))))
                self.world.publications.append(PublicationSpec(
                    id=f"demo:pub:{n:04d}", authors=(person.key,) + co, language="en" if english else "zh",
                    title=title, abstract=abstract, title_en=title_en, abstract_en=abstract_en,
                    year=rng.randint(2016, 2026), venue=venue, doi=f"10.5555/qiao-demo.{n:04d}", keywords=kws,
                    topic=topic.key, disciplines=topic.disciplines,
                ))

    # -- achievements --------------------------------------------------------------------------------
    def build_achievements(self) -> None:
        rng = self.rng
        by_topic: dict[str, list[PersonSpec]] = {}
        for person in self.world.researchers:
            by_topic.setdefault(person.topics[0], []).append(person)
        order = [t for t in TOPICS if t.key in by_topic]
        for i in range(100):
            t = order[i % len(order)]
            owners = by_topic[t.key]
            owner = owners[(i // len(order)) % len(owners)]
            (m, m_en) = t.methods[(i // len(order)) % len(t.methods)]
            (a, a_en) = rng.choice(t.applications)
            (p, p_en) = rng.choice(t.problems)
            kind = rng.choices(
                ["invention_patent", "utility_model", "software_copyright", "technology_package"],
                weights=[50, 20, 25 if t.software else 3, 15],
            )[0]
            year = rng.randint(2019, 2026)
            if kind == "invention_patent":
                number = f"CN1000{rng.randint(10000, 99999)}A"
                title, title_en = f"一种{m}及其应用", f"{_cap(m_en)} and its use"
            elif kind == "utility_model":
                number = f"CN2000{rng.randint(10000, 99999)}U"
                title, title_en = f"一种用于{a}的{m}装置", f"Device for {a_en} based on {m_en}"
            elif kind == "software_copyright":
                number = f"{year}SR9{rng.randint(100000, 999999)}"
                version = rng.randint(1, 3)
                title, title_en = f"{t.core[0][0]}智能分析软件V{version}.0", f"{_cap(t.core[0][1])} analytics software V{version}.0"
            else:
                number = ""
                title, title_en = f"{m}成套技术", f"Technology package: {m_en}"
            trl = {"invention_patent": rng.randint(3, 7), "utility_model": rng.randint(5, 8),
                   "software_copyright": rng.randint(6, 9), "technology_package": rng.randint(6, 9)}[kind]
            modes = tuple(sorted(rng.sample(["licence", "assignment", "equity", "joint_rd"], rng.randint(1, 3))))
            low = rng.choice([5, 10, 20, 30, 50, 80, 100]) * 10_000
            kws = [z for z, _ in t.core] + [z for z, _ in rng.sample(t.kws[2:], 2)]
            desc = (f"本成果针对{p}的问题，研发了{m}，核心关键词：{'、'.join(kws)}。目前技术成熟度为TRL {trl}，"
                    f"已完成{'实验室验证' if trl < 5 else '中试验证' if trl < 7 else '工程示范'}，可应用于{a}。" + FICTIONAL_NOTE)
            desc_en = (f"Addresses {p_en} with {m_en}. Keywords: {', '.join(e for _z, e in t.core)}. "
                       f"Technology readiness level {trl} ({'lab-validated' if trl < 5 else 'pilot-validated' if trl < 7 else 'demonstrated in operation'}); "
                       f"suited to {a_en}. " + FICTIONAL_NOTE_EN)
            co = tuple(q.key for q in rng.sample([q for q in owners if q.key != owner.key], min(len(owners) - 1, rng.randint(0, 2))))
            self.world.achievements.append(AchievementSpec(
                id=f"demo:ach:{i + 1:03d}", kind=kind, owner=owner.key, organization=owner.organization,
                title=title, title_en=title_en, description=desc, description_en=desc_en, number=number, trl=trl,
                transfer_modes=modes, price_min=low, price_max=low * rng.choice((2, 3, 5)), year=year,
                industries=t.industries, disciplines=t.disciplines, keywords=tuple(kws), topic=t.key, co_owners=co,
            ))

    # -- needs ---------------------------------------------------------------------------------------
    def build_needs(self) -> None:
        rng = self.rng
        w = self.world
        k = w.keys
        people_by_topic: dict[str, list[str]] = {}
        for person in w.researchers:
            for person_topic in person.topics:
                people_by_topic.setdefault(person_topic, []).append(person.key)
        ach_by_topic: dict[str, list[str]] = {}
        for ach in w.achievements:
            ach_by_topic.setdefault(ach.topic, []).append(ach.id)
        kinds = ["technical_bottleneck", "technical_bottleneck", "rd_collaboration", "rd_collaboration", "talent",
                 "testing", "consulting"]
        modes_by_kind = {
            "technical_bottleneck": ("joint_rd", "commissioned_rd", "licence"),
            "rd_collaboration": ("joint_rd", "commissioned_rd", "equity"),
            "talent": ("internship", "talent"),
            "testing": ("testing",),
            "consulting": ("consulting",),
        }
        kind_names = {
            "technical_bottleneck": ("技术难题", "Technical bottleneck"),
            "rd_collaboration": ("合作研发", "R&D collaboration"),
            "talent": ("人才需求", "Talent and internships"),
            "testing": ("检测服务", "Testing service"),
            "consulting": ("技术咨询", "Technical consulting"),
        }
        enterprises = [o for o in w.organizations if o.kind == "enterprise"]
        # Both demo enterprises get several needs, including confidential ones; the rest get one or two.
        plan: list[tuple[OrgSpec, str | None, str | None, str | None]] = []  # (org, topic, kind, confidentiality)
        giant = next(o for o in enterprises if o.key == k["little_giant"])
        hengqi = next(o for o in enterprises if o.key == k["zone_enterprise"])
        plan += [
            (giant, "flue_gas", "technical_bottleneck", "public"),
            (giant, "membrane_wastewater", "technical_bottleneck", "brokers"),
            (giant, "membrane_wastewater", "rd_collaboration", "named"),
            (giant, "flue_gas", "talent", "public"),
            (giant, "fault_diagnosis", "consulting", "members"),
            (hengqi, "industrial_robots", "technical_bottleneck", "members"),
            (hengqi, "machine_vision", "rd_collaboration", "named"),
            (hengqi, "industrial_robots", "talent", "public"),
            (hengqi, "machine_vision", "testing", "brokers"),
        ]
        others = [o for o in enterprises if o.key not in (giant.key, hengqi.key)]
        for i, org in enumerate(others):
            plan.append((org, None, None, None))
            if i % 2 == 0:
                plan.append((org, None, None, None))
        plan = plan[:80]
        deadline0 = date(2027, 1, 15)
        for n, (org, topic_key, kind, conf) in enumerate(plan, start=1):
            t = TOPIC_BY_KEY[topic_key or (org.topics[-1] if len(org.topics) > 1 and rng.random() < 0.3 else org.topics[0])]
            kind = kind or rng.choice(kinds)
            conf = conf or rng.choices(["public", "members", "named", "brokers"], weights=[55, 25, 10, 10])[0]
            (p, p_en), (a, a_en) = rng.choice(t.problems), rng.choice(t.applications)
            (m, m_en) = rng.choice(t.methods)
            metric, metric_en = rng.choice(t.metrics)
            extra = rng.sample(t.kws[2:], 2)
            kws = tuple(z for z, _ in t.core) + tuple(z for z, _ in extra)
            core_zh = "、".join(z for z, _ in t.core)
            core_en = " and ".join(e for _z, e in t.core)
            kz, ke = kind_names[kind]
            if kind == "technical_bottleneck":
                title, title_en = f"{p}问题攻关", f"Solving {p_en}"
                desc = (f"我公司在{a}项目中遇到{p}的问题，现有方案的{metric}难以满足客户要求。希望与高校院所围绕"
                        f"{core_zh}开展联合攻关，探索{m}等技术路线，{rng.choice(['一年内完成中试验证', '半年内形成可工程化方案', '两年内实现产业化应用'])}。")
                desc_en = (f"In our {a_en} projects we face {p_en}; the {metric_en} of current solutions falls short of "
                           f"customer requirements. We seek university partners in {core_en} to jointly explore routes "
                           f"such as {m_en}.")
            elif kind == "rd_collaboration":
                title, title_en = f"{m}联合研发", f"Joint development: {m_en}"
                desc = (f"为拓展{a}市场，公司计划开发{m}，需要在{core_zh}及{extra[0][0]}方面具有积累的研究团队共同研发，"
                        f"目标是将{metric}改善{rng.randint(15, 40)}%以上，可共建联合实验室。")
                desc_en = (f"To grow in {a_en} we plan to develop {m_en} and look for a research team experienced in "
                           f"{core_en} and {extra[0][1]}; the target is a {rng.randint(15, 40)}% gain in {metric_en}. "
                           "A joint laboratory is possible.")
            elif kind == "talent":
                title, title_en = f"招募{t.name}方向研究生实习与联合培养", f"Internships and joint training in {t.name_en.lower()}"
                desc = (f"公司长期招收{t.name}方向的研究生实习生，参与{core_zh}相关项目，提供企业导师和实习补贴，"
                        f"优秀者可签约就业；也欢迎教师以科技特派员身份到企业开展{extra[0][0]}方面的工作。")
                desc_en = (f"We take graduate interns in {t.name_en.lower()} to work on {core_en} projects, with an "
                           "industry mentor and a stipend; strong interns may be offered jobs. Faculty are welcome as "
                           f"science commissioners working on {extra[0][1]}.")
            elif kind == "testing":
                title, title_en = f"{t.core[0][0]}{metric}检测与评价", f"Testing and evaluation of {metric_en} in {t.core[0][1]}"
                desc = (f"需委托具备资质的实验室对我公司{t.core[1][0]}相关产品的{metric}进行检测与评价，"
                        f"并就{p}给出分析意见。")
                desc_en = (f"We need an accredited laboratory to test and evaluate the {metric_en} of our "
                           f"{t.core[1][1]} products and to advise on {p_en}.")
            else:
                title, title_en = f"{a}技术路线咨询", f"Consulting on technology routes for {a_en}"
                desc = (f"公司拟布局{a}，希望邀请{core_zh}领域专家就技术路线、{m}的成熟度与知识产权风险提供咨询。")
                desc_en = (f"We are planning to enter {a_en} and would like experts in {core_en} to advise on technology "
                           f"routes, the maturity of {m_en} and IP risks.")
            language = rng.choices(["zh", "bilingual", "en"], weights=[55, 35, 10])[0]
            if language == "en":
                title, desc = title_en, desc_en
            elif language == "zh":
                desc_en = ""
            desc_note = f"【{kz}】" if language != "en" else f"[{ke}] "
            desc = desc_note + desc
            visible: tuple[str, ...] = ()
            if conf == "named":
                visible = (k["academy"],) if org.scenario == "coastal" else (k["applied_university"], "org:yunxiu-im")
                if org.key == k["little_giant"]:
                    visible = (k["academy"], "org:donglan-env")
            budget_low = {"talent": 2, "testing": 1, "consulting": 1}.get(kind, rng.choice((10, 20, 30, 50, 80)))
            budget_low *= 10_000
            owner_login = {k["little_giant"]: "enterprise", k["zone_enterprise"]: "enterprise2"}.get(org.key, "")
            w.needs.append(NeedSpec(
                id=f"demo:need:{n:03d}", kind=kind, organization=org.key, title=title, title_en=title_en,
                description=desc, description_en=desc_en, language=language, industries=org.industries,
                disciplines=t.disciplines, cooperation_modes=modes_by_kind[kind], budget_min=budget_low,
                budget_max=budget_low * rng.choice((2, 3, 4)),
                deadline=deadline0 + timedelta(days=rng.randint(0, 330)), confidentiality=conf, visible_to=visible,
                keywords=kws, topic=t.key, posted_by=owner_login,
                expected_people=tuple(people_by_topic.get(t.key, ())),
                expected_achievements=tuple(ach_by_topic.get(t.key, ())),
            ))

    # -- symposiums ----------------------------------------------------------------------------------
    def build_symposiums(self) -> None:
        w = self.world
        k = w.keys
        people = {p.key: p for p in w.people}
        login_person = {lg.username: lg.person for lg in w.logins if lg.person}
        academy_people = [p.key for p in w.people if p.organization == k["academy"]][:4]
        env_people = [p.key for p in w.people if p.organization == "org:donglan-env" and p.username == ""][:2]
        giant_needs = tuple(n.id for n in w.needs if n.organization == k["little_giant"])[:3]
        coastal_orgs = (k["talent_centre"], k["academy"], k["coastal_bureau"], k["little_giant"], "org:donglan-env",
                        "org:coastal-ent-01", "org:coastal-ent-02", "org:coastal-ent-04")
        coastal_people = (login_person["broker2"], login_person["researcher"], login_person["enterprise"],
                          *academy_people, *env_people)
        a_res, a_ent, a_brk = login_person["researcher"], login_person["enterprise"], login_person["broker2"]
        w.symposiums.append(SymposiumSpec(
            id="demo:meeting:1", scenario="coastal",
            title="青澜新区生态环保装备产业校企合作座谈会",
            title_en="Qinglan New Area symposium on university-enterprise cooperation in environmental equipment",
            date=date(2026, 9, 18), place="东岚大学青澜研究院三楼会议室",
            place_en="Conference room, 3rd floor, Donglan University Qinglan Academy",
            organizer=k["talent_centre"], participants=coastal_people, organizations=coastal_orgs,
            agenda=(
                ("人才招引中心介绍新区人才政策与校企合作平台", "Talent centre presents the area's talent policy and the cooperation platform"),
                ("研究院介绍环保装备方向科研团队与成果", "The academy presents its environmental-equipment teams and results"),
                ("企业代表发布技术需求（烟气超低排放、高盐废水零排放）", "Enterprises present needs (ultra-low flue-gas emission, zero liquid discharge)"),
                ("自由交流与对接", "Open discussion and matchmaking"),
            ),
            minutes=(f"会议由青澜新区人才招引中心主持。{people[a_ent].name}介绍了企业在宽温域SCR脱硝和高盐废水膜污染方面面临的难题；"
                     f"{people[a_res].name}等专家介绍了抗污染复合膜和纳滤-反渗透分盐工艺的研究进展。与会各方认为，"
                     "研究院与区内环保装备企业在技术方向上高度契合，应尽快建立常态化对接机制，以联合攻关项目为牵引推进成果落地。"
                     + FICTIONAL_NOTE),
            minutes_en=(f"Chaired by the Qinglan Talent Recruitment Centre. {people[a_ent].name_en} described the company's "
                        "problems with wide-temperature SCR denitrification and membrane fouling in high-salinity "
                        f"wastewater; {people[a_res].name_en} and colleagues presented work on anti-fouling composite "
                        "membranes and nanofiltration/reverse-osmosis salt separation. Participants agreed that the "
                        "academy's research fits the area's environmental-equipment companies closely and that a "
                        "regular matchmaking mechanism, driven by joint projects, should be set up quickly. "
                        + FICTIONAL_NOTE_EN),
            decisions=(
                ("建立研究院与环保装备企业季度对接机制", "Set up quarterly matchmaking between the academy and environmental-equipment firms"),
                ("围绕高盐废水零排放组建联合攻关团队", "Form a joint team on zero liquid discharge of high-salinity wastewater"),
                ("新区科技局对校企联合项目给予配套支持", "The area's science bureau co-funds joint university-enterprise projects"),
            ),
            action_items=(
                ActionItemSpec("demo:action:1-1", "提交高盐废水零排放联合攻关方案", "Submit a joint plan for zero liquid discharge",
                               a_res, people[a_res].organization, date(2026, 10, 31), "done"),
                ActionItemSpec("demo:action:1-2", "提供中试现场与运行数据", "Provide a pilot site and operating data",
                               a_ent, k["little_giant"], date(2026, 11, 30), "in_progress"),
                ActionItemSpec("demo:action:1-3", "组织第二次季度对接会", "Organise the second quarterly matchmaking meeting",
                               a_brk, k["talent_centre"], date(2026, 12, 20), "open"),
                ActionItemSpec("demo:action:1-4", "汇总区内企业环保技术需求清单", "Compile the area's environmental technology needs",
                               a_brk, k["talent_centre"], date(2027, 1, 15), "open"),
            ),
            related_needs=giant_needs,
        ))
        yx_people = [p.key for p in w.people if p.organization in ("org:yunxiu-im", "org:yunxiu-ei") and not p.username][:4]
        z_brk, z_off, z_stf, z_dean, z_ent = (login_person[u] for u in ("broker", "officer", "staff", "dean", "enterprise2"))
        zone_orgs = (k["innovation_centre"], k["zone_bureau"], k["applied_university"], "org:yunxiu-im", "org:yunxiu-ei",
                     k["zone_enterprise"], "org:zone-ent-01", "org:zone-ent-02", "org:zone-ent-08", k["incubator"], k["investor"])
        w.symposiums.append(SymposiumSpec(
            id="demo:meeting:2", scenario="zone",
            title="玉衡经开区智能制造产教融合与科技成果转化座谈会",
            title_en="Yuheng ETDZ symposium on industry-education integration and technology transfer in intelligent manufacturing",
            date=date(2026, 10, 22), place="玉衡科技创新中心路演厅", place_en="Pitch hall, Yuheng Technology Innovation Centre",
            organizer=k["innovation_centre"], participants=(z_brk, z_off, z_stf, z_dean, z_ent, *yx_people),
            organizations=zone_orgs,
            agenda=(
                ("经开区科技局解读校企合作支持政策", "The zone's science bureau explains support for university-enterprise cooperation"),
                ("云岫科技大学介绍智能制造、电子信息学科专业与可转化成果", "Yunxiu University presents its programmes and transferable results in intelligent manufacturing and electronics"),
                ("企业发布机器视觉检测、柔性装配等需求", "Enterprises present needs in machine-vision inspection and flexible assembly"),
                ("科创中心介绍技术经纪与成果路演安排", "The innovation centre presents brokerage services and pitch events"),
            ),
            minutes=("座谈会由玉衡科技创新中心主办。与会企业普遍反映精密零部件装配一致性差、表面缺陷人工检测漏检率高，"
                     "同时急需机器人工程、智能制造工程专业的实习生。云岫科技大学介绍了视觉引导柔性装配、小样本缺陷检测等成果，"
                     "并提出与企业共建产业学院。经开区科技局表示将对产教融合项目和技术合同登记给予奖补。" + FICTIONAL_NOTE),
            minutes_en=("Hosted by the Yuheng Technology Innovation Centre. Companies reported inconsistent assembly of "
                        "precision parts and high miss rates in manual surface inspection, and an urgent need for interns "
                        "in robotics and intelligent manufacturing. Yunxiu University presented vision-guided flexible "
                        "assembly and few-shot defect detection and proposed an industry college run with companies. The "
                        "zone's science bureau will reward industry-education projects and registered technology "
                        "contracts. " + FICTIONAL_NOTE_EN),
            decisions=(
                ("共建“智能制造产业学院”", "Jointly establish an Intelligent Manufacturing Industry College"),
                ("每学期组织一次企业需求发布与成果路演", "Hold a needs-and-results pitch event every semester"),
                ("建立机器视觉检测联合实验室", "Set up a joint machine-vision inspection laboratory"),
            ),
            action_items=(
                ActionItemSpec("demo:action:2-1", "起草产业学院共建协议", "Draft the industry-college agreement",
                               z_dean, k["dean_college"], date(2026, 11, 30), "in_progress"),
                ActionItemSpec("demo:action:2-2", "梳理可转化成果清单并挂网", "List transferable results and publish them",
                               z_stf, k["applied_university"], date(2026, 11, 15), "done"),
                ActionItemSpec("demo:action:2-3", "提交联合实验室建设需求与场地方案", "Submit requirements and a site plan for the joint laboratory",
                               z_ent, k["zone_enterprise"], date(2026, 12, 31), "open"),
                ActionItemSpec("demo:action:2-4", "发布产教融合项目申报通知", "Publish the call for industry-education projects",
                               z_off, k["zone_bureau"], date(2027, 1, 10), "open"),
                ActionItemSpec("demo:action:2-5", "安排下一次成果路演", "Schedule the next results pitch event",
                               z_brk, k["innovation_centre"], date(2027, 3, 1), "open"),
            ),
            related_needs=tuple(n.id for n in w.needs if n.organization == k["zone_enterprise"])[:3],
        ))

    def build(self) -> World:
        self.build_frame()
        self.build_enterprises()
        self.build_researchers()
        self.build_logins()
        self.build_majors()
        self.build_publications()
        self.build_achievements()
        self.build_needs()
        self.build_symposiums()
        return self.world


def build_world(seed: int = 2026) -> World:
    """Build the demo world. Deterministic: the same seed gives an equal World."""
    return _Builder(seed).build()


__all__ = [
    "AREAS", "DEMO_PASSWORD", "DEMO_USERNAMES", "REFERENCE_DATE", "AchievementSpec", "ActionItemSpec", "LoginSpec", "MajorSpec",
    "NeedSpec", "OrgSpec", "PersonSpec", "PublicationSpec", "SymposiumSpec", "World", "build_world",
]
