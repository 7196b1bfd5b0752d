"""Demo organisations for `manage.py load_demo` (issue 2, point 9). Idempotent: each organisation
has a stable `slug`, so running it again updates nothing that exists and creates what is missing.
People and memberships are created by the accounts demo, which calls `load()`."""

from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from zhongyan.core import audit
from zhongyan.core.content import bilingual
from zhongyan.orgs.models import Organisation

Kind = Organisation.Kind


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    kind: str
    name_zh: str
    name_en: str
    city_zh: str
    city_en: str
    description_zh: str
    description_en: str
    website: str = ""
    verified: bool = True


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        "central-research-institute",
        Kind.OPERATOR,
        "中央研究院",
        "Central Research Institute",
        "上海",
        "Shanghai",
        "集团中央研究院，众研平台的运营方。负责平台规则、组织认证、需求审核和创新活动，"
        "并在钢铁冶金、先进材料、智能制造和低碳冶金方向开展前瞻研究。",
        "The group's central research institute and the operator of the Zhongyan platform. It sets the rules, "
        "verifies organisations, reviews demands and runs innovation events, and does forward-looking research "
        "in metallurgy, advanced materials, smart manufacturing and low-carbon steelmaking.",
        "https://research.example.com",
    ),
    DemoOrganisation(
        "baoshan-cold-rolling",
        Kind.BUSINESS_UNIT,
        "宝山基地冷轧厂",
        "Baoshan Cold Rolling Mill",
        "上海宝山",
        "Baoshan, Shanghai",
        "生产汽车外板、家电板和电工钢等高端冷轧产品。关注板形控制、表面质量在线检测、"
        "连续退火炉节能和镀锌线锌耗降低等技术问题。",
        "Produces automotive exposed panels, appliance sheet and electrical steel. Works on flatness control, "
        "online surface inspection, energy saving in continuous annealing and lower zinc consumption on the "
        "galvanising lines.",
    ),
    DemoOrganisation(
        "baoshan-hot-strip",
        Kind.BUSINESS_UNIT,
        "宝山基地热轧厂",
        "Baoshan Hot Strip Mill",
        "上海宝山",
        "Baoshan, Shanghai",
        "拥有多条热连轧产线，产品覆盖管线钢、高强汽车结构钢和耐候钢。重点攻关轧辊寿命、"
        "层流冷却精度以及基于工业大数据的质量预测。",
        "Runs several hot strip mills for pipeline steel, high-strength automotive structural steel and "
        "weathering steel. Focuses on roll life, laminar cooling accuracy and quality prediction from "
        "industrial data.",
    ),
    DemoOrganisation(
        "baoshan-steelmaking",
        Kind.BUSINESS_UNIT,
        "宝山基地炼钢厂",
        "Baoshan Steelmaking Plant",
        "上海宝山",
        "Baoshan, Shanghai",
        "转炉炼钢、炉外精炼和连铸一体化生产。关注转炉终点控制、钢水纯净度、连铸坯表面裂纹，"
        "以及氢基竖炉与电炉短流程的低碳转型。",
        "Integrated converter steelmaking, secondary refining and continuous casting. Interested in converter "
        "end-point control, steel cleanliness, surface cracks on slabs and the low-carbon shift to hydrogen "
        "shaft furnaces and electric arc furnaces.",
    ),
    DemoOrganisation(
        "donghai-automotive",
        Kind.CUSTOMER,
        "东海汽车集团",
        "Donghai Automotive Group",
        "上海嘉定",
        "Jiading, Shanghai",
        "整车制造企业，年产新能源乘用车六十万辆。与钢厂合作开发第三代先进高强钢、热成形钢"
        "和电池包壳体用钢，关注轻量化、碰撞安全和焊接性能。",
        "A carmaker building 600,000 new-energy passenger cars a year. Develops third-generation advanced "
        "high-strength steel, press-hardening steel and battery-enclosure steel with the mills, with a focus "
        "on lightweighting, crash safety and weldability.",
    ),
    DemoOrganisation(
        "jiangnan-shipyard",
        Kind.CUSTOMER,
        "江南长兴造船",
        "Jiangnan Changxing Shipyard",
        "上海长兴岛",
        "Changxing Island, Shanghai",
        "建造大型集装箱船、液化天然气运输船和海洋工程装备。需要大线能量焊接用厚板、"
        "低温韧性钢和耐蚀船板，重视焊接效率和全寿命防腐。",
        "Builds large container ships, LNG carriers and offshore equipment. Needs heavy plate for high "
        "heat-input welding, low-temperature-tough steel and corrosion-resistant ship plate, and cares about "
        "welding productivity and lifetime corrosion protection.",
    ),
    DemoOrganisation(
        "northeast-university-rolling-lab",
        Kind.UNIVERSITY,
        "东北大学轧制技术及连轧自动化国家重点实验室",
        "Northeastern University State Key Laboratory of Rolling and Automation",
        "沈阳",
        "Shenyang",
        "长期从事轧制理论、控轧控冷、板形板厚控制和轧制过程数字孪生研究，多项成果已在国内主要钢厂产线应用。",
        "Long-standing research in rolling theory, thermo-mechanical controlled processing, gauge and flatness "
        "control and digital twins of the rolling process; many results run on the lines of major Chinese mills.",
    ),
    DemoOrganisation(
        "ustb-metallurgy",
        Kind.UNIVERSITY,
        "北京科技大学冶金与生态工程学院",
        "University of Science and Technology Beijing, School of Metallurgical and Ecological Engineering",
        "北京",
        "Beijing",
        "研究方向包括洁净钢冶炼、氢冶金、冶金过程模拟以及固废资源化利用。",
        "Research on clean steel, hydrogen metallurgy, simulation of metallurgical processes and recycling of "
        "solid wastes.",
    ),
    DemoOrganisation(
        "corrosion-institute",
        Kind.INSTITUTE,
        "海洋腐蚀与防护研究所",
        "Institute of Marine Corrosion and Protection",
        "青岛",
        "Qingdao",
        "专注海洋环境下钢结构的腐蚀机理、涂层体系和阴极保护，拥有实海暴露试验站和加速腐蚀实验室。",
        "Studies corrosion of steel structures in marine environments, coating systems and cathodic protection; "
        "runs a sea-exposure test station and an accelerated-corrosion laboratory.",
    ),
    DemoOrganisation(
        "huayao-refractories",
        Kind.SUPPLIER,
        "华耀耐火材料有限公司",
        "Huayao Refractories Co., Ltd.",
        "河南郑州",
        "Zhengzhou, Henan",
        "为转炉、钢包和连铸中间包提供耐火材料及整体承包服务，正在开发长寿命低碳镁碳砖。",
        "Supplies refractories and full-service lining contracts for converters, ladles and tundishes; "
        "developing long-life, low-carbon magnesia-carbon bricks.",
    ),
    DemoOrganisation(
        "ruisi-automation",
        Kind.SUPPLIER,
        "睿思工业自动化",
        "Ruisi Industrial Automation",
        "江苏苏州",
        "Suzhou, Jiangsu",
        "提供轧线过程控制系统、机器视觉表面检测设备和设备状态监测传感器。",
        "Provides process control systems for rolling lines, machine-vision surface inspection and condition-"
        "monitoring sensors for equipment.",
    ),
    DemoOrganisation(
        "qingtan-hydrogen",
        Kind.STARTUP,
        "氢碳未来科技",
        "Qingtan Hydrogen Tech",
        "上海宝山",
        "Baoshan, Shanghai",
        "初创企业，开发用于钢厂的碱性电解水制氢系统和富氢燃气加热炉燃烧器。",
        "A start-up developing alkaline electrolysers for steelworks and burners for hydrogen-rich fuel gas in "
        "reheating furnaces.",
    ),
    DemoOrganisation(
        "zhijian-ai",
        Kind.STARTUP,
        "智检科技",
        "Zhijian AI Inspection",
        "浙江杭州",
        "Hangzhou, Zhejiang",
        "初创团队，用深度学习识别带钢表面缺陷并预测设备故障，已在两条产线试点。",
        "A young team using deep learning to classify strip surface defects and predict equipment failures; "
        "piloting on two production lines.",
        verified=False,
    ),
    DemoOrganisation(
        "wusong-innovation-park",
        Kind.PARK,
        "吴淞口创新园",
        "Wusong Estuary Innovation Park",
        "上海宝山",
        "Baoshan, Shanghai",
        "由老钢厂区改造而成的科技园区，为钢铁产业链上的初创企业提供孵化空间、中试基地、投融资对接和产业化辅导。",
        "A technology park on a former steelworks site, offering start-ups along the steel value chain incubation "
        "space, pilot plants, investor matching and coaching towards production.",
    ),
)


def load(stdout: TextIO | Any) -> dict[str, Organisation]:
    """Create the demo organisations that are missing; return all of them by their code."""
    result: dict[str, Organisation] = {}
    created_count = 0
    with transaction.atomic():
        for demo in ORGANISATIONS:
            verification = Organisation.Verification.VERIFIED if demo.verified else Organisation.Verification.PENDING
            organisation, created = Organisation.objects.get_or_create(
                slug=demo.code,
                defaults={
                    "kind": demo.kind,
                    "name": bilingual(zh=demo.name_zh, en=demo.name_en),
                    "city": bilingual(zh=demo.city_zh, en=demo.city_en),
                    "description": bilingual(zh=demo.description_zh, en=demo.description_en),
                    "website": demo.website,
                    "verification": verification,
                    "verified_at": timezone.now() if demo.verified else None,
                    # The operator's and the park's own demands need no review by themselves.
                    "requires_demand_review": demo.kind not in (Kind.OPERATOR, Kind.PARK),
                },
            )
            if created:
                created_count += 1
                audit.record(None, "org.created", organisation, {"source": "demo", "code": demo.code})
            result[demo.code] = organisation
    stdout.write(f"Organisations: {created_count} created, {len(result) - created_count} already there.\n")
    return result
