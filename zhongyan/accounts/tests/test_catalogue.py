"""The accounts catalogue is complete: every message translated, nothing fuzzy."""

import re
from pathlib import Path

from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n")[1:] if "msgid" in block and not block.lstrip().startswith("#~")]


def test_catalogue_has_no_fuzzy_entries() -> None:
    assert "#, fuzzy" not in CATALOGUE.read_text(encoding="utf-8")


def test_every_message_is_translated() -> None:
    untranslated = []
    for block in _entries():
        translations = re.findall(r'^msgstr(?:\[\d\])? (".*"(?:\n".*")*)', block, flags=re.MULTILINE)
        if not translations or any(re.fullmatch(r'""', text.strip()) for text in translations):
            untranslated.append(block.splitlines()[-2] if len(block.splitlines()) > 1 else block)
    assert not untranslated, untranslated


def test_compiled_catalogue_is_in_use() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Save profile") == "保存资料"
        assert translation.gettext("No expert matches this search.") == "没有符合搜索条件的专家。"
