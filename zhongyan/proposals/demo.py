"""Demo proposals, reviews and one award, added to the demands module's demo demands.

Idempotent: a solver's proposal to a demand is found by (demand, solver), an award by the
demand's status, so a second run changes nothing. Everything goes through the services, so the
demo carries real receipts and audit entries.

- "Zinc pot dross" (the owner persona's cold-rolling mill): three proposals, including the solver
  persona's; two reviewers score them (a third declares a conflict); the owner awards one rival,
  so the solver persona reads structured feedback.
- "Work-roll wear" and "Slag foaming": proposals still open, for the owners' panels.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.core.content import bilingual
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.demands.permissions import has_accepted_nda
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal, ReviewAssignment, ReviewSubmission

AWARD_DEMAND = "Zinc pot dross formation and suppression in hot-dip galvanising"


@dataclass(frozen=True)
class DemoProposal:
    demand: str  # English title of the demo demand
    solver_org: str  # organisation code; its first owner/admin submits
    approach_zh: str
    approach_en: str
    team_zh: str
    team_en: str
    timeline_zh: str
    timeline_en: str
    budget: int
    deliverables: tuple[str, ...]  # one per indicator, in order
    scores: tuple[int, int]  # what the two demo reviewers give on every criterion
    comment_zh: str = ""  # the first reviewer's overall comment
    second_comment_zh: str = ""  # the second reviewer's comment on the first criterion


PROPOSALS = (
    DemoProposal(
        demand=AWARD_DEMAND,
        solver_org="northeast-university-rolling-lab",
        approach_zh="基于 Fe-Al-Zn 三元相图热力学计算建立底渣析出模型，结合锌锅温度场 CFD 模拟，"
        "给出带钢入锅温度与有效铝含量的联合控制窗口。",
        approach_en="A bottom-dross precipitation model from Fe-Al-Zn thermodynamics, coupled with a CFD model of the "
        "pot temperature field, to give a joint control window for strip entry temperature and effective Al.",
        team_zh="轧制技术及连轧自动化国家重点实验室：教授 1 名、副教授 2 名、博士生 3 名。",
        team_en="State Key Laboratory of Rolling and Automation: one professor, two associate professors, three PhD "
        "students.",
        timeline_zh="第 1–4 月：机理与模型；第 5–8 月：工业试验；第 9–10 月：总结。",
        timeline_en="Months 1–4 mechanism and model; months 5–8 plant trials; months 9–10 report.",
        budget=560_000,
        deliverables=("降级率降至 0.25%", "清渣间隔延长至 8 天"),
        scores=(3, 4),
        comment_zh="机理分析扎实，但工业试验方案偏粗，建议补充在线铝含量测量手段。",
        second_comment_zh="热力学模型可信；CFD 边界条件需用现场测温数据校核。",
    ),
    DemoProposal(
        demand=AWARD_DEMAND,
        solver_org="ustb-metallurgy",
        approach_zh="采用锌液在线取样与 XRF 快速分析，建立有效铝含量软测量模型；配合锌锅感应器功率分区控制，"
        "将锌液温度波动控制在 ±2 ℃ 以内，从源头抑制底渣生成。",
        approach_en="Online bath sampling with fast XRF analysis and a soft sensor for effective Al, plus zoned "
        "control of the pot inductors to hold the bath within ±2 °C and stop bottom dross at the source.",
        team_zh="冶金与生态工程学院涂镀团队，已完成三条热镀锌线的类似项目。",
        team_en="The coating group of the School of Metallurgical and Ecological Engineering, with similar projects "
        "on three galvanising lines.",
        timeline_zh="8 个月，第 3 个月起上线试运行。",
        timeline_en="Eight months, with trial operation from month three.",
        budget=720_000,
        deliverables=("降级率降至 0.2%", "清渣间隔延长至 10 天"),
        scores=(5, 4),
        comment_zh="方案成熟、可落地，已有同类产线业绩。",
        second_comment_zh="温控分区方案具体，XRF 取样频次需与产线节奏匹配。",
    ),
    DemoProposal(
        demand=AWARD_DEMAND,
        solver_org="zhijian-ai",
        approach_zh="利用锌锅表面视觉与温度历史数据训练浮渣预测模型，按预测结果动态安排捞渣。",
        approach_en="Train a top-dross prediction model on pot-surface vision and temperature history, and schedule "
        "dross removal dynamically from its forecasts.",
        team_zh="智检科技算法团队 6 人。",
        team_en="Six engineers of Zhijian Technology's algorithm team.",
        timeline_zh="6 个月。",
        timeline_en="Six months.",
        budget=380_000,
        deliverables=("降级率降至 0.3%", ""),
        scores=(2, 3),
        comment_zh="偏重浮渣预测，对底渣形成机理和工艺窗口回答不足。",
        second_comment_zh="视觉方案有新意，但需说明锌锅高温环境下的相机防护。",
    ),
    DemoProposal(
        demand="Work-roll wear prediction and roll change optimisation",
        solver_org="ustb-metallurgy",
        approach_zh="融合磨床离线测量与轧制过程数据，建立高速钢工作辊磨损与热凸度混合模型，并嵌入轧制计划编排。",
        approach_en="A hybrid wear and thermal-crown model of HSS work rolls from grinder measurements and process "
        "data, built into the rolling schedule planner.",
        team_zh="轧制与数据团队 5 人。",
        team_en="A rolling and data team of five.",
        timeline_zh="10 个月。",
        timeline_en="Ten months.",
        budget=600_000,
        deliverables=("预测误差 ≤ 15 μm", "单辊轧制公里数提高 12%"),
        scores=(4, 4),
    ),
    DemoProposal(
        demand="Slag foaming control in the electric arc furnace",
        solver_org="zhijian-ai",
        approach_zh="基于炉壁振动与电弧谐波信号的泡沫渣高度软测量，闭环调节碳粉和氧气喷吹。",
        approach_en="A soft sensor of foamy slag height from shell vibration and arc harmonics, closing the loop on "
        "carbon and oxygen injection.",
        team_zh="智检科技与电炉工艺专家联合团队。",
        team_en="Zhijian Technology with EAF process experts.",
        timeline_zh="9 个月。",
        timeline_en="Nine months.",
        budget=450_000,
        deliverables=(),
        scores=(3, 3),
    ),
)


def _submitter(organisations: dict[str, Organisation], code: str) -> User | None:
    organisation = organisations.get(code)
    if organisation is None:
        return None
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=("owner", "admin"))
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return membership.user if membership else None


def _manager(demand: Demand) -> User:
    return demand.owner


def _submit(spec: DemoProposal, demand: Demand, solver: User, organisation: Organisation | None) -> Proposal | None:
    existing = Proposal.objects.filter(demand=demand, solver=solver).first()
    if existing is not None:
        return existing
    if not demand.accepts_proposals:
        return None
    if demand.confidentiality == Demand.Confidentiality.NDA and not has_accepted_nda(solver, demand):
        demand_services.accept_nda(actor=solver, demand=demand, organisation=organisation)
    indicators = list(demand.indicators.all())
    content = services.ProposalContent(
        approach=bilingual(zh=spec.approach_zh, en=spec.approach_en),
        team=bilingual(zh=spec.team_zh, en=spec.team_en),
        timeline=bilingual(zh=spec.timeline_zh, en=spec.timeline_en),
        budget=spec.budget,
        deliverables={str(i.pk): text for i, text in zip(indicators, spec.deliverables, strict=False) if text},
        organisation=organisation,
    )
    return services.submit_proposal(actor=solver, demand=demand, content=content)


def _review(demand: Demand, reviewers: list[User], conflicted: User | None, specs: dict[int, DemoProposal]) -> None:
    owner = _manager(demand)
    for index, reviewer in enumerate(reviewers):
        assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
        if assignment.status == ReviewAssignment.Status.PENDING:
            services.declare_conflict(actor=reviewer, assignment=assignment, has_conflict=False)
        criteria = list(services.ensure_rubric(demand).criteria.all())
        for proposal in Proposal.objects.filter(demand=demand).in_evaluation():
            spec = specs.get(proposal.pk)
            if spec is None or ReviewSubmission.objects.filter(assignment=assignment, proposal=proposal).exists():
                continue
            value = spec.scores[index % 2]
            first_criterion_comment = spec.second_comment_zh if index % 2 else ""
            scores = {
                c.public_id: services.ScoreInput(value=value, comment=first_criterion_comment if position == 0 else "")
                for position, c in enumerate(criteria)
            }
            overall = "" if index % 2 else spec.comment_zh
            services.submit_review(actor=reviewer, proposal=proposal, scores=scores, comment=overall)
    if conflicted is not None:
        assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=conflicted)
        if assignment.status == ReviewAssignment.Status.PENDING:
            services.declare_conflict(
                actor=conflicted,
                assignment=assignment,
                has_conflict=True,
                statement="本人曾与其中一家投标单位合作开展锌锅相关研究。",
            )


def _award(demand: Demand, winner_org: Organisation | None) -> None:
    if demand.status in (Demand.Status.AWARDED, Demand.Status.NOT_AWARDED) or winner_org is None:
        return
    winner = Proposal.objects.filter(demand=demand, organisation=winner_org).in_evaluation().first()
    if winner is None:
        return
    # The owner releases every overall comment and keeps the criterion-level remarks internal.
    released = [
        submission.public_id
        for submission in ReviewSubmission.objects.filter(proposal__demand=demand).exclude(comment="")
    ]
    services.award_proposals(actor=_manager(demand), demand=demand, proposals=[winner], released_comments=released)


def load(
    stdout: TextIO | Any,
    demands: list[Demand] | None = None,
    people: dict[str, User] | None = None,
    organisations: dict[str, Organisation] | None = None,
    personas: dict[str, User] | None = None,
) -> list[Proposal]:
    organisations = organisations or {}
    personas = personas or {}
    by_title = {(d.title or {}).get("en", ""): d for d in demands or []}
    result: list[Proposal] = []
    specs_by_proposal: dict[int, DemoProposal] = {}
    for spec in PROPOSALS:
        demand = by_title.get(spec.demand)
        solver = _submitter(organisations, spec.solver_org)
        if demand is None or solver is None:
            continue
        demand.refresh_from_db()
        proposal = _submit(spec, demand, solver, organisations.get(spec.solver_org))
        if proposal is not None:
            result.append(proposal)
            specs_by_proposal[proposal.pk] = spec
    award_demand = by_title.get(AWARD_DEMAND)
    if award_demand is not None and Proposal.objects.filter(demand=award_demand).exists():
        award_demand.refresh_from_db()
        if award_demand.status == Demand.Status.PUBLISHED:
            # Review starts after the deadline: move it back and close, as the scheduled task would.
            Demand.objects.filter(pk=award_demand.pk).update(deadline=timezone.now() - timedelta(hours=1))
            award_demand.refresh_from_db()
            demand_services.close_demand(actor=None, demand=award_demand)
            award_demand.refresh_from_db()
        reviewer = personas.get("reviewer")
        reviewers = [user for user in (reviewer, _expert(organisations, reviewer)) if user is not None]
        conflicted = _submitter(organisations, "corrosion-institute")
        _review(award_demand, reviewers, conflicted, specs_by_proposal)
        _award(award_demand, organisations.get("ustb-metallurgy"))
    stdout.write(f"Proposals: {len(result)} in the demo, with reviews and one award.\n")
    return result


def _expert(organisations: dict[str, Organisation], besides: User | None) -> User | None:
    """A second reviewer: an expert of the central research institute who is not an operator."""
    organisation = organisations.get("central-research-institute")
    if organisation is None:
        return None
    members = User.objects.filter(memberships__organisation=organisation, is_staff=False).order_by("pk")
    if besides is not None:
        members = members.exclude(pk=besides.pk)
    return members.first()
