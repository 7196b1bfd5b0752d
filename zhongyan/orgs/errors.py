"""Named refusals of the organisations module; each carries a translated sentence."""

from django.utils.translation import gettext_lazy as _

from zhongyan.core.errors import Conflict, DomainError, NotPermitted


class NameRequired(DomainError):
    default_message = _("Enter the organisation's name in Chinese or English (or both).")


class OperatorKindReserved(NotPermitted):
    default_message = _("Only operators may create or mark an organisation as the platform operator.")


class LastOwner(DomainError):
    default_message = _("An organisation must always keep at least one owner. Make someone else an owner first.")


class OnlyOwnersMakeOwners(NotPermitted):
    default_message = _("Only owners may make someone an owner or change an owner's role.")


class AlreadyMember(Conflict):
    default_message = _("This person is already a member of the organisation.")


class InvitationUnavailable(DomainError):
    default_message = _("This invitation is no longer valid. Ask the organisation for a new one.")


class InvitationExpired(InvitationUnavailable):
    default_message = _("This invitation has expired. Ask the organisation for a new one.")


class WrongInvitee(NotPermitted):
    default_message = _(
        "This invitation was sent to a different e-mail address. Sign in with that address to accept it."
    )


class AlreadyDecided(Conflict):
    default_message = _("This request has already been decided.")


class OrganisationNotVerified(DomainError):
    default_message = _("You can only ask to join verified organisations.")


class NoteRequired(DomainError):
    default_message = _("Say why the organisation is rejected; the note is sent to its owners.")


class InvalidChoice(DomainError):
    default_message = _("Choose one of the offered options.")


class InvalidWebsite(DomainError):
    default_message = _("Enter a valid web address starting with http:// or https://.")
