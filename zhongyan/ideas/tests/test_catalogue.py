"""The ideas module's zh_Hans catalogue is complete and compiled: no empty and no fuzzy entries."""

from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_ideas_string_has_a_chinese_translation() -> None:
    blocks = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [
        block
        for block in blocks
        if ('msgstr ""\n' in block + "\n" and 'msgstr ""\n"' not in block)
        or ('msgstr[0] ""\n' in block + "\n" and 'msgstr[0] ""\n"' not in block)
    ]
    fuzzy = [block for block in blocks if "#, fuzzy" in block]
    assert not untranslated and not fuzzy
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 1
