from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for allauth; sign-up stays open (organisations are verified by operators instead)."""
