"""Writing ideas: drafts, submission, attachments, co-authors, withdrawal."""

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.content import Bilingual, content_languages
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.ideas import permissions
from zhongyan.ideas.models import Campaign, Idea, IdeaAttachment
from zhongyan.ideas.services._common import locked, search_text_of, send_on_commit
from zhongyan.ideas.signals import idea_hidden, idea_submitted

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_CO_AUTHORS = 10
MAX_HIDDEN_REASON = 500
MAX_TITLE = 200  # per language, as on the form
MAX_DESCRIPTION = 10000
# Magic numbers of the binary types we accept; text types must decode as UTF-8.
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
_TEXT = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}
_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    **_TEXT,
}


class BadIdea(DomainError):
    default_message = _("This idea cannot be saved.")


class BadAttachment(DomainError):
    default_message = _("This file cannot be attached.")


def _clean(text: Bilingual, limit: int) -> Bilingual:
    """The content languages only, stripped, without empty ones; each under `limit` characters
    (the API reaches the service without the form's checks)."""
    cleaned = {code: str((text or {}).get(code) or "").strip() for code in content_languages()}
    if any(len(value) > limit for value in cleaned.values()):
        raise BadIdea(_("Keep each language under %(limit)d characters.") % {"limit": limit})
    return {code: value for code, value in cleaned.items() if value}


def _validate(title: Bilingual, description: Bilingual, *, submitting: bool) -> None:
    if not any((title or {}).values()):
        raise BadIdea(_("Enter a title in Chinese or English."))
    if submitting and not any((description or {}).values()):
        raise BadIdea(_("Describe your idea before submitting it."))


def _check_co_authors(actor: Any, campaign: Campaign, co_authors: list[Any]) -> list[Any]:
    people = [person for person in co_authors if person.pk != actor.pk]
    if len(people) > MAX_CO_AUTHORS:
        raise BadIdea(_("An idea has at most 10 co-authors."))
    for person in people:
        if not permissions.can_view_campaign(person, campaign):
            raise BadIdea(_("%(name)s cannot take part in this campaign.") % {"name": person.name})
    return people


def _submit(actor: Any, idea: Idea) -> None:
    first = idea.campaign.stages.order_by("position").first()
    idea.status = Idea.Status.SUBMITTED
    idea.stage = first
    idea.submitted_at = timezone.now()
    idea.save(update_fields=["status", "stage", "submitted_at", "updated_at"])
    record(actor, "ideas.idea_submitted", idea, {"campaign": idea.campaign.public_id})
    send_on_commit(
        idea_submitted,
        idea=idea,
        campaign=idea.campaign,
        actor=actor,
        author_label=None if idea.campaign.anonymous else idea.author.name,
        urgent=False,
    )


def create_idea(
    *,
    actor: Any,
    campaign: Campaign,
    title: Bilingual,
    description: Bilingual,
    fields: Iterable[Any] = (),
    co_authors: Iterable[Any] = (),
    submit: bool = False,
) -> Idea:
    """A new idea: a draft, or submitted at once when `submit`."""
    if not permissions.can_submit_idea(actor, campaign):
        raise NotPermitted(_("This campaign is not open for ideas."))
    title, description = _clean(title, MAX_TITLE), _clean(description, MAX_DESCRIPTION)
    _validate(title, description, submitting=submit)
    people = _check_co_authors(actor, campaign, list(co_authors))
    with transaction.atomic():
        idea = Idea(campaign=campaign, author=actor, title=title, description=description)
        idea.search_text = search_text_of(idea)
        idea.save()
        idea.fields.set(fields)
        idea.co_authors.set(people)
        record(actor, "ideas.idea_created", idea, {"campaign": campaign.public_id})
        if submit:
            _submit(actor, idea)
    return idea


def update_idea(
    *,
    actor: Any,
    idea: Idea,
    title: Bilingual,
    description: Bilingual,
    fields: Iterable[Any] | None = None,
    co_authors: Iterable[Any] | None = None,
    submit: bool = False,
) -> Idea:
    with transaction.atomic():
        locked(idea)
        if not permissions.can_edit_idea(actor, idea):
            raise NotPermitted()
        submitting = submit and idea.status == Idea.Status.DRAFT
        title, description = _clean(title, MAX_TITLE), _clean(description, MAX_DESCRIPTION)
        _validate(title, description, submitting=submitting or idea.is_submitted)
        idea.title, idea.description = title, description
        idea.search_text = search_text_of(idea)
        idea.save(update_fields=["title", "description", "search_text", "updated_at"])
        if fields is not None:
            idea.fields.set(fields)
        if co_authors is not None and idea.author_id == actor.pk:
            idea.co_authors.set(_check_co_authors(actor, idea.campaign, list(co_authors)))
        record(actor, "ideas.idea_updated", idea, {})
        if submitting:
            _submit(actor, idea)
    return idea


