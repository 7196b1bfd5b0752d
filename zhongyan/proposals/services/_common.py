"""Helpers shared by the proposal services: errors, row locks, signals after commit."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.errors import DomainError
from zhongyan.demands.models import Demand
from zhongyan.proposals.models import Proposal


class DeadlinePassed(DomainError):
    default_message = _("The deadline for proposals has passed; the demand no longer accepts changes.")


class AlreadySubmitted(DomainError):
    default_message = _("This proposal has already been submitted and can no longer be edited.")


class IncompleteProposal(DomainError):
    default_message = _("Describe your technical approach before submitting.")


class InvalidAttachment(DomainError):
    default_message = _("This file cannot be attached.")


class ReviewClosed(DomainError):
    default_message = _("Your review of this proposal is already submitted.")


class IncompleteReview(DomainError):
    default_message = _("Give every criterion a score from 1 to 5 before submitting your review.")


def now() -> Any:
    """The server clock, in one place so tests can stop it at the deadline."""
    return timezone.now()


def send_after_commit(signal: Signal, **kwargs: Any) -> None:
    send: Callable[[], Any] = partial(signal.send, sender=Proposal, **kwargs)
    transaction.on_commit(send)


def lock_demand(demand: Demand) -> Demand:
    """Lock the demand row and re-read it. Every write that depends on the deadline or the demand's
    status takes this lock first, so it queues behind a concurrent close or award and sees its
    result (SQLite's IMMEDIATE transactions serialise writers; PostgreSQL needs the row lock)."""
    Demand.objects.select_for_update().filter(pk=demand.pk).exists()
    demand.refresh_from_db()
    return demand


def accepts_proposals_now(demand: Demand) -> bool:
    return demand.status == Demand.Status.PUBLISHED and now() < demand.deadline
