# The shared taxonomy of steel-industry fields. Codes are stable: demands, organisations and
# matching refer to them, and demo data and integrations look fields up by code.

from django.db import migrations

FIELDS = [
    ("ironmaking", "炼铁", "Ironmaking"),
    ("steelmaking", "炼钢", "Steelmaking"),
    ("continuous-casting", "连铸", "Continuous casting"),
    ("hot-rolling", "热轧", "Hot rolling"),
    ("cold-rolling", "冷轧", "Cold rolling"),
    ("heat-treatment", "热处理", "Heat treatment"),
    ("coating-surface", "涂镀与表面处理", "Coating and surface treatment"),
    ("welding-joining", "焊接与连接", "Welding and joining"),
    ("corrosion-protection", "腐蚀与防护", "Corrosion and protection"),
    ("low-carbon-hydrogen", "低碳与氢冶金", "Low-carbon and hydrogen metallurgy"),
    ("industrial-ai-data", "工业人工智能与数据", "Industrial AI and data"),
    ("equipment-reliability", "设备维护与可靠性", "Equipment maintenance and reliability"),
    ("automation-control", "自动化与控制", "Automation and control"),
    ("energy-environment", "能源与环保", "Energy and environment"),
    ("new-materials", "新材料", "New materials"),
    ("testing-analysis", "检测与分析", "Testing and analysis"),
    ("refractories", "耐火材料", "Refractories"),
    ("raw-materials", "矿产与原燃料", "Raw materials and fuels"),
    ("logistics-supply-chain", "物流与供应链", "Logistics and supply chain"),
    ("automotive-steel", "汽车用钢与应用", "Product application: automotive"),
    ("shipbuilding-energy-steel", "船舶与能源用钢", "Product application: shipbuilding and energy"),
]


def create_fields(apps, schema_editor):
    Field = apps.get_model("accounts", "Field")
    for position, (code, zh, en) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(
            code=code, defaults={"name": {"zh-hans": zh, "en": en}, "position": position * 10}
        )


def remove_fields(apps, schema_editor):
    Field = apps.get_model("accounts", "Field")
    Field.objects.filter(code__in=[code for code, _zh, _en in FIELDS], children__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_api_token_public_id"),
    ]

    operations = [
        migrations.RunPython(create_fields, remove_fields),
    ]
