from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_orgs_catalogue_is_complete_and_has_no_fuzzy_entries() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        lines = entry.strip().splitlines()
        msgstr_index = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        value = "".join(line.split(" ", 1)[1] if i == msgstr_index else line for i, line in
                        enumerate(lines[msgstr_index:], start=msgstr_index))  # fmt: skip
        assert value.strip('"'), f"untranslated: {entry}"
    assert (CATALOGUE.with_suffix(".mo")).exists()
