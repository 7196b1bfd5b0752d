"""What each item is matched by, built from the database (the engine itself never sees the ORM).

* An expert: headline, bio (both languages), keywords, fields and the abstracts of their newest
  structured publications; titles are their publication titles, the free-text publication lines
  and the titles of public or NDA demands they proposed to or won (their past work). Titles of
  internal demands are left out: the explanation is shown to other organisations.
* A demand, as a matching *item* (demands for an expert, similar demands): only its teaser —
  title, summary (and keywords of public demands) — which everyone who may see the demand may read. NDA background never
  enters the index, so no explanation can quote it to someone who has not accepted the NDA.
* A demand as a *query* (experts for a demand, shown to its managers only): the full text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from zhongyan.accounts.models import User
from zhongyan.catalog.models import Offering
from zhongyan.demands.models import Demand
from zhongyan.matching.engine import Item, Query
from zhongyan.orgs.models import Organisation
from zhongyan.proposals.models import Proposal

MAX_TITLES = 30
# Abstracts of an expert's newest publications join the matched text; a cap keeps prolific authors'
# documents comparable in length (BM25 normalises by length) and encoding fast.
MAX_ABSTRACTS = 10
MAX_ABSTRACT_CHARS = 1500


@dataclass(frozen=True)
class Document:
    text: str
    titles: tuple[str, ...]
    field_codes: tuple[str, ...]

    @property
    def hash(self) -> str:
        digest = hashlib.sha256()
        for part in (self.text, *self.titles, "\x1e", *self.field_codes):
            digest.update(part.encode())
            digest.update(b"\x1f")
        return digest.hexdigest()

    def item(self, item_id: str) -> Item:
        return Item(id=item_id, text=self.text, fields=frozenset(self.field_codes), titles=self.titles)


def _both(value: Any) -> list[str]:
    """Every language version of a bilingual value, Chinese first."""
    if isinstance(value, dict):
        ordered = [value.get("zh-hans", ""), value.get("en", "")]
        ordered += [text for code, text in value.items() if code not in ("zh-hans", "en")]
        return [text.strip() for text in ordered if text and text.strip()]
    return [str(value).strip()] if value else []


def _join(parts: list[str]) -> str:
    return "\n".join(part for part in parts if part)


def expert_document(user: User) -> Document:
    parts = _both(user.headline) + _both(user.bio)
    keywords = user.keyword_list()
    if keywords:
        parts.append(", ".join(keywords))
    publications = list(user.bibliography.all()[:MAX_TITLES])  # structured, newest first
    parts += [p.abstract[:MAX_ABSTRACT_CHARS] for p in publications[:MAX_ABSTRACTS] if p.abstract.strip()]
    titles = [p.title for p in publications]
    titles += [line.strip(" -*•\t") for line in (user.publications or "").splitlines() if line.strip(" -*•\t")]
    past = (
        Proposal.objects.filter(
            solver=user,
            status__in=Proposal.SUBMITTED_STATES,
            demand__confidentiality__in=(Demand.Confidentiality.PUBLIC, Demand.Confidentiality.NDA),
        )
        .select_related("demand")
        .order_by("-submitted_at")
    )
    for proposal in past[:MAX_TITLES]:
        titles.extend(_both(proposal.demand.title)[:1])
    codes = tuple(sorted(field.code for field in user.fields.all()))
    return Document(_join(parts), tuple(dict.fromkeys(titles))[:MAX_TITLES], codes)


def demand_teaser_document(demand: Demand) -> Document:
    parts = _both(demand.title) + _both(demand.summary)
    if demand.keywords and demand.confidentiality == Demand.Confidentiality.PUBLIC:
        parts.append(demand.keywords)  # the API treats an NDA demand's keywords as details
    codes = tuple(sorted(field.code for field in demand.fields.all()))  # prefetched by list callers
    return Document(_join(parts), (), codes)


def offering_document(offering: Offering) -> Document:
    """A published catalogue entry is public to every signed-in user: all of it may be matched."""
    parts = _both(offering.title) + _both(offering.description)
    if offering.keywords:
        parts.append(offering.keywords)
    codes = tuple(sorted(field.code for field in offering.fields.all()))
    return Document(_join(parts), (), codes)


def demand_query(demand: Demand) -> Query:
    """The full demand, for ranking experts; only ever run for the demand's managers."""
    parts = _both(demand.title) + _both(demand.summary) + _both(demand.background) + _both(demand.deliverables)
    parts += [" ".join(_both(indicator.name)) for indicator in demand.indicators.all()]
    if demand.keywords:
        parts.append(demand.keywords)
    return Query(_join(parts), frozenset(field.code for field in demand.fields.all()))


def expert_query(user: User) -> Query:
    document = expert_document(user)
    return Query("\n".join((document.text, *document.titles)), frozenset(document.field_codes))


MAX_MEMBER_KEYWORDS = 40


def organisation_document(organisation: Organisation) -> Document:
    """A verified organisation's public profile: name, description, its members' keywords (what its
    people say they do); titles are its published catalogue entries and, as for experts, the titles of
    public or NDA demands it proposed to (never internal ones). Callers prefetch the relations."""
    parts = _both(organisation.name) + _both(organisation.description)
    keywords = [word for m in organisation.memberships.all() if m.user.is_active for word in m.user.keyword_list()]
    if keywords:
        parts.append(", ".join(list(dict.fromkeys(keywords))[:MAX_MEMBER_KEYWORDS]))
    titles = [
        text
        for offering in organisation.offerings.all()
        if offering.status == Offering.Status.PUBLISHED
        for text in _both(offering.title)
    ]
    for proposal in organisation.proposals.all():
        if proposal.status in Proposal.SUBMITTED_STATES and proposal.demand.confidentiality in (
            Demand.Confidentiality.PUBLIC,
            Demand.Confidentiality.NDA,
        ):
            titles.extend(_both(proposal.demand.title)[:1])
    codes = tuple(sorted(field.code for field in organisation.fields.all()))
    return Document(_join(parts), tuple(dict.fromkeys(titles))[:MAX_TITLES], codes)
