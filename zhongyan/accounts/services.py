"""Use cases of the accounts module: the only write path for profiles, avatars and API tokens."""

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts import bibliography, importer, permissions, signals, tasks, tokens
from zhongyan.accounts.avatars import ProcessedAvatar
from zhongyan.accounts.models import ApiToken, Field, Publication, PublicationImport, User
from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError, NotPermitted

PROFILE_FIELDS = (
    "display_name",
    "headline",
    "bio",
    "languages",
    "keywords",
    "publications",
    "availability",
)
WORKING_LANGUAGES = ("zh", "en", "ja", "ko", "de", "fr", "ru", "es", "pt", "it")
MAX_TOKENS_PER_USER = 20


class ProfileInvalid(DomainError):
    default_message = _("The profile could not be saved.")


def normalise_keywords(text: str) -> str:
    """Commas in either script, semicolons or 、 separate keywords; duplicates are dropped."""
    for separator in ("，", ";", "；", "、", "\n"):
        text = text.replace(separator, ",")
    seen: dict[str, str] = {}
    for word in (part.strip() for part in text.split(",")):
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return ", ".join(seen.values())


def _check_profile_values(changes: dict[str, Any]) -> None:
    if "availability" in changes and changes["availability"] not in User.Availability.values:
        raise ProfileInvalid(_("Choose a valid availability."))
    if "languages" in changes:
        unknown = set(changes["languages"]) - set(WORKING_LANGUAGES)
        if unknown:
            raise ProfileInvalid(_("Unknown working language: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    for name in ("display_name", "headline", "bio"):
        if name in changes:
            value = changes[name]
            limit = User._meta.get_field(name).text_max_length  # type: ignore[union-attr]
            if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
                raise ProfileInvalid(_("Give each language's text separately."))
            if limit and any(len(text) > limit for text in value.values()):
                raise ProfileInvalid(_("Keep each language under %(limit)d characters.") % {"limit": limit})
    if len(changes.get("keywords", "")) > User._meta.get_field("keywords").max_length:  # type: ignore[operator]
        raise ProfileInvalid(_("Too many keywords: keep them under 500 characters."))


def update_profile(
    *, actor: User | Any, user: User, changes: dict[str, Any], fields: Iterable[Field] | None = None
) -> User:
    """Change profile attributes in `changes` (only those named in PROFILE_FIELDS) and, when
    given, the fields of expertise. Records which attributes changed, not their content."""
    if not permissions.can_edit_profile(actor, user):
        raise NotPermitted
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ProfileInvalid(_("These attributes cannot be changed here: %(names)s.") % {"names": ", ".join(unknown)})
    changes = dict(changes)
    if "keywords" in changes:
        changes["keywords"] = normalise_keywords(changes["keywords"] or "")
    if "display_name" in changes or "headline" in changes or "bio" in changes:
        for name in ("display_name", "headline", "bio"):
            if name in changes:
                changes[name] = {
                    code: text.strip() for code, text in (changes[name] or {}).items() if text and text.strip()
                }
    if "languages" in changes:
        changes["languages"] = [code for code in WORKING_LANGUAGES if code in set(changes["languages"] or [])]
    _check_profile_values(changes)

    changed = sorted(name for name, value in changes.items() if getattr(user, name) != value)
    with transaction.atomic():
        for name in changed:
            setattr(user, name, changes[name])
        if changed:
            user.save(update_fields=changed)
        if fields is not None:
            new_codes = {field.code for field in fields}
            old_codes = set(user.fields.values_list("code", flat=True))
            if new_codes != old_codes:
                user.fields.set(list(fields))
                changed.append("fields")
        if changed:
            record(actor, "accounts.profile_updated", user, {"changed": changed})
            transaction.on_commit(
                lambda: signals.profile_updated.send(sender=User, user=user, actor=actor, changed=list(changed))
            )
    return user


def _delete_files_later(storage: Storage, names: Iterable[str]) -> None:
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def set_avatar(*, actor: User | Any, user: User, avatar: ProcessedAvatar) -> User:
    """Store an avatar already checked and re-encoded by `avatars.process_avatar`."""
    if not permissions.can_edit_profile(actor, user):
        raise NotPermitted
    old_names = [user.avatar.name, user.avatar_thumbnail.name]
    stem = f"{user.public_id}-{secrets.token_hex(4)}"
    user.avatar.save(f"{stem}.{avatar.extension}", ContentFile(avatar.large), save=False)
    user.avatar_thumbnail.save(f"{stem}.{avatar.extension}", ContentFile(avatar.thumbnail), save=False)
    new_names = [user.avatar.name, user.avatar_thumbnail.name]
    try:
        with transaction.atomic():
            user.save(update_fields=["avatar", "avatar_thumbnail"])
            record(actor, "accounts.avatar_set", user, {"bytes": len(avatar.large)})
            _delete_files_later(user.avatar.storage, old_names)
    except BaseException:
        for name in new_names:
            user.avatar.storage.delete(name)
        raise
    return user


def remove_avatar(*, actor: User | Any, user: User) -> User:
    if not permissions.can_edit_profile(actor, user):
        raise NotPermitted
    if not user.avatar:
        return user
    old_names = [user.avatar.name, user.avatar_thumbnail.name]
    storage = user.avatar.storage
    with transaction.atomic():
        user.avatar = ""
        user.avatar_thumbnail = ""
        user.save(update_fields=["avatar", "avatar_thumbnail"])
        record(actor, "accounts.avatar_removed", user)
        _delete_files_later(storage, old_names)
    return user


def create_api_token(*, actor: User | Any, name: str) -> tuple[ApiToken, str]:
    """A personal token for `actor`; the key is returned once and never stored."""
    if not isinstance(actor, User) or not permissions.can_create_token(actor, actor):
        raise NotPermitted
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, so you can recognise it later."))
    if actor.api_tokens.count() >= MAX_TOKENS_PER_USER:
        raise DomainError(
            _("You already have %(count)d tokens. Revoke one you no longer use first.") % {"count": MAX_TOKENS_PER_USER}
        )
    with transaction.atomic():
        token, key = tokens.create_api_token(user=actor, name=name)
        record(actor, "accounts.api_token_created", token, {"name": token.name, "prefix": token.prefix})
    return token, key


def revoke_api_token(*, actor: User | Any, token: ApiToken) -> None:
    if not permissions.can_revoke_token(actor, token):
        raise NotPermitted
    with transaction.atomic():
        record(actor, "accounts.api_token_revoked", token, {"name": token.name, "prefix": token.prefix})
        token.delete()


# --- publications ----------------------------------------------------------------------------

MAX_PUBLICATION_FILE_BYTES = 10 * 1024 * 1024
# Up to this size the file is imported while the upload request waits (a few hundred records);
# larger files go to the background task and the page shows its progress.
INLINE_IMPORT_BYTES = 64 * 1024
PUBLICATION_EDITABLE = ("kind", "title", "abstract", "authors", "year", "venue", "patent_number", "doi", "url")


class PublicationFileRejected(DomainError):
    default_message = _("This file cannot be imported.")


class PublicationInvalid(DomainError):
    default_message = _("The publication could not be saved.")


_publications_changed = importer.publications_changed


def import_publications(*, actor: User | Any, user: User, file: Any) -> PublicationImport:
    """Accept a BibTeX, RIS or CSV file of `user`'s publications. Small files are imported at
    once; larger ones by the `import_publication_file` task. Either way the returned job tells
    how far the import got."""
    if not permissions.can_edit_profile(actor, user):
        raise NotPermitted
    size = getattr(file, "size", None) or 0
    if size > MAX_PUBLICATION_FILE_BYTES:
        raise PublicationFileRejected(
            _("The file is larger than %(limit)d MB. Split it into smaller files.")
            % {"limit": MAX_PUBLICATION_FILE_BYTES // (1024 * 1024)}
        )
    data = file.read(MAX_PUBLICATION_FILE_BYTES + 1)
    if len(data) > MAX_PUBLICATION_FILE_BYTES:
        raise PublicationFileRejected(
            _("The file is larger than %(limit)d MB. Split it into smaller files.")
            % {"limit": MAX_PUBLICATION_FILE_BYTES // (1024 * 1024)}
        )
    try:
        file_format = bibliography.sniff(bibliography.decode(data))
    except bibliography.UnreadableFile as unreadable:
        raise PublicationFileRejected(bibliography.UNREADABLE_MESSAGES[unreadable.code]) from unreadable
    name = (getattr(file, "name", "") or "publications").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        job = PublicationImport.objects.create(
            owner=user, created_by=actor, filename=name, format=file_format, content=data
        )
        record(actor, "accounts.publications_import_started", user, {"file": name, "bytes": len(data)})
    if len(data) <= INLINE_IMPORT_BYTES:
        importer.run_publication_import(job_id=job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: tasks.import_publication_file.enqueue(job.pk))
    return job


def _check_publication(owner: User, values: dict[str, Any], exclude_pk: int | None = None) -> str:
    title = (values.get("title") or "").strip()
    if not title:
        raise PublicationInvalid(_("Give the publication a title."))
    year = values.get("year")
    if year is not None and not 1800 <= int(year) <= 2100:
        raise PublicationInvalid(_("Give a year between 1800 and 2100."))
    if values.get("kind") not in Publication.Kind.values:
        raise PublicationInvalid(_("Choose a valid kind of publication."))
    key = bibliography.dedupe_key(values.get("doi") or "", title)
    if Publication.objects.filter(owner=owner, dedupe_key=key).exclude(pk=exclude_pk).exists():
        raise PublicationInvalid(_("You already list this publication (same DOI or title)."))
    return key


def create_publication(*, actor: User | Any, user: User, values: dict[str, Any]) -> Publication:
    if not permissions.can_edit_profile(actor, user):
        raise NotPermitted
    values = {name: values[name] for name in PUBLICATION_EDITABLE if name in values}
    values.setdefault("kind", Publication.Kind.ARTICLE)
    values["doi"] = bibliography.normalise_doi(values.get("doi") or "")
    key = _check_publication(user, values)
    with transaction.atomic():
        publication = Publication.objects.create(owner=user, dedupe_key=key, **values)
        record(actor, "accounts.publication_created", user, {"publication": publication.public_id})
        _publications_changed(actor, user)
    return publication


def update_publication(*, actor: User | Any, publication: Publication, values: dict[str, Any]) -> Publication:
    if not permissions.can_edit_profile(actor, publication.owner):
        raise NotPermitted
    values = {name: values[name] for name in PUBLICATION_EDITABLE if name in values}
    if "doi" in values:
        values["doi"] = bibliography.normalise_doi(values["doi"] or "")
    merged = {name: getattr(publication, name) for name in PUBLICATION_EDITABLE} | values
    key = _check_publication(publication.owner, merged, exclude_pk=publication.pk)
    with transaction.atomic():
        for name, value in values.items():
            setattr(publication, name, value)
        publication.dedupe_key = key
        publication.save()
        record(actor, "accounts.publication_updated", publication.owner, {"publication": publication.public_id})
        _publications_changed(actor, publication.owner)
    return publication


def delete_publication(*, actor: User | Any, publication: Publication) -> None:
    if not permissions.can_edit_profile(actor, publication.owner):
        raise NotPermitted
    owner = publication.owner
    with transaction.atomic():
        record(actor, "accounts.publication_deleted", owner, {"title": publication.title[:200]})
        publication.delete()
        _publications_changed(actor, owner)
