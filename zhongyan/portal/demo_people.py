"""The demo's people: one login per persona plus experts across the demo organisations.

About a third write their profile in English only (visiting researchers, foreign engineers),
so matching has English-writing experts to find for Chinese demands. Organisation codes are
those of `zhongyan.orgs.demo`; field codes those of the accounts taxonomy migration (unknown
codes are skipped by the loader with a message).
"""

import os
from dataclasses import dataclass

DOMAIN = "demo.zhongyan.local"
DEFAULT_PASSWORD = "zhongyan-demo"  # noqa: S105 - published on purpose: every demo login shares it


def demo_password() -> str:
    """The one password every demo login shares (ZHONGYAN_DEMO_PASSWORD overrides it)."""
    return os.environ.get("ZHONGYAN_DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class Persona:
    key: str  # how other modules' demo loaders ask for this user: personas["owner"]
    label: str
    tries_en: str


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name_zh: str
    name_en: str
    headline_zh: str
    headline_en: str
    bio_zh: str
    bio_en: str
    fields: tuple[str, ...]
    keywords: str
    publications: str
    languages: tuple[str, ...]
    organisation: str | None = None
    role: str = "member"
    availability: str = "available"
    operator: bool = False
    persona: Persona | None = None

    @property
    def writes_in_english_only(self) -> bool:
        return not self.bio_zh and not self.headline_zh


def _p(local: str, **kwargs: object) -> DemoPerson:
    return DemoPerson(email=f"{local}@{DOMAIN}", **kwargs)  # type: ignore[arg-type]


PEOPLE: tuple[DemoPerson, ...] = (
    # --- personas: one login each, printed by `manage.py demo_logins` ---------------------------
    _p(
        "operator",
        name_zh="陈思远",
        name_en="Chen Siyuan",
        headline_zh="中央研究院 众研平台运营经理",
        headline_en="Platform operations manager, Central Research Institute",
        bio_zh="负责众研平台的日常运营：审核组织认证和需求发布，组织创意征集与技术对接会，跟踪平台数据。"
        "此前在研究院科技管理部从事产学研合作管理八年。",
        bio_en="Runs the Zhongyan platform day to day: verifies organisations, reviews demands before "
        "publication, organises idea campaigns and matchmaking events. Previously eight years in the "
        "institute's research management office.",
        fields=("energy-environment", "industrial-ai-data"),
        keywords="开放式创新, 产学研合作, 技术转移, 科技管理",
        publications="《钢铁企业开放式创新平台运营实践》，冶金管理，2022年第6期。",
        languages=("zh", "en"),
        organisation="central-research-institute",
        role="admin",
        operator=True,
        persona=Persona("operator", "operator", "Verify organisations, review demands, open the admin site at /admin/"),
    ),
    _p(
        "owner",
        name_zh="李建国",
        name_en="Li Jianguo",
        headline_zh="宝山基地冷轧厂 技术质量部部长",
        headline_en="Head of technology and quality, Baoshan Cold Rolling Mill",
        bio_zh="二十年冷轧生产与质量管理经验，主管汽车外板表面质量和镀锌线工艺改进。"
        "在平台上发布冷轧板形、锌耗和连退炉节能等技术需求。",
        bio_en="Twenty years in cold-rolled production and quality; responsible for surface quality of "
        "automotive exposed panels and process improvement on the galvanising lines.",
        fields=("cold-rolling", "coating-surface", "automotive-steel"),
        keywords="冷轧板形, 汽车外板, 热镀锌, 锌渣, 表面质量",
        publications="李建国等. 连续热镀锌线锌锅底渣形成机理及控制. 钢铁研究学报, 2021, 33(8).",
        languages=("zh",),
        organisation="baoshan-cold-rolling",
        role="owner",
        persona=Persona(
            "owner", "demand owner", "Post a technical demand for the cold rolling mill and review proposals"
        ),
    ),
    _p(
        "solver",
        name_zh="王海涛",
        name_en="Wang Haitao",
        headline_zh="东北大学 轧制技术国家重点实验室 教授、博士生导师",
        headline_en="Professor, State Key Laboratory of Rolling and Automation, Northeastern University",
        bio_zh="研究方向为热连轧过程建模、板形板厚控制和轧制过程数字孪生。主持国家重点研发计划课题两项，"
        "成果在五条热连轧和冷连轧产线应用。",
        bio_en="Works on modelling of hot strip rolling, gauge and flatness control and digital twins of "
        "the rolling process. Results run on five hot and cold strip mills.",
        fields=("hot-rolling", "cold-rolling", "automation-control", "industrial-ai-data"),
        keywords="板形控制, 轧制数字孪生, 层流冷却, 轧辊磨损, flatness control",
        publications="Wang H., Gao Y. A digital twin for strip flatness prediction in hot rolling. "
        "Journal of Materials Processing Technology, 2023, 312: 117842.\n"
        "王海涛等. 基于机理与数据融合的热轧带钢凸度预测. 钢铁, 2022, 57(3).\n"
        "发明专利：一种热连轧带钢板形闭环控制方法，ZL202110XXXXXX.X",
        languages=("zh", "en"),
        organisation="northeast-university-rolling-lab",
        role="owner",
        persona=Persona("solver", "solver", "Read demands, accept an NDA, ask a question and submit a proposal"),
    ),
    _p(
        "reviewer",
        name_zh="刘芳",
        name_en="Liu Fang",
        headline_zh="中央研究院 首席工程师（焊接与检测）",
        headline_en="Chief engineer for welding and testing, Central Research Institute",
        bio_zh="长期从事先进高强钢焊接性评价与失效分析，担任集团科技项目评审专家十余年。",
        bio_en="Evaluates the weldability of advanced high-strength steels and leads failure analysis; "
        "has reviewed the group's research projects for more than ten years.",
        fields=("welding-joining", "testing-analysis", "automotive-steel"),
        keywords="焊接性, 失效分析, 氢致开裂, 电阻点焊",
        publications="刘芳等. 第三代汽车钢电阻点焊接头液态金属脆化研究. 焊接学报, 2020, 41(5).",
        languages=("zh", "en"),
        organisation="central-research-institute",
        persona=Persona("reviewer", "reviewer", "Score proposals on a rubric and declare conflicts of interest"),
    ),
    _p(
        "contributor",
        name_zh="赵磊",
        name_en="Zhao Lei",
        headline_zh="宝山基地热轧厂 轧钢作业区工程师",
        headline_en="Process engineer, Baoshan Hot Strip Mill",
        bio_zh="一线工艺工程师，负责精轧机组工艺参数和轧辊管理，喜欢把现场问题整理成改进创意。",
        bio_en="",
        fields=("hot-rolling", "equipment-reliability"),
        keywords="精轧, 轧辊管理, 现场改进",
        publications="",
        languages=("zh",),
        organisation="baoshan-hot-strip",
        persona=Persona("contributor", "contributor", "Submit an idea to a campaign, comment and vote"),
    ),
    _p(
        "incubation",
        name_zh="孙悦",
        name_en="Sun Yue",
        headline_zh="吴淞口创新园 孵化服务部经理",
        headline_en="Incubation manager, Wusong Estuary Innovation Park",
        bio_zh="负责园区在孵企业的阶段评审、中试资源协调和投融资对接，服务过三十余家钢铁产业链初创企业。",
        bio_en="Runs stage reviews, pilot-plant access and investor matching for the park's start-ups; "
        "has coached more than thirty start-ups along the steel value chain.",
        fields=("new-materials", "energy-environment"),
        keywords="科技孵化, 中试, 投融资对接, 成果转化",
        publications="",
        languages=("zh", "en"),
        organisation="wusong-innovation-park",
        role="owner",
        persona=Persona("incubation", "incubation manager", "Take projects into incubation and track stages and KPIs"),
    ),
    _p(
        "guest",
        name_zh="艾米莉·卡特",
        name_en="Emily Carter",
        headline_zh="",
        headline_en="Body-in-white materials engineer, Donghai Automotive Group",
        bio_zh="",
        bio_en="Selects sheet steels for the body-in-white of new-energy vehicles and joins the mills' "
        "supplier days and technology conferences.",
        fields=("automotive-steel",),
        keywords="body-in-white, press hardening, lightweighting",
        publications="",
        languages=("en",),
        organisation="donghai-automotive",
        persona=Persona("guest", "event guest", "Join a conference with the QR code and appear on the live wall"),
    ),
    # --- experts writing in Chinese --------------------------------------------------------------
    _p(
        "wei.zhang",
        name_zh="张伟",
        name_en="Zhang Wei",
        headline_zh="北京科技大学 冶金与生态工程学院 教授",
        headline_en="Professor of ironmaking, University of Science and Technology Beijing",
        bio_zh="研究高炉低碳炼铁、富氢喷吹和氢基竖炉直接还原，参与多座氢冶金示范工程的工艺设计。",
        bio_en="Researches low-carbon blast furnace operation, hydrogen-rich injection and hydrogen shaft "
        "furnace direct reduction.",
        fields=("ironmaking", "low-carbon-hydrogen", "raw-materials"),
        keywords="氢冶金, 高炉富氢喷吹, 直接还原铁, 球团",
        publications="张伟等. 氢基竖炉直接还原过程的数值模拟. 钢铁, 2023, 58(1).\n"
        "Zhang W. et al. Hydrogen-rich gas injection in blast furnaces: a review. ISIJ International, 2021.",
        languages=("zh", "en"),
        organisation="ustb-metallurgy",
        role="admin",
    ),
    _p(
        "ming.huang",
        name_zh="黄明",
        name_en="Huang Ming",
        headline_zh="宝山基地炼钢厂 副总工程师",
        headline_en="Deputy chief engineer, Baoshan Steelmaking Plant",
        bio_zh="负责转炉与精炼工艺，关注转炉终点碳温预报、钢水洁净度和电弧炉泡沫渣控制。",
        bio_en="",
        fields=("steelmaking", "low-carbon-hydrogen"),
        keywords="转炉终点控制, 洁净钢, 电弧炉, 泡沫渣",
        publications="黄明等. 基于烟气分析的转炉终点动态控制. 炼钢, 2019, 35(2).",
        languages=("zh",),
        organisation="baoshan-steelmaking",
        role="owner",
    ),
    _p(
        "xiaodong.wu",
        name_zh="吴晓东",
        name_en="Wu Xiaodong",
        headline_zh="宝山基地炼钢厂 连铸首席工程师",
        headline_en="Chief continuous casting engineer, Baoshan Steelmaking Plant",
        bio_zh="从事板坯连铸工艺与质量控制，擅长铸坯表面纵裂和角部横裂的诊断与预防。",
        bio_en="",
        fields=("continuous-casting", "steelmaking"),
        keywords="板坯连铸, 铸坯裂纹, 结晶器保护渣, 电磁搅拌",
        publications="发明专利：一种减少包晶钢板坯表面纵裂的结晶器冷却方法，ZL201910XXXXXX.X",
        languages=("zh",),
        organisation="baoshan-steelmaking",
    ),
    _p(
        "jing.zhou",
        name_zh="周静",
        name_en="Zhou Jing",
        headline_zh="宝山基地热轧厂 技术室主任",
        headline_en="Head of the technical office, Baoshan Hot Strip Mill",
        bio_zh="负责热轧产品开发和工艺优化，主导管线钢和耐候钢的控轧控冷工艺。",
        bio_en="Leads product development and process optimisation at the hot strip mill, including "
        "thermo-mechanical processing of pipeline and weathering steels.",
        fields=("hot-rolling", "heat-treatment", "shipbuilding-energy-steel"),
        keywords="控轧控冷, 管线钢, 耐候钢, 层流冷却",
        publications="周静等. X80管线钢热轧工艺优化. 轧钢, 2020, 37(4).",
        languages=("zh", "en"),
        organisation="baoshan-hot-strip",
        role="owner",
    ),
    _p(
        "chao.ma",
        name_zh="马超",
        name_en="Ma Chao",
        headline_zh="宝山基地热轧厂 设备点检工程师",
        headline_en="Equipment condition engineer, Baoshan Hot Strip Mill",
        bio_zh="负责主传动和液压系统的状态监测，推动基于振动数据的预测性维护。",
        bio_en="",
        fields=("equipment-reliability", "industrial-ai-data"),
        keywords="预测性维护, 振动监测, 主传动, 液压系统",
        publications="",
        languages=("zh",),
        organisation="baoshan-hot-strip",
        availability="limited",
    ),
    _p(
        "na.lin",
        name_zh="林娜",
        name_en="Lin Na",
        headline_zh="宝山基地冷轧厂 镀锌工艺工程师",
        headline_en="Galvanising process engineer, Baoshan Cold Rolling Mill",
        bio_zh="负责热镀锌和锌铝镁镀层工艺，研究锌锅底渣控制和镀层附着性。",
        bio_en="Works on hot-dip galvanising and zinc-aluminium-magnesium coatings, dross control and "
        "coating adhesion.",
        fields=("coating-surface", "cold-rolling", "corrosion-protection"),
        keywords="热镀锌, 锌铝镁镀层, 锌渣, 镀层附着性",
        publications="林娜等. 锌铝镁镀层钢板耐蚀性研究. 材料保护, 2022, 55(7).",
        languages=("zh", "en"),
        organisation="baoshan-cold-rolling",
    ),
    _p(
        "qiang.guo",
        name_zh="郭强",
        name_en="Guo Qiang",
        headline_zh="东海汽车集团 材料工程部总监",
        headline_en="Director of materials engineering, Donghai Automotive Group",
        bio_zh="负责车身材料选型与轻量化，推动热成形钢和第三代先进高强钢在新能源车型上的应用。",
        bio_en="Responsible for body materials and lightweighting; brings press-hardening and "
        "third-generation advanced high-strength steels into new-energy models.",
        fields=("automotive-steel", "heat-treatment", "welding-joining"),
        keywords="轻量化, 热成形钢, 先进高强钢, 碰撞安全",
        publications="郭强等. 热成形钢在新能源汽车电池包中的应用. 汽车工艺与材料, 2023(2).",
        languages=("zh", "en"),
        organisation="donghai-automotive",
        role="owner",
    ),
    _p(
        "hai.xu",
        name_zh="徐海",
        name_en="Xu Hai",
        headline_zh="江南长兴造船 焊接研究室主任",
        headline_en="Head of the welding laboratory, Jiangnan Changxing Shipyard",
        bio_zh="研究大线能量气电立焊和低温钢焊接，负责液化天然气船殷瓦钢和厚板焊接工艺评定。",
        bio_en="",
        fields=("welding-joining", "shipbuilding-energy-steel"),
        keywords="大线能量焊接, 气电立焊, 低温韧性, 焊接工艺评定",
        publications="徐海等. 船用厚板大线能量焊接热影响区韧性研究. 焊接, 2021(9).",
        languages=("zh",),
        organisation="jiangnan-shipyard",
        role="owner",
    ),
    _p(
        "li.he",
        name_zh="何丽",
        name_en="He Li",
        headline_zh="海洋腐蚀与防护研究所 研究员",
        headline_en="Research professor, Institute of Marine Corrosion and Protection",
        bio_zh="研究海洋大气和浪花飞溅区的钢结构腐蚀，负责实海暴露试验站，开发耐候钢锈层稳定化技术。",
        bio_en="Studies corrosion of steel structures in marine atmospheres and the splash zone, runs the "
        "sea-exposure test station and develops rust-layer stabilisation for weathering steel.",
        fields=("corrosion-protection", "testing-analysis", "shipbuilding-energy-steel"),
        keywords="海洋腐蚀, 耐候钢, 锈层, 阴极保护, 跨海大桥",
        publications="He L. et al. Rust layer evolution of weathering steel in a coastal atmosphere. "
        "Corrosion Science, 2022, 199: 110183.",
        languages=("zh", "en"),
        organisation="corrosion-institute",
        role="owner",
    ),
    _p(
        "fan.yang",
        name_zh="杨帆",
        name_en="Yang Fan",
        headline_zh="华耀耐火材料 技术总监",
        headline_en="Technical director, Huayao Refractories",
        bio_zh="负责钢包和转炉耐火材料研发，正在开发低碳镁碳砖和中间包干式料。",
        bio_en="",
        fields=("refractories", "steelmaking"),
        keywords="镁碳砖, 钢包内衬, 中间包, 耐材寿命",
        publications="杨帆等. 低碳镁碳砖抗热震性能研究. 耐火材料, 2022, 56(3).",
        languages=("zh",),
        organisation="huayao-refractories",
        role="owner",
    ),
    _p(
        "bin.luo",
        name_zh="罗斌",
        name_en="Luo Bin",
        headline_zh="睿思工业自动化 创始人、总经理",
        headline_en="Founder and general manager, Ruisi Industrial Automation",
        bio_zh="二十年轧线自动化经验，带领团队开发机器视觉表面检测系统和轧线过程控制软件。",
        bio_en="",
        fields=("automation-control", "industrial-ai-data", "cold-rolling"),
        keywords="过程控制, 机器视觉, 表面检测, PLC",
        publications="",
        languages=("zh",),
        organisation="ruisi-automation",
        role="owner",
    ),
    _p(
        "chen.deng",
        name_zh="邓晨",
        name_en="Deng Chen",
        headline_zh="氢碳未来科技 创始人",
        headline_en="Founder, Qingtan Hydrogen Tech",
        bio_zh="电化学博士，带领团队开发兆瓦级碱性电解槽和加热炉富氢燃烧器，目前在园区孵化。",
        bio_en="Electrochemist leading the development of megawatt alkaline electrolysers and "
        "hydrogen-rich burners for reheating furnaces.",
        fields=("low-carbon-hydrogen", "energy-environment"),
        keywords="碱性电解水, 绿氢, 富氢燃烧, 加热炉",
        publications="发明专利：一种用于轧钢加热炉的富氢燃气低氮燃烧器，ZL202220XXXXXX.X",
        languages=("zh", "en"),
        organisation="qingtan-hydrogen",
        role="owner",
    ),
    _p(
        "liang.qian",
        name_zh="钱亮",
        name_en="Qian Liang",
        headline_zh="智检科技 联合创始人、算法负责人",
        headline_en="Co-founder and head of algorithms, Zhijian AI Inspection",
        bio_zh="计算机视觉方向，负责带钢表面缺陷识别模型和设备故障预测模型的研发与产线部署。",
        bio_en="",
        fields=("industrial-ai-data", "testing-analysis"),
        keywords="缺陷识别, 深度学习, 小样本学习, 故障预测",
        publications="钱亮等. 基于小样本学习的带钢表面缺陷分类. 自动化学报, 2023.",
        languages=("zh", "en"),
        organisation="zhijian-ai",
        role="owner",
    ),
    _p(
        "xue.feng",
        name_zh="冯雪",
        name_en="Feng Xue",
        headline_zh="中央研究院 新材料研究所 高级研究员",
        headline_en="Senior researcher, new materials, Central Research Institute",
        bio_zh="研究高熵合金涂层和取向硅钢磁性能，负责研究院新材料方向的产学研项目。",
        bio_en="",
        fields=("new-materials", "coating-surface", "heat-treatment"),
        keywords="取向硅钢, 高熵合金, 磁性能, 涂层",
        publications="冯雪等. 激光刻痕对取向硅钢铁损的影响. 金属学报, 2021, 57(10).",
        languages=("zh",),
        organisation="central-research-institute",
    ),
    # --- experts writing in English --------------------------------------------------------------
    _p(
        "markus.weber",
        name_zh="马库斯·韦伯",
        name_en="Markus Weber",
        headline_zh="",
        headline_en="Visiting professor of process metallurgy, USTB",
        bio_zh="",
        bio_en="Process metallurgist from Germany working on hydrogen-based direct reduction and the "
        "electric smelting of DRI. Twelve years at a European steelmaker's research centre before "
        "joining academia.",
        fields=("low-carbon-hydrogen", "ironmaking", "steelmaking"),
        keywords="hydrogen direct reduction, DRI, electric smelting furnace, decarbonisation",
        publications="Weber M. et al. Kinetics of hydrogen reduction of iron ore pellets. "
        "Metallurgical and Materials Transactions B, 2020, 51: 2441-2455.",
        languages=("en", "de"),
        organisation="ustb-metallurgy",
    ),
    _p(
        "elena.rossi",
        name_zh="埃莱娜·罗西",
        name_en="Elena Rossi",
        headline_zh="",
        headline_en="Corrosion scientist, Institute of Marine Corrosion and Protection",
        bio_zh="",
        bio_en="Electrochemist specialising in atmospheric corrosion, coatings for offshore structures "
        "and hydrogen uptake during cathodic protection.",
        fields=("corrosion-protection", "coating-surface", "testing-analysis"),
        keywords="atmospheric corrosion, duplex coatings, cathodic protection, hydrogen uptake",
        publications="Rossi E. et al. Hydrogen permeation in cathodically protected high-strength steels. "
        "Electrochimica Acta, 2021, 389: 138712.",
        languages=("en", "it"),
        organisation="corrosion-institute",
    ),
    _p(
        "james.oconnor",
        name_zh="詹姆斯·奥康纳",
        name_en="James O'Connor",
        headline_zh="",
        headline_en="Welding consultant, Jiangnan Changxing Shipyard",
        bio_zh="",
        bio_en="Welding engineer (IWE) with twenty years in shipbuilding and offshore fabrication; "
        "qualifies procedures for LNG carriers and advises on fatigue of welded joints.",
        fields=("welding-joining", "shipbuilding-energy-steel"),
        keywords="welding procedure qualification, LNG carrier, fatigue, heavy plate",
        publications="O'Connor J. Fatigue assessment of high heat-input welds in container ships. "
        "Welding in the World, 2019.",
        languages=("en",),
        organisation="jiangnan-shipyard",
    ),
    _p(
        "priya.natarajan",
        name_zh="普莉娅·纳塔拉詹",
        name_en="Priya Natarajan",
        headline_zh="",
        headline_en="Machine-learning engineer, Zhijian AI Inspection",
        bio_zh="",
        bio_en="Builds time-series models for predictive maintenance and strip quality prediction from "
        "mill data; previously worked on anomaly detection for rolling mills in India.",
        fields=("industrial-ai-data", "equipment-reliability", "hot-rolling"),
        keywords="predictive maintenance, anomaly detection, time series, quality prediction",
        publications="Natarajan P. et al. Remaining useful life estimation of work rolls with "
        "gradient-boosted models. Steel Research International, 2022.",
        languages=("en",),
        organisation="zhijian-ai",
    ),
    _p(
        "kenji.tanaka",
        name_zh="田中健二",
        name_en="Kenji Tanaka",
        headline_zh="",
        headline_en="Independent consultant, coated sheet and galvanising",
        bio_zh="",
        bio_en="Retired from a Japanese integrated mill after thirty years on continuous galvanising "
        "lines; advises on zinc pot management, air-knife control and Zn-Al-Mg coatings.",
        fields=("coating-surface", "cold-rolling", "corrosion-protection"),
        keywords="hot-dip galvanising, zinc pot dross, air knife, Zn-Al-Mg",
        publications="Tanaka K. Dross formation in continuous galvanising baths. ISIJ International, 2015, 55(4).",
        languages=("en", "ja"),
        availability="limited",
    ),
    _p(
        "sofia.lindqvist",
        name_zh="索菲娅·林德奎斯特",
        name_en="Sofia Lindqvist",
        headline_zh="",
        headline_en="Materials specialist, hydrogen embrittlement, Donghai Automotive Group",
        bio_zh="",
        bio_en="Tests advanced high-strength and press-hardening steels for delayed fracture and hydrogen "
        "embrittlement; defines the carmaker's acceptance tests for new grades.",
        fields=("automotive-steel", "testing-analysis", "heat-treatment"),
        keywords="hydrogen embrittlement, delayed fracture, AHSS, press hardening",
        publications="Lindqvist S. et al. Hydrogen-induced delayed cracking of 1500 MPa press-hardened "
        "steel. Materials Science and Engineering A, 2022, 835: 142666.",
        languages=("en",),
        organisation="donghai-automotive",
    ),
    _p(
        "lucas.moreau",
        name_zh="吕卡·莫罗",
        name_en="Lucas Moreau",
        headline_zh="",
        headline_en="Refractory application engineer, Huayao Refractories",
        bio_zh="",
        bio_en="Designs ladle and converter linings and analyses wear with laser scanning; works on "
        "carbon-reduced magnesia-carbon bricks.",
        fields=("refractories", "steelmaking", "testing-analysis"),
        keywords="ladle lining, MgO-C bricks, laser wear scanning",
        publications="",
        languages=("en", "fr"),
        organisation="huayao-refractories",
    ),
    _p(
        "hannah.kim",
        name_zh="金汉娜",
        name_en="Hannah Kim",
        headline_zh="",
        headline_en="Energy systems engineer, Qingtan Hydrogen Tech",
        bio_zh="",
        bio_en="Models energy and hydrogen balances of integrated steelworks and sizes electrolysers, "
        "storage and waste-heat recovery.",
        fields=("energy-environment", "low-carbon-hydrogen"),
        keywords="energy balance, waste heat recovery, electrolyser sizing, carbon accounting",
        publications="Kim H. Techno-economic assessment of green hydrogen for reheating furnaces. "
        "Applied Energy, 2023.",
        languages=("en", "ko"),
        organisation="qingtan-hydrogen",
    ),
    _p(
        "david.chen",
        name_zh="陈大卫",
        name_en="David Chen",
        headline_zh="",
        headline_en="Control systems architect, Ruisi Industrial Automation",
        bio_zh="",
        bio_en="Designs level-2 process control for hot and cold strip mills, including model-predictive "
        "flatness and tension control.",
        fields=("automation-control", "hot-rolling", "cold-rolling"),
        keywords="level-2 automation, model predictive control, tension control, flatness",
        publications="Chen D. et al. Model predictive flatness control for a six-high cold mill. "
        "Control Engineering Practice, 2021.",
        languages=("en", "zh"),
        organisation="ruisi-automation",
    ),
    _p(
        "olga.petrova",
        name_zh="奥尔加·彼得罗娃",
        name_en="Olga Petrova",
        headline_zh="",
        headline_en="Senior scientist, microstructure and testing, Central Research Institute",
        bio_zh="",
        bio_en="Electron microscopist characterising inclusions, precipitates and retained austenite in "
        "automotive and pipeline steels.",
        fields=("testing-analysis", "new-materials", "steelmaking"),
        keywords="EBSD, TEM, inclusions, retained austenite",
        publications="Petrova O. et al. Retained austenite stability in quenching and partitioning steels. "
        "Acta Materialia, 2020.",
        languages=("en", "ru"),
        organisation="central-research-institute",
    ),
)


def personas() -> list[DemoPerson]:
    return [person for person in PEOPLE if person.persona is not None]
