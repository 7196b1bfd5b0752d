"""Proposal attachments use the platform's private storage (see zhongyan.core.storage); the
names stay importable here because migration 0001 refers to them."""

from zhongyan.core.storage import PrivateStorage, get_private_storage, private_storage

__all__ = ["PrivateStorage", "get_private_storage", "private_storage"]
