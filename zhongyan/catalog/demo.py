"""Demo catalogue: technologies, patents and shared facilities offered by the demo partners."""

from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction

from zhongyan.accounts.models import Field, User
from zhongyan.catalog.models import Offering
from zhongyan.catalog.services import search_text_of
from zhongyan.core import audit
from zhongyan.orgs.models import Organisation

K, IP, L = Offering.Kind, Offering.IpStatus, Offering.Licensing


@dataclass(frozen=True)
class DemoOffering:
    org: str
    kind: str
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    trl: int | None
    ip: str
    licensing: str
    fields: tuple[str, ...]
    keywords: str = ""


OFFERINGS: tuple[DemoOffering, ...] = (
    DemoOffering(
        "zhijian-ai",
        K.TECHNOLOGY,
        "基于深度学习的带钢表面缺陷在线检测系统",
        "Deep-learning inline strip surface inspection",
        "多相机线阵成像与卷积网络识别划伤、辊印、夹杂等40余类缺陷，检出率98%以上，已在两条冷轧线运行。",
        "Line-scan cameras and a convolutional network classify over 40 defect types (scratches, roll marks, "
        "inclusions) with a detection rate above 98%; running on two cold-rolling lines.",
        8,
        IP.SOFTWARE,
        L.NON_EXCLUSIVE,
        ("industrial-ai-data", "cold-rolling", "testing-analysis"),
        "表面检测, 缺陷识别",
    ),
    DemoOffering(
        "ustb-metallurgy",
        K.PATENT,
        "高炉富氧喷煤燃烧强化方法",
        "Oxygen-enriched pulverized coal injection for blast furnaces",
        "通过氧煤枪结构与喷吹参数优化强化风口回旋区煤粉燃烧，可提高喷煤比20 kg/t、降低焦比。",
        "A lance design and injection settings that intensify coal combustion in the raceway, raising the PCI rate "
        "by 20 kg/t and lowering the coke rate.",
        6,
        IP.GRANTED,
        L.EXCLUSIVE,
        ("ironmaking", "energy-environment"),
        "喷煤, 焦比",
    ),
    DemoOffering(
        "northeast-university-rolling-lab",
        K.ACHIEVEMENT,
        "冷连轧机颤振在线监测与抑制",
        "Online chatter monitoring and suppression for tandem cold mills",
        "基于振动频谱的三倍频程颤振早期识别与速度自适应抑制策略，减少断带和厚度超差。",
        "Early detection of third-octave chatter from vibration spectra and speed-adaptive suppression, reducing "
        "strip breaks and gauge deviations.",
        7,
        IP.PENDING,
        L.JOINT,
        ("cold-rolling", "equipment-reliability", "automation-control"),
        "颤振, 振动监测",
    ),
    DemoOffering(
        "qingtan-hydrogen",
        K.TECHNOLOGY,
        "氢基竖炉直接还原中试技术",
        "Hydrogen shaft-furnace direct reduction (pilot scale)",
        "以富氢气体还原球团生产直接还原铁，吨铁二氧化碳排放较高炉流程降低50%以上。",
        "Hydrogen-rich gas reduces pellets to DRI, cutting CO2 per tonne of iron by more than half against the "
        "blast-furnace route.",
        5,
        IP.GRANTED,
        L.JOINT,
        ("low-carbon-hydrogen", "ironmaking"),
        "氢冶金, 直接还原",
    ),
    DemoOffering(
        "corrosion-institute",
        K.LAB,
        "海洋大气腐蚀暴露试验站",
        "Marine atmospheric corrosion exposure station",
        "拥有海岸暴露架与盐雾、干湿交替加速腐蚀设备，可开展船舶与海工用钢耐蚀性评价。",
        "Coastal exposure racks plus salt-spray and cyclic wet-dry chambers for corrosion testing of ship and "
        "offshore steels.",
        None,
        IP.NONE,
        L.SERVICE,
        ("corrosion-protection", "testing-analysis", "shipbuilding-energy-steel"),
    ),
    DemoOffering(
        "ustb-metallurgy",
        K.EQUIPMENT,
        "热模拟试验机 Gleeble 3800",
        "Gleeble 3800 thermo-mechanical simulator",
        "可模拟热轧、焊接热循环与连续退火工艺，按小时预约使用，提供数据处理服务。",
        "Simulates hot rolling, weld thermal cycles and continuous annealing; booked by the hour with data "
        "processing available.",
        None,
        IP.NONE,
        L.SERVICE,
        ("hot-rolling", "heat-treatment", "welding-joining"),
    ),
)


def load(stdout: TextIO | Any, organisations: dict[str, Organisation] | None = None, **_: Any) -> list[Offering]:
    """Create the demo catalogue entries that are missing; return all of them."""
    organisations = organisations or {}
    author = User.objects.filter(is_staff=True).order_by("pk").first()
    if author is None:
        stdout.write("Catalogue: skipped, no operator.\n")
        return []
    result, created = [], 0
    with transaction.atomic():
        for spec in OFFERINGS:
            organisation = organisations.get(spec.org)
            if organisation is None:
                continue
            existing = Offering.objects.filter(organisation=organisation, title__en=spec.title_en).first()
            if existing is not None:
                result.append(existing)
                continue
            offering = Offering(
                organisation=organisation,
                created_by=author,
                kind=spec.kind,
                title={"zh-hans": spec.title_zh, "en": spec.title_en},
                description={"zh-hans": spec.text_zh, "en": spec.text_en},
                trl=spec.trl,
                ip_status=spec.ip,
                licensing=spec.licensing,
                keywords=spec.keywords,
            )
            offering.search_text = search_text_of(offering)
            offering.save()
            offering.fields.set(Field.objects.filter(code__in=spec.fields))
            audit.record(None, "catalog.offering_created", offering, {"source": "demo"})
            result.append(offering)
            created += 1
    stdout.write(f"Catalogue: {created} entries created, {len(result) - created} already there.\n")
    return result
