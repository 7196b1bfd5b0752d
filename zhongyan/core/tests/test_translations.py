"""Every interface string is in a zh_Hans catalogue and translated (STYLE.md: CI fails on an
untranslated string). The catalogues are regenerated from the source in a scratch copy, so a
string added to the code but never extracted fails here too."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _po_entries(path: Path) -> list[dict[str, object]]:
    """A small .po reader: msgid, plural, msgstr(s) and flags of each non-obsolete entry."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key: str | None = None

    def flush() -> None:
        if "msgid" in current:
            entries.append(dict(current))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~") or not line:
            if not line:
                flush()
                key = None
            continue
        if line.startswith("#,"):
            if "msgid" in current:
                flush()
            current["flags"] = line[2:]
            continue
        if line.startswith("#"):
            if "msgid" in current:
                flush()
            current.setdefault("refs", [])
            current["refs"].append(line)  # type: ignore[union-attr]
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
        if match:
            key = match.group(1)
            if key == "msgid" and "msgid" in current:
                flush()
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] = str(current[key]) + line[1:-1]
    flush()
    return entries


def _problems(po: Path) -> list[str]:
    problems = []
    for entry in _po_entries(po):
        if entry["msgid"] == "":
            continue  # the header
        msgstrs = [value for key, value in entry.items() if key.startswith("msgstr")]
        where = f"{po.relative_to(po.parents[4])}: {entry['msgid']!r}"
        if "fuzzy" in str(entry.get("flags", "")):
            problems.append(f"fuzzy {where}")
        elif not msgstrs or any(value == "" for value in msgstrs):
            problems.append(f"untranslated {where}")
    return problems


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext is not installed (make test installs it)")
def test_every_interface_string_is_translated_to_chinese(tmp_path: Path) -> None:
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "zhongyan", copy / "zhongyan", ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "ZHONGYAN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(copy)}
    result = subprocess.run(
        [sys.executable, "../manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0"],
        cwd=copy / "zhongyan",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    catalogues = sorted((copy / "zhongyan").glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogues, "no zh_Hans catalogue found"
    problems = [problem for po in catalogues for problem in _problems(po)]
    assert problems == [], f"{len(problems)} strings need a Chinese translation:\n" + "\n".join(problems[:80])


def test_a_string_in_several_catalogues_has_one_translation() -> None:
    """Django merges every app's catalogue into one: where two apps translate the same msgid
    differently, the earlier app's wording silently wins in the other app's pages too."""
    seen: dict[tuple[str, str], dict[str, list[str]]] = {}
    for po in sorted((ROOT / "zhongyan").glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        for entry in _po_entries(po):
            if entry["msgid"] == "" or "msgid_plural" in entry:
                continue
            key = (str(entry.get("msgctxt", "")), str(entry["msgid"]))
            where = str(po.relative_to(ROOT / "zhongyan")).split("/locale")[0] or "zhongyan"
            seen.setdefault(key, {}).setdefault(str(entry.get("msgstr", "")), []).append(where)
    conflicts = [f"{msgid!r}: {translations}" for (_, msgid), translations in seen.items() if len(translations) > 1]
    assert conflicts == [], f"{len(conflicts)} strings translated differently:\n" + "\n".join(conflicts[:40])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "language", "text"), [("/", "zh-hans", "创建账户"), ("/en/", "en", "Create an account")]
)
def test_home_page_speaks_the_language_of_its_url(path: str, language: str, text: str) -> None:
    from django.test import Client

    response = Client().get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert text in response.content.decode()
