"""News from the accounts module, sent with transaction.on_commit after the write commits.
Higher layers (matching, ...) listen; this module never imports them.

Every signal is sent with `sender=User` and keyword arguments named below.
"""

from django.dispatch import Signal

profile_updated = Signal()  # user, actor, changed (names of the changed attributes)
