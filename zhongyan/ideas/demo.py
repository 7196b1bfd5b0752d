# ruff: noqa: E501 - demo content reads better unwrapped
"""Demo idea campaigns for `manage.py load_demo`: two campaigns with bilingual ideas, comments,
votes and evaluations. Idempotent: a campaign is found by its key, an idea by its campaign and
English title, and only what is missing is created (through the services, so it is audited)."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from zhongyan.accounts.models import Field, User
from zhongyan.core.content import bilingual
from zhongyan.ideas import permissions, services
from zhongyan.ideas.models import Campaign, Idea


@dataclass(frozen=True)
class DemoIdea:
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    stage: int = 0
    votes: int = 3
    comments: tuple[tuple[str, str], ...] = ()  # (author persona or "any", text)
    scores: tuple[int, ...] = ()  # the expert's score per criterion; empty for no evaluation
    promote: bool = False  # promoted to a draft demand of the operator's organisation


LOW_CARBON: tuple[DemoIdea, ...] = (
    DemoIdea(
        "高炉风口喷吹富氢焦炉煤气",
        "Coke-oven gas injection at the blast furnace tuyeres",
        "把富氢焦炉煤气经预热后从风口喷入高炉，部分替代煤粉，降低焦比和吨铁二氧化碳排放。需要与燃气、耐材和炉况诊断团队协作。",
        "Preheat hydrogen-rich coke-oven gas and inject it at the tuyeres to replace part of the pulverised coal, cutting the coke rate and CO2 per tonne of hot metal. Needs gas, refractory and furnace diagnosis teams together.",
        stage=3,
        votes=9,
        comments=(
            ("solver", "我们实验室有风口回旋区数值模拟模型，可以评估喷吹量上限。"),
            ("any", "Watch the flame temperature: hydrogen lowers the raceway adiabatic flame temperature."),
        ),
        scores=(5, 4, 4, 5),
    ),
    DemoIdea(
        "钢渣碳酸化固定二氧化碳并制备建材",
        "Carbonating steel slag to capture CO2 and make building materials",
        "利用转炉钢渣中的游离氧化钙吸收烟气中的二氧化碳，同时消除钢渣体积不稳定问题，产物用于路基和砌块。",
        "Use the free lime in BOF slag to absorb CO2 from flue gas, which also removes the slag's volume instability; the product goes into road base and blocks.",
        stage=4,
        votes=7,
        comments=(("any", "和建材公司合作的话，需要先确认产品标准。"),),
        scores=(4, 4, 5, 4),
        promote=True,
    ),
    DemoIdea(
        "轧钢加热炉余热驱动有机朗肯循环发电",
        "Organic Rankine cycle on reheating furnace waste heat",
        "加热炉烟气经换热后仍有 250℃ 左右，可用有机朗肯循环发电，和能源管理中心的调度结合。",
        "Reheating furnace flue gas still leaves at about 250 °C after the recuperator; an organic Rankine cycle could generate power, dispatched with the energy management centre.",
        stage=2,
        votes=4,
    ),
    DemoIdea(
        "Green hydrogen from the park's rooftop solar for the annealing line",
        "Green hydrogen from the park's rooftop solar for the annealing line",
        "",
        "Electrolyse water with rooftop solar power to supply the hydrogen of the continuous annealing line's protective atmosphere.",
        stage=1,
        votes=2,
    ),
)

HOT_STRIP: tuple[DemoIdea, ...] = (
    DemoIdea(
        "基于轧制过程数据的带钢凸度预测模型",
        "Strip crown prediction from rolling process data",
        "用精轧机组的轧制力、弯辊力、温度和轧辊磨损数据训练模型，提前预测出口凸度并给出弯辊设定建议。",
        "Train a model on finishing-mill roll force, bending force, temperature and roll wear data to predict exit crown and suggest bending set-points ahead of time.",
        stage=3,
        votes=8,
        comments=(("solver", "可以把物理模型作为特征，提升外推能力。"), ("any", "数据采样频率需要统一。")),
        scores=(4, 5, 4, 3),
    ),
    DemoIdea(
        "精轧机组颤振的早期识别",
        "Early detection of chatter in the finishing mill",
        "在机架上加装振动传感器，用频谱特征和异常检测在颤振发生前报警。",
        "Add vibration sensors to the stands and raise an alarm before chatter develops, using spectral features and anomaly detection.",
        stage=1,
        votes=5,
    ),
    DemoIdea(
        "层流冷却的强化学习控制",
        "Reinforcement learning control of laminar cooling",
        "在数字孪生上训练强化学习策略，控制层流冷却集管开闭，使卷取温度更稳。",
        "Train a reinforcement learning policy on a digital twin to switch laminar cooling headers so coiling temperature holds steadier.",
        stage=0,
        votes=3,
    ),
)


def _fields(*codes: str) -> list[Field]:
    return list(Field.objects.filter(code__in=codes))


def _person(people: dict[str, User], personas: dict[str, User], key: str) -> User | None:
    return personas.get(key) or next((user for user in people.values() if user.email.startswith(f"{key}@")), None)


def _campaign(slug: str, actor: User, **values: Any) -> tuple[Campaign, bool]:
    existing = Campaign.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    return services.create_campaign(
        actor=actor, slug=slug, opens_at=now - timedelta(days=14), closes_at=now + timedelta(days=60), **values
    ), True


def _ideas(
    stdout: TextIO,
    campaign: Campaign,
    specs: tuple[DemoIdea, ...],
    authors: list[User],
    crowd: list[User],
    personas: dict[str, User],
    operator: User,
    expert: User | None,
) -> int:
    created = 0
    stages = list(campaign.stages.order_by("position"))
    criteria = list(campaign.criteria.order_by("position"))
    for number, spec in enumerate(specs):
        if Idea.objects.filter(campaign=campaign, title__en=spec.title_en).exists():
            continue
        author = authors[number % len(authors)]
        idea = services.create_idea(
            actor=author,
            campaign=campaign,
            title=bilingual(zh=spec.title_zh if spec.title_zh != spec.title_en else "", en=spec.title_en),
            description=bilingual(zh=spec.text_zh, en=spec.text_en),
            fields=list(campaign.fields.all()),
            submit=True,
        )
        created += 1
        voters = [user for user in crowd if permissions.can_vote(user, idea)][: spec.votes]
        for voter in voters:
            services.cast_vote(actor=voter, idea=idea)
        for turn, (who, text) in enumerate(spec.comments):
            commenter = personas.get(who) if who != "any" else None
            if commenter is None or not permissions.can_comment(commenter, idea):
                commenter = voters[-1 - turn] if len(voters) > turn else operator
            services.post_comment(actor=commenter, idea=idea, body=text)
        if spec.scores and expert is not None and permissions.can_evaluate_idea(expert, idea):
            services.evaluate_idea(
                actor=expert,
                idea=idea,
                scores={criterion.pk: score for criterion, score in zip(criteria, spec.scores, strict=False)},
                note="演示评审笔记 / demo note",
            )
        if spec.stage:
            idea.refresh_from_db()
            target = stages[min(spec.stage, len(stages) - 2)]
            if idea.stage_id != target.pk:
                services.advance_idea(actor=operator, idea=idea, stage=target)
        organisation = services.promotion_organisations(operator).filter(memberships__user=operator).first()
        if spec.promote and organisation is not None and permissions.can_promote_idea(operator, idea):
            services.promote_idea(actor=operator, idea=idea, organisation=organisation)
    stdout.write(f"Ideas in {campaign}: {created} created.\n")
    return created


def load(
    stdout: TextIO,
    organisations: dict[str, Any] | None = None,
    people: dict[str, User] | None = None,
    personas: dict[str, User] | None = None,
) -> dict[str, Campaign]:
    people, personas = people or {}, personas or {}
    operator = _person(people, personas, "operator") or User.objects.filter(is_staff=True).first()
    if operator is None:
        stdout.write("No operator: the idea campaigns are skipped.\n")
        return {}
    expert = _person(people, personas, "reviewer")
    moderator = _person(people, personas, "owner")
    contributor = _person(people, personas, "contributor")
    solver = _person(people, personas, "solver")
    experts = [user for user in (expert,) if user]
    low_carbon, _new = _campaign(
        "demo-low-carbon",
        operator,
        title=bilingual(zh="低碳冶金跨领域创意征集", en="Low-carbon metallurgy across fields"),
        description=bilingual(
            zh="面向集团员工和合作伙伴，征集氢冶金、碳捕集利用、余热余能和绿色电力等方向的跨领域创意。优秀创意将转化为技术需求，对接高校、院所和供应商。",
            en="Employees and partners are invited to propose cross-field ideas on hydrogen metallurgy, carbon capture and use, waste heat and green power. The best become technical demands matched with universities, institutes and suppliers.",
        ),
        audience=Campaign.Audience.PARTNERS,
        moderators=[user for user in (moderator,) if user],
        experts=experts,
        fields=_fields("energy-environment", "ironmaking", "steelmaking"),
        auto_advance_score=None,
    )
    hot_strip, _new = _campaign(
        "demo-hot-strip-ai",
        operator,
        title=bilingual(zh="热轧产线人工智能", en="AI for the hot-strip mill"),
        description=bilingual(
            zh="热轧厂内部征集：用数据和人工智能提升板形、温度和设备可靠性。本次征集匿名进行，作者仅对平台运营方可见。",
            en="An internal call of the hot-strip mill: use data and AI to improve flatness, temperature control and equipment reliability. Ideas are anonymous; only the platform operators see who wrote them.",
        ),
        audience=Campaign.Audience.EMPLOYEES,
        anonymous=True,
        moderators=[user for user in (moderator,) if user],
        experts=experts,
        fields=_fields("hot-rolling", "industrial-ai-data"),
    )
    crowd = [user for user in people.values() if user.is_active]
    authors_low = [user for user in (contributor, solver, moderator) if user] or [operator]
    authors_hot = [user for user in (contributor,) if user] or [operator]
    _ideas(stdout, low_carbon, LOW_CARBON, authors_low, crowd, personas, operator, expert)
    _ideas(stdout, hot_strip, HOT_STRIP, authors_hot, crowd, personas, operator, expert)
    return {"low_carbon": low_carbon, "hot_strip": hot_strip}
