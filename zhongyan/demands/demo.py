# ruff: noqa: E501 - demo content reads better unwrapped
"""Demo demands for `manage.py load_demo`: a dozen realistic bilingual steel-industry problems
across fields, confidentiality levels and lifecycle states, with indicators and Q&A.
Idempotent: a demand is found by its organisation and English title and never created twice."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from zhongyan.accounts.models import Field, User
from zhongyan.core.content import bilingual
from zhongyan.demands import services
from zhongyan.demands.models import Demand, NdaTemplate
from zhongyan.demands.nda import BUILT_IN_NDA
from zhongyan.orgs.models import Membership, Organisation


@dataclass(frozen=True)
class DemoDemand:
    org: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    background_zh: str
    background_en: str
    deliverables_zh: str
    deliverables_en: str
    fields: tuple[str, ...]
    budget: tuple[int | None, int | None]
    days: int
    modes: tuple[str, ...]
    ip_terms: str
    confidentiality: str = "public"
    state: str = "published"  # draft, in_review, published, closed, evaluating
    keywords: str = ""
    indicators: tuple[tuple[str, str, str, str], ...] = ()  # zh, en, target, unit
    qa: tuple[tuple[str, str, bool], ...] = field(default=())  # question, answer, public


DEMANDS: tuple[DemoDemand, ...] = (
    DemoDemand(
        org="donghai-automotive",
        title_zh="先进高强汽车板的氢脆敏感性评价与抑制",
        title_en="Hydrogen embrittlement of advanced high-strength automotive sheet",
        summary_zh="1180 MPa 级冷轧 DP/QP 钢在冲压和电泳后出现延迟开裂，需要可靠的氢脆敏感性评价方法和工艺抑制手段。",
        summary_en="Cold-rolled 1180 MPa DP/QP sheet shows delayed cracking after stamping and e-coating; we need a "
        "reliable way to rate hydrogen embrittlement susceptibility and process measures to suppress it.",
        background_zh="2025 年两款车型的 B 柱加强板在总装后 72 小时内出现 3 起延迟开裂。已排查冲压圆角和回弹，怀疑与酸洗、"
        "电镀锌和电泳烘烤过程中的氢吸收有关。现有慢应变速率试验结果分散，无法指导来料验收。",
        background_en="Three delayed cracks of B-pillar reinforcements appeared within 72 hours of assembly on two 2025 "
        "models. Stamping radii and springback have been ruled out; hydrogen uptake during pickling, electro-galvanising "
        "and e-coat baking is suspected. Our slow strain rate tests scatter too much to guide incoming inspection.",
        deliverables_zh="氢脆评价规程（含试样、充氢和判据）；扩散氢与开裂阈值的关系曲线；工艺改进建议及验证报告。",
        deliverables_en="A test procedure (specimen, charging, criteria); diffusible hydrogen vs. cracking threshold "
        "curves; process recommendations with a validation report.",
        fields=("automotive-steel", "cold-rolling", "testing-analysis"),
        budget=(800_000, 1_500_000),
        days=45,
        modes=("joint", "commissioned"),
        ip_terms="non_exclusive_licence",
        confidentiality="nda",
        keywords="氢脆, 延迟开裂, hydrogen embrittlement, DP1180, QP1180",
        indicators=(
            ("扩散氢含量检测下限", "Diffusible hydrogen detection limit", "≤ 0.05", "ppm"),
            (
                "U 型弯曲试样 300 h 无开裂的临界氢含量",
                "Critical hydrogen for no cracking in 300 h U-bend",
                "≥ 0.6",
                "ppm",
            ),
            ("评价结果重复性（变异系数）", "Repeatability of the rating (CV)", "≤ 10", "%"),
        ),
        qa=(
            ("是否可以提供开裂零件的断口样品？", "可以，签署保密协议后提供两件断口样品和冲压工艺卡。", True),
            (
                "Is thermal desorption spectroscopy equipment available on site?",
                "Yes, one TDS unit at the plant lab.",
                True,
            ),
        ),
    ),
    DemoDemand(
        org="baoshan-steelmaking",
        title_zh="电弧炉泡沫渣的在线监测与控制",
        title_en="Slag foaming control in the electric arc furnace",
        summary_zh="150 t 电弧炉泡沫渣高度波动大，电耗和耐材侵蚀偏高，寻求基于声学/谐波信号的在线监测与喷碳闭环控制方案。",
        summary_en="Foamy slag height in our 150 t EAF fluctuates, raising power consumption and refractory wear. We "
        "look for online monitoring from acoustic or harmonic signals and closed-loop carbon injection.",
        background_zh="炉料中废钢比例 85%，直接还原铁 15%。目前依赖操作工经验调整喷碳和吹氧，冶炼周期 48 分钟。",
        background_en="The charge is 85 % scrap and 15 % DRI. Carbon and oxygen injection are adjusted by operators' "
        "experience; tap-to-tap time is 48 minutes.",
        deliverables_zh="监测系统样机、控制模型、三个月工业试验报告。",
        deliverables_en="A monitoring prototype, a control model and a three-month plant trial report.",
        fields=("steelmaking", "automation-control", "energy-environment"),
        budget=(1_200_000, 2_500_000),
        days=60,
        modes=("joint",),
        ip_terms="exclusive_transfer",
        keywords="泡沫渣, EAF, slag foaming, 电弧炉",
        indicators=(
            ("吨钢电耗降低", "Reduction of electric energy per tonne", "≥ 15", "kWh/t"),
            ("泡沫渣高度识别准确率", "Accuracy of slag height recognition", "≥ 90", "%"),
        ),
        qa=(("能否获取电极电流和电压的高频数据？", "可以，采样频率 10 kHz，提供近一年历史数据。", True),),
    ),
    DemoDemand(
        org="baoshan-hot-strip",
        title_zh="热轧带钢板形预测模型",
        title_en="Strip flatness prediction in hot rolling",
        summary_zh="基于精轧过程数据预测带钢出口板形（浪形），提前调整弯辊与窜辊，减少平整工序返修。",
        summary_en="Predict exit flatness (waviness) of hot strip from finishing mill data, so bending and shifting "
        "can be corrected in time and fewer coils need re-levelling.",
        background_zh="2250 mm 热连轧线，七机架精轧。现有板形仪仅在出口测量，反馈滞后，薄规格边浪缺陷率 2.1%。",
        background_en="A 2250 mm hot strip mill with seven finishing stands. The flatness meter only measures at the exit, "
        "so feedback lags; edge waves affect 2.1 % of thin-gauge coils.",
        deliverables_zh="可部署的预测模型及接口、模型说明书、上线运行三个月效果评估。",
        deliverables_en="A deployable prediction model with an interface, its documentation and a three-month evaluation "
        "in production.",
        fields=("hot-rolling", "industrial-ai-data"),
        budget=(500_000, 1_000_000),
        days=40,
        modes=("commissioned", "joint"),
        ip_terms="non_exclusive_licence",
        keywords="板形, flatness, 机器学习, digital twin",
        indicators=(
            ("板形预测误差（I 单位）", "Flatness prediction error", "≤ 5", "I-Unit"),
            ("薄规格边浪缺陷率", "Edge wave rate on thin gauges", "≤ 1.0", "%"),
        ),
        qa=(
            (
                "Which data historian do you use, and can models run on premises only?",
                "PI System; yes, on premises only.",
                True,
            ),
        ),
    ),
    DemoDemand(
        org="baoshan-cold-rolling",
        title_zh="热镀锌锌锅底渣的形成机理与抑制",
        title_en="Zinc pot dross formation and suppression in hot-dip galvanising",
        summary_zh="汽车外板热镀锌线锌锅底渣和浮渣导致锌粒缺陷，需要揭示形成机理并给出铝含量与温度的控制窗口。",
        summary_en="Bottom and top dross in the zinc pot of our automotive exposed-panel galvanising line cause dross "
        "pick-up defects; we need the formation mechanism and a control window for Al content and temperature.",
        background_zh="锌液温度 460 ℃，有效铝 0.20%，带钢入锅温度 465–475 ℃。每周清渣两次，停机损失显著。",
        background_en="Bath at 460 °C with 0.20 % effective Al; strip entry 465–475 °C. Dross is removed twice a week at "
        "a significant downtime cost.",
        deliverables_zh="机理研究报告、控制工艺窗口、在线铝含量预测工具。",
        deliverables_en="A mechanism report, a process control window and an online Al content predictor.",
        fields=("coating-surface", "cold-rolling"),
        budget=(300_000, 800_000),
        days=30,
        modes=("commissioned", "consulting"),
        ip_terms="solver_keeps",
        keywords="锌渣, dross, 热镀锌, galvanising",
        indicators=(
            ("锌粒缺陷导致的降级率", "Downgrade rate from dross defects", "≤ 0.3", "%"),
            ("清渣间隔", "Interval between dross removals", "≥ 7", "d"),
        ),
    ),
    DemoDemand(
        org="baoshan-hot-strip",
        title_zh="精轧工作辊磨损预测与换辊优化",
        title_en="Work-roll wear prediction and roll change optimisation",
        summary_zh="建立精轧工作辊磨损与热凸度模型，优化轧制计划和换辊周期，延长单辊轧制公里数。",
        summary_en="Model wear and thermal crown of finishing work rolls to optimise rolling schedules and roll changes "
        "and extend the rolled length per campaign.",
        background_zh="高速钢工作辊，平均每 4.5 小时换辊一次。磨床离线测量数据完整，但尚未与轧制计划联动。",
        background_en="High-speed steel work rolls are changed every 4.5 hours on average. Offline grinder measurements "
        "are complete but not linked to the rolling schedule.",
        deliverables_zh="磨损模型、排程优化工具、试用报告。",
        deliverables_en="A wear model, a scheduling tool and a trial report.",
        fields=("hot-rolling", "equipment-reliability", "industrial-ai-data"),
        budget=(400_000, 700_000),
        days=50,
        modes=("commissioned",),
        ip_terms="non_exclusive_licence",
        keywords="轧辊磨损, roll wear, 换辊",
        indicators=(
            ("磨损预测误差", "Wear prediction error", "≤ 20", "μm"),
            ("单辊轧制公里数提高", "Increase of rolled length per campaign", "≥ 10", "%"),
        ),
    ),
    DemoDemand(
        org="jiangnan-shipyard",
        title_zh="沿海桥梁耐候钢的腐蚀行为与寿命评估",
        title_en="Corrosion of weathering steel in coastal bridges",
        summary_zh="评估耐候钢在高氯离子沿海大气中的锈层稳定性，给出免涂装适用边界和 100 年寿命预测方法。",
        summary_en="Assess rust layer stability of weathering steel in chloride-rich coastal air, define where unpainted "
        "use is acceptable and a method to predict a 100-year service life.",
        background_zh="拟建跨海大桥距海岸线 800 m，年均氯离子沉积率 0.3 mg/(100 cm²·d)。现行规范对沿海环境适用性界定不清。",
        background_en="A planned sea-crossing bridge sits 800 m from the shore with 0.3 mg/(100 cm²·d) chloride "
        "deposition. Current codes are unclear about coastal use.",
        deliverables_zh="暴露试验方案与数据、腐蚀速率模型、设计建议。",
        deliverables_en="An exposure test plan with data, a corrosion rate model and design recommendations.",
        fields=("corrosion-protection", "shipbuilding-energy-steel", "testing-analysis"),
        budget=(600_000, 1_200_000),
        days=75,
        modes=("joint", "consulting"),
        ip_terms="solver_keeps",
        keywords="耐候钢, weathering steel, 氯离子, chloride",
        indicators=(
            ("稳定锈层形成后的腐蚀速率", "Corrosion rate after a stable rust layer forms", "≤ 10", "μm/a"),
            ("寿命预测置信度", "Confidence of life prediction", "≥ 90", "%"),
        ),
        qa=(("是否已有现场挂片数据？", "有两年的挂片数据，接受邀请后可共享。", False),),
    ),
    DemoDemand(
        org="baoshan-steelmaking",
        title_zh="转炉出钢口耐火材料寿命提升",
        title_en="Longer life of BOF taphole refractories",
        summary_zh="300 t 转炉出钢口平均寿命 180 炉，更换影响生产节奏，寻求新型材料或修补工艺。",
        summary_en="Tapholes of our 300 t BOFs last 180 heats on average and their replacement disrupts production; we "
        "look for new materials or repair practice.",
        background_zh="现用镁碳质出钢口砖，失效形式以扩径和剥落为主。",
        background_en="Magnesia-carbon taphole sleeves fail mainly by bore widening and spalling.",
        deliverables_zh="材料或工艺方案、工业试验。",
        deliverables_en="A material or process solution and a plant trial.",
        fields=("refractories", "steelmaking"),
        budget=(200_000, 500_000),
        days=35,
        modes=("commissioned", "prize"),
        ip_terms="non_exclusive_licence",
        keywords="出钢口, taphole, 镁碳砖",
        indicators=(("出钢口平均寿命", "Average taphole life", "≥ 260", "heats"),),
    ),
    DemoDemand(
        org="baoshan-cold-rolling",
        title_zh="冷轧带钢表面缺陷智能检测",
        title_en="Intelligent detection of surface defects on cold-rolled strip",
        summary_zh="汽车外板对表面缺陷要求严苛，现有检测系统误报率高，需要更准确的缺陷识别算法。",
        summary_en="Exposed automotive panels allow almost no surface defects; our inspection system raises too many "
        "false alarms and needs a more accurate classifier.",
        background_zh="线速度 1200 m/min，现有系统 40 类缺陷，误报率 18%，漏检主要为轻微辊印。",
        background_en="Line speed 1200 m/min; 40 defect classes; 18 % false alarms; misses are mainly faint roll marks.",
        deliverables_zh="分类模型及部署方案、标注数据集管理工具。",
        deliverables_en="A classification model with deployment, and a tool to manage the labelled data set.",
        fields=("cold-rolling", "industrial-ai-data", "testing-analysis"),
        budget=(300_000, 600_000),
        days=25,
        modes=("commissioned",),
        ip_terms="exclusive_transfer",
        confidentiality="internal",
        keywords="表面缺陷, surface inspection, 深度学习",
        indicators=(
            ("误报率", "False alarm rate", "≤ 5", "%"),
            ("辊印检出率", "Roll mark detection rate", "≥ 95", "%"),
        ),
    ),
    DemoDemand(
        org="baoshan-steelmaking",
        title_zh="富氢碳循环高炉喷吹煤气的燃烧模拟",
        title_en="Combustion of injected hydrogen-rich gas in the blast furnace raceway",
        summary_zh="评估风口喷吹焦炉煤气和氢气对风口回旋区燃烧和炉况的影响，支撑低碳冶炼试验。",
        summary_en="Assess how injecting coke oven gas and hydrogen through the tuyeres affects raceway combustion and "
        "furnace operation, in support of low-carbon trials.",
        background_zh="2500 m³ 高炉计划开展喷吹试验，需要数值模拟确定喷吹量上限和风温匹配。",
        background_en="A 2500 m³ blast furnace will run injection trials; simulation must set the injection limit and "
        "the matching blast temperature.",
        deliverables_zh="CFD 模型、模拟报告、试验方案建议。",
        deliverables_en="A CFD model, a simulation report and trial recommendations.",
        fields=("ironmaking", "low-carbon-hydrogen"),
        budget=(400_000, 900_000),
        days=20,
        modes=("commissioned", "joint"),
        ip_terms="non_exclusive_licence",
        confidentiality="nda",
        state="closed",
        keywords="富氢, hydrogen injection, 高炉, CFD",
        indicators=(("吨铁 CO₂ 减排", "CO₂ reduction per tonne of hot metal", "≥ 10", "%"),),
    ),
    DemoDemand(
        org="jiangnan-shipyard",
        title_zh="大线能量焊接船板热影响区韧性",
        title_en="HAZ toughness of ship plate under high heat input welding",
        summary_zh="EH40 船板在 400 kJ/cm 电气立焊下热影响区冲击韧性不稳定，寻求钢种成分与焊接工艺的联合优化。",
        summary_en="EH40 ship plate shows unstable HAZ impact toughness under 400 kJ/cm electrogas welding; we look for "
        "joint optimisation of steel chemistry and welding practice.",
        background_zh="-40 ℃ 冲击功要求 ≥ 47 J，现有批次合格率 82%。",
        background_en="Impact energy at -40 °C must be ≥ 47 J; 82 % of current batches pass.",
        deliverables_zh="成分与工艺建议、焊接试验报告。",
        deliverables_en="Chemistry and process recommendations with a welding test report.",
        fields=("welding-joining", "shipbuilding-energy-steel"),
        budget=(500_000, 1_000_000),
        days=15,
        modes=("joint",),
        ip_terms="non_exclusive_licence",
        state="evaluating",
        keywords="大线能量焊接, high heat input welding, HAZ, EH40",
        indicators=(("-40 ℃ 冲击功合格率", "Pass rate of -40 °C impact energy", "≥ 98", "%"),),
    ),
    DemoDemand(
        org="donghai-automotive",
        title_zh="热成形钢零件的激光拼焊接头软化",
        title_en="Softening of laser-welded joints in press-hardened parts",
        summary_zh="铝硅镀层热成形钢激光拼焊板淬火后焊缝区域出现软化和铁素体，影响碰撞性能。",
        summary_en="Laser tailor-welded Al-Si coated press-hardening steel shows softening and ferrite in the weld "
        "after quenching, which hurts crash performance.",
        background_zh="正在评估去除镀层与填丝两种方案，需要外部专家对比。",
        background_en="Coating ablation and filler wire are being compared; we need an outside expert's view.",
        deliverables_zh="对比试验与推荐方案。",
        deliverables_en="Comparative tests and a recommendation.",
        fields=("welding-joining", "automotive-steel", "heat-treatment"),
        budget=(200_000, 400_000),
        days=40,
        modes=("consulting",),
        ip_terms="solver_keeps",
        state="in_review",
        keywords="热成形, press hardening, 激光拼焊, tailor welded blank",
    ),
    DemoDemand(
        org="baoshan-hot-strip",
        title_zh="层流冷却水量的能耗优化",
        title_en="Energy optimisation of laminar cooling water",
        summary_zh="在保证卷取温度命中率的前提下，降低层流冷却泵站能耗。",
        summary_en="Reduce the energy of the laminar cooling pump station while keeping coiling temperature on target.",
        background_zh="草稿：数据整理中。",
        background_en="Draft: data are being collected.",
        deliverables_zh="",
        deliverables_en="",
        fields=("hot-rolling", "energy-environment"),
        budget=(None, 300_000),
        days=90,
        modes=("commissioned",),
        ip_terms="non_exclusive_licence",
        state="draft",
        keywords="层流冷却, laminar cooling",
    ),
)


def _manager_of(organisation: Organisation) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=("owner", "admin"))
        .select_related("user")
        .order_by("role", "created_at")
        .first()
    )
    return membership.user if membership else None


def _solvers(people: dict[str, User], owner_org: Organisation) -> list[User]:
    members = set(Membership.objects.filter(organisation=owner_org).values_list("user_id", flat=True))
    return [user for user in people.values() if user.pk not in members and not user.is_staff]


def _ensure_nda_template(operator: User) -> None:
    if not NdaTemplate.objects.exists():
        services.save_nda_template(actor=operator, title="Standard NDA / 标准保密协议", text=dict(BUILT_IN_NDA))


def _create(spec: DemoDemand, organisation: Organisation, owner: User, operator: User) -> Demand:
    fields = list(Field.objects.filter(code__in=spec.fields))
    actor = owner if Membership.objects.filter(user=owner, organisation=organisation).exists() else operator
    demand = services.create_demand(
        actor=actor if organisation.is_verified else operator,
        organisation=organisation,
        owner=owner,
        title=bilingual(zh=spec.title_zh, en=spec.title_en),
        summary=bilingual(zh=spec.summary_zh, en=spec.summary_en),
        background=bilingual(zh=spec.background_zh, en=spec.background_en),
        deliverables=bilingual(zh=spec.deliverables_zh, en=spec.deliverables_en),
        keywords=spec.keywords,
        fields=fields,
        budget_min=spec.budget[0],
        budget_max=spec.budget[1],
        deadline=timezone.now() + timedelta(days=spec.days),
        modes=list(spec.modes),
        ip_terms=spec.ip_terms,
        confidentiality=spec.confidentiality,
        indicators=[{"name": bilingual(zh=zh, en=en), "target": t, "unit": u} for zh, en, t, u in spec.indicators],
    )
    if spec.state == "draft":
        return demand
    services.submit_demand(actor=owner, demand=demand)
    if spec.state == "in_review":
        return demand
    if demand.status == Demand.Status.IN_REVIEW:
        services.approve_demand(actor=operator, demand=demand)
    if spec.state in ("closed", "evaluating"):
        # The deadline passed: move it back and let the system close it, as the scheduled task would.
        Demand.objects.filter(pk=demand.pk).update(deadline=timezone.now() - timedelta(days=1))
        demand.refresh_from_db()
        services.close_demand(actor=None, demand=demand)
    if spec.state == "evaluating":
        services.start_evaluation(actor=owner, demand=demand)
    return demand


def _questions(spec: DemoDemand, demand: Demand, solvers: list[User], owner: User) -> None:
    if not demand.accepts_proposals:
        return
    for index, (question_text, answer_text, public) in enumerate(spec.qa):
        asker = solvers[index % len(solvers)]
        if demand.confidentiality == Demand.Confidentiality.NDA and not demand.nda_acceptances.filter(user=asker):
            organisation = Organisation.objects.filter(memberships__user=asker).first()
            services.accept_nda(actor=asker, demand=demand, organisation=organisation)
        if demand.confidentiality == Demand.Confidentiality.INTERNAL:
            continue
        question = services.ask_question(actor=asker, demand=demand, body=question_text, is_public=public)
        services.answer_question(actor=owner, question=question, answer=answer_text)


def load(
    stdout: TextIO | Any,
    orgs: dict[str, Organisation] | None = None,
    people: dict[str, User] | None = None,
    organisations: dict[str, Organisation] | None = None,
    personas: dict[str, User] | None = None,
) -> list[Demand]:
    """Create the demo demands that are missing; return all of them."""
    orgs = orgs or organisations or {}
    people = people or {}
    personas = personas or {}
    operator = personas.get("operator") or User.objects.filter(is_staff=True).order_by("pk").first()
    if operator is None:
        stdout.write("Demands: skipped, no operator to approve them.\n")
        return []
    _ensure_nda_template(operator)
    result: list[Demand] = []
    created = 0
    for spec in DEMANDS:
        organisation = orgs.get(spec.org)
        if organisation is None:
            continue
        existing = Demand.objects.filter(organisation=organisation, title__en=spec.title_en).first()
        if existing is not None:
            result.append(existing)
            continue
        owner = _manager_of(organisation) or operator
        demand = _create(spec, organisation, owner, operator)
        solvers = _solvers(people, organisation)
        if solvers:
            _questions(spec, demand, solvers, owner)
        result.append(demand)
        created += 1
    stdout.write(f"Demands: {created} created, {len(result) - created} already there.\n")
    return result
