"""The NDA text a demand is published with."""

from zhongyan.core.content import Bilingual, bilingual
from zhongyan.demands.models import NdaTemplate

# Used only while the operator has not yet activated a template of their own.
BUILT_IN_NDA: Bilingual = bilingual(
    zh=(
        "保密协议\n\n"
        "1. 接收方对需求方在本需求中披露的全部技术资料、数据与附件（“保密信息”）负有保密义务。\n"
        "2. 未经需求方书面同意，接收方不得向任何第三方披露保密信息，也不得将其用于响应本需求以外的目的。\n"
        "3. 保密义务自接受本协议之日起三年内有效，不因需求关闭而终止。\n"
        "4. 接收方代表其所属机构接受本协议时，该机构同样受本协议约束。"
    ),
    en=(
        "Non-disclosure agreement\n\n"
        "1. The recipient keeps confidential all technical information, data and attachments the demand "
        'owner discloses in this demand ("Confidential Information").\n'
        "2. Without the owner's written consent the recipient discloses no Confidential Information to any "
        "third party and uses it for no purpose other than responding to this demand.\n"
        "3. These obligations last three years from acceptance and survive the closing of the demand.\n"
        "4. Where the recipient accepts on behalf of an organisation, that organisation is bound as well."
    ),
)


def active_nda() -> tuple[Bilingual, int]:
    """(text, version) of the active template; version 0 means the built-in text."""
    template = NdaTemplate.objects.filter(is_active=True).first()
    if template is None:
        return dict(BUILT_IN_NDA), 0
    return dict(template.text), template.version
