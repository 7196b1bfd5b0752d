"""Rules shared by the organisation use cases."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from zhongyan.accounts.models import User
from zhongyan.core.content import Bilingual
from zhongyan.core.errors import NotPermitted
from zhongyan.orgs import errors
from zhongyan.orgs import permissions as perms
from zhongyan.orgs.models import Membership, Organisation

Role = Membership.Role
EDITABLE_FIELDS = ("name", "kind", "description", "website", "city")
# Operators may also decide whether the organisation's demands need their review.
ADMIN_EDITABLE_FIELDS = (*EDITABLE_FIELDS, "requires_demand_review")


def require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted()


def refuse_owner_change(actor: User, organisation: Organisation) -> None:
    """Administrators get the specific reason; everyone else just "not permitted"."""
    if perms.can_manage_members(actor, organisation):
        raise errors.OnlyOwnersMakeOwners()
    raise NotPermitted()


def clean_text(value: Bilingual | None) -> Bilingual:
    return {code: text.strip() for code, text in (value or {}).items() if text and text.strip()}


def clean_website(value: str | None) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise errors.InvalidWebsite() from exc
    return value


def check_kind(actor: User, kind: str) -> None:
    if kind not in Organisation.Kind.values:
        raise errors.InvalidChoice()
    if kind == Organisation.Kind.OPERATOR and not actor.is_staff:
        raise errors.OperatorKindReserved()
