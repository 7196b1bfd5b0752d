"""Seed version 1 of the contract template: the engine's bilingual technology development contract,
with one IP clause per demand IP term. Operators change it by adding versions."""

from pathlib import Path

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BODY_FILE = Path(__file__).resolve().parent.parent / "engine_templates" / "contract.html"


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "en": en}


DEFAULT = {
    "name": _t("技术开发（委托）合同", "Technology development (commissioned) contract"),
    "title": _t("技术开发（委托）合同", "Technology Development (Commissioned) Contract"),
    "ip_exclusive_transfer": _t(
        "本合同产生的知识产权（包括专利申请权、技术秘密及软件著作权）归甲方独占所有，乙方保留署名权，"
        "并可在甲方书面同意后用于非商业性研究。",
        "Intellectual property arising under this contract (including the right to apply for patents, "
        "know-how and software copyright) belongs exclusively to Party A; Party B keeps the right of "
        "attribution and may use it for non-commercial research with Party A's written consent.",
    ),
    "ip_non_exclusive_licence": _t(
        "本合同产生的知识产权归乙方所有；乙方授予甲方及其关联企业永久、不可撤销、免许可费的非独占实施许可。",
        "Intellectual property arising under this contract belongs to Party B; Party B grants Party A and its "
        "affiliates a perpetual, irrevocable, royalty-free, non-exclusive licence to use it.",
    ),
    "ip_solver_keeps": _t(
        "本合同产生的知识产权归乙方所有；甲方可在本合同约定的范围内使用交付成果，其他实施需另行签订许可合同。",
        "Intellectual property arising under this contract belongs to Party B; Party A may use the deliverables "
        "within the scope of this contract, and any other use needs a separate licence agreement.",
    ),
    "confidentiality": _t(
        "双方对在合作中知悉的对方技术秘密和经营信息负有保密义务，保密期限为合同终止后五年。",
        "Each party keeps the other's technical and business secrets learnt in the cooperation confidential "
        "for five years after the contract ends.",
    ),
    "term": _t(
        "本合同自双方完成电子签名之日起生效，至质保期满之日终止。",
        "This contract enters into force when both parties have signed it electronically and ends at the end of "
        "the warranty period.",
    ),
    "disputes": _t(
        "因本合同引起的争议，双方协商解决；协商不成的，提交上海国际仲裁中心仲裁。",
        "Disputes arising from this contract are settled by negotiation, failing which they are submitted to the "
        "Shanghai International Arbitration Center.",
    ),
}


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("contracts", "ContractTemplate")
    if template_model.objects.exists():
        return
    template_model.objects.create(version=1, is_active=True, body=BODY_FILE.read_text(encoding="utf-8"), **DEFAULT)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("contracts", "ContractTemplate").objects.filter(version=1, contracts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_in_force_immutable")]
    operations = [migrations.RunPython(forwards, backwards)]
