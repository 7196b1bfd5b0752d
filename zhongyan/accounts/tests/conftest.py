from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and used TOTP codes live in the cache; no test may inherit another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request under /en/ leaves English active in the test thread, and reverse() would then
    # build /en/ URLs for the next test.
    with translation.override(settings.LANGUAGE_CODE):
        yield