def submit_idea(*, actor: Any, idea: Idea) -> Idea:
    with transaction.atomic():
        locked(idea)
        if idea.status != Idea.Status.DRAFT or not permissions.can_edit_idea(actor, idea):
            raise NotPermitted()
        _validate(idea.title, idea.description, submitting=True)
        _submit(actor, idea)
    return idea


def withdraw_idea(*, actor: Any, idea: Idea) -> Idea:
    with transaction.atomic():
        locked(idea)
        if not permissions.is_author(actor, idea) or idea.status == Idea.Status.WITHDRAWN:
            raise NotPermitted()
        if idea.promoted_demand_id is not None:
            raise DomainError(_("An idea promoted to a demand cannot be withdrawn."))
        idea.status = Idea.Status.WITHDRAWN
        idea.save(update_fields=["status", "updated_at"])
        record(actor, "ideas.idea_withdrawn", idea, {})
    return idea


def hide_idea(*, actor: Any, idea: Idea, reason: str) -> Idea:
    """Take an idea out of lists, search, hints and analytics; its authors see it with the reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked(idea)
        if not permissions.can_hide_idea(actor, idea):
            raise NotPermitted()
        if not reason:
            raise BadIdea(_("Give a reason: the authors will see it."))
        if len(reason) > MAX_HIDDEN_REASON:
            raise BadIdea(_("Keep the reason under 500 characters."))
        idea.hidden_at, idea.hidden_reason, idea.hidden_by = timezone.now(), reason, actor
        idea.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        record(actor, "ideas.idea_hidden", idea, {"reason": reason})
        send_on_commit(idea_hidden, idea=idea, campaign=idea.campaign, actor=actor, urgent=False)
    return idea


def unhide_idea(*, actor: Any, idea: Idea) -> Idea:
    with transaction.atomic():
        locked(idea)
        if not permissions.can_hide_idea(actor, idea):
            raise NotPermitted()
        if idea.hidden_at is None:
            return idea
        idea.hidden_at, idea.hidden_reason, idea.hidden_by = None, "", None
        idea.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        record(actor, "ideas.idea_unhidden", idea, {})
    return idea


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The file's cleaned name and content type, or BadAttachment with the reason."""
    name = PurePath(upload.name or "file").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in _TYPES:
        raise BadAttachment(_("Attach PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV files."))
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise BadAttachment(_("Each file must be 10 MB or smaller."))
    if upload.size == 0:
        raise BadAttachment(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if suffix in _MAGIC:
        if not head.startswith(_MAGIC[suffix]):
            raise BadAttachment(_("The file's content does not match its name."))
    else:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 8 KiB boundary is fine.
            if error.start < len(head) - 4:
                raise BadAttachment(_("The file's content does not match its name.")) from None
    return name, _TYPES[suffix]


def add_attachment(*, actor: Any, idea: Idea, upload: UploadedFile) -> IdeaAttachment:
    if not permissions.can_edit_idea(actor, idea):
        raise NotPermitted()
    name, content_type = check_upload(upload)
    with transaction.atomic():
        if idea.attachments.count() >= MAX_ATTACHMENTS:
            raise BadAttachment(_("An idea has at most 10 attachments."))
        attachment = IdeaAttachment(idea=idea, name=name, size=upload.size or 0, content_type=content_type)
        attachment.file.save(attachment.public_id, upload, save=False)
        attachment.save()
        record(actor, "ideas.attachment_added", idea, {"attachment": attachment.public_id, "name": name})
    return attachment


def remove_attachment(*, actor: Any, attachment: IdeaAttachment) -> None:
    if not permissions.can_edit_idea(actor, attachment.idea):
        raise NotPermitted()
    with transaction.atomic():
        record(actor, "ideas.attachment_removed", attachment.idea, {"attachment": attachment.public_id})
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))
