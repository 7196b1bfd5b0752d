"""News from the demands module, sent with transaction.on_commit after the write commits.
Higher layers (notifications, matching, ...) listen; this module never imports them.

Every signal is sent with `sender=Demand` and keyword arguments named below.
"""

from django.dispatch import Signal

demand_submitted_for_review = Signal()  # demand, actor
demand_published = Signal()  # demand, actor
demand_status_changed = Signal()  # demand, actor, old_status, new_status
nda_accepted = Signal()  # demand, acceptance, actor
question_asked = Signal()  # demand, question, actor
question_answered = Signal()  # demand, question, actor
solver_invited = Signal()  # demand, invitation, actor
