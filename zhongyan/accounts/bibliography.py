"""Reading publication lists exported from reference managers, CNKI/Wanfang and patent offices.

Pure: bytes in, records and per-record errors out; no ORM. BibTeX goes through bibtexparser 2
(with its LaTeX decoding middleware, pylatexenc), RIS and CSV through the small readers below.
Files come in UTF-8 (with or without a BOM), UTF-16 with a BOM, or GBK/GB18030 — Chinese
databases still export the latter by default.

Errors carry a code and a line number, never a sentence: the job that stores them runs in a
worker without the reader's language, so the page translates them when it shows them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.utils.translation import gettext_lazy as _

BIBTEX = "bibtex"
RIS = "ris"
CSV = "csv"
FORMATS = (BIBTEX, RIS, CSV)

ARTICLE, PATENT, CONFERENCE, BOOK, OTHER = "article", "patent", "conference", "book", "other"

TITLE_MAX = 500
AUTHORS_MAX = 1000
VENUE_MAX = 300
NUMBER_MAX = 100
DOI_MAX = 200
URL_MAX = 500
ABSTRACT_MAX = 10000

ERROR_MESSAGES = {
    "syntax": _("This record could not be read (a brace, quote or field is broken)."),
    "no_title": _("This record has no title."),
    "bad_year": _("The year “%(value)s” is not a year; it was left empty."),
    "no_header": _("The CSV file has no “title” column. Name one column title, 标题 or 题名."),
    "unterminated": _("The last record has no end (RIS records end with “ER  -”)."),
}


class UnreadableFile(Exception):
    """The file is not text we can decode, or not one of the three formats."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


UNREADABLE_MESSAGES = {
    "encoding": _("The file is not text in UTF-8, UTF-16 or GBK/GB18030."),
    "format": _("This is not a BibTeX, RIS or CSV file."),
    "empty": _("The file is empty."),
}


@dataclass
class Record:
    line: int  # 1-based line where the record starts
    title: str
    kind: str = ARTICLE
    abstract: str = ""
    authors: str = ""
    year: int | None = None
    venue: str = ""
    patent_number: str = ""
    doi: str = ""
    url: str = ""

    @property
    def key(self) -> str:
        return dedupe_key(self.doi, self.title)


@dataclass
class Problem:
    line: int
    code: str
    value: str = ""

    def message(self) -> str:
        text = str(ERROR_MESSAGES[self.code])
        return text % {"value": self.value} if "%(value)s" in text else text


def stored_error_message(error: dict[str, Any]) -> str:
    """The reader's sentence for an error stored by an import job ({"line", "code", "value"})."""
    code = error.get("code", "")
    if code in UNREADABLE_MESSAGES:
        return str(UNREADABLE_MESSAGES[code])
    if code in ERROR_MESSAGES:
        return Problem(error.get("line", 0), code, error.get("value", "")).message()
    return str(_("This record could not be imported."))


@dataclass
class Parsed:
    format: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: int = 0  # records that repeat an earlier one in the file (same DOI or title)


# --- decoding and sniffing -------------------------------------------------------------------


def decode(data: bytes) -> str:
    if not data.strip():
        raise UnreadableFile("empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFile("encoding") from error
    if b"\x00" in data:  # binary (PDF, Word, an image): no text format here contains NUL
        raise UnreadableFile("encoding")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UnreadableFile("encoding")


_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def sniff(text: str) -> str:
    """The format, from the content (an extension proves nothing)."""
    head = text[:20000]
    if _BIBTEX_ENTRY.search(head):
        return BIBTEX
    lines = [line.strip("\ufeff") for line in head.splitlines() if line.strip()]
    if lines and _RIS_TAG.match(lines[0]) and lines[0].startswith("TY  -"):
        return RIS
    if lines and _header_map(_split_header(lines[0])):
        return CSV
    raise UnreadableFile("format")


def parse(data: bytes) -> Parsed:
    text = decode(data)
    kind = sniff(text)
    parsed = {BIBTEX: parse_bibtex, RIS: parse_ris, CSV: parse_csv}[kind](text)
    return drop_duplicates(parsed)


def drop_duplicates(parsed: Parsed) -> Parsed:
    seen: set[str] = set()
    unique = []
    for record in parsed.records:
        if record.key in seen:
            parsed.duplicates += 1
            continue
        seen.add(record.key)
        unique.append(record)
    parsed.records = unique
    parsed.problems.sort(key=lambda problem: problem.line)
    return parsed


# --- normalisation ---------------------------------------------------------------------------

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")
_SPACES = re.compile(r"\s+")


def clean(value: str, limit: int) -> str:
    value = _SPACES.sub(" ", value.replace("{", "").replace("}", "")).strip()
    return value[:limit]


def normalise_doi(value: str) -> str:
    return _DOI_PREFIX.sub("", value.strip()).strip().lower()[:DOI_MAX]


def dedupe_key(doi: str, title: str) -> str:
    """One publication, however it was exported: its DOI, or its title without case, accents,
    punctuation or spacing (full-width and half-width forms compare equal)."""
    if doi:
        return "doi:" + normalise_doi(doi)
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", title)).casefold()
    letters = "".join(char for char in folded if char.isalnum())
    return "title:" + letters[:280]


def _year(value: str, line: int, problems: list[Problem]) -> int | None:
    value = value.strip()
    if not value:
        return None
    found = _YEAR.search(value)
    if found is None:
        problems.append(Problem(line, "bad_year", value[:20]))
        return None
    return int(found.group(1))


def _record(line: int, values: dict[str, str], kind: str, problems: list[Problem]) -> Record | None:
    title = clean(values.get("title", ""), TITLE_MAX)
    if not title:
        problems.append(Problem(line, "no_title"))
        return None
    url = values.get("url", "").strip()
    return Record(
        line=line,
        title=title,
        kind=kind,
        abstract=_SPACES.sub(" ", values.get("abstract", "")).strip()[:ABSTRACT_MAX],
        authors=clean(values.get("authors", ""), AUTHORS_MAX),
        year=_year(values.get("year", ""), line, problems),
        venue=clean(values.get("venue", ""), VENUE_MAX),
        patent_number=clean(values.get("patent_number", ""), NUMBER_MAX),
        doi=normalise_doi(values.get("doi", "")),
        url=url[:URL_MAX] if url.lower().startswith(("http://", "https://")) else "",
    )


# --- BibTeX ----------------------------------------------------------------------------------

BIBTEX_KINDS = {
    "article": ARTICLE,
    "inproceedings": CONFERENCE,
    "conference": CONFERENCE,
    "proceedings": CONFERENCE,
    "book": BOOK,
    "inbook": BOOK,
    "incollection": BOOK,
    "patent": PATENT,
}


def parse_bibtex(text: str) -> Parsed:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    parsed = Parsed(BIBTEX)
    for block in library.failed_blocks:
        if block.raw.lstrip().lower().startswith(("@comment", "@preamble", "@string")):
            continue
        parsed.problems.append(Problem(block.start_line + 1, "syntax"))
    for entry in library.entries:
        fields = {name.lower(): str(value.value) for name, value in entry.fields_dict.items()}
        kind = BIBTEX_KINDS.get(entry.entry_type.lower(), OTHER)
        authors = " and ".join(part.strip() for part in fields.get("author", "").split(" and "))
        values = {
            "title": fields.get("title", ""),
            "abstract": fields.get("abstract", ""),
            "authors": authors.replace(" and ", "; "),
            "year": fields.get("year", ""),
            "venue": fields.get("journal") or fields.get("booktitle") or fields.get("publisher", ""),
            "patent_number": fields.get("number", "") if kind == PATENT else "",
            "doi": fields.get("doi", ""),
            "url": fields.get("url", ""),
        }
        record = _record(entry.start_line + 1, values, kind, parsed.problems)
        if record is not None:
            parsed.records.append(record)
    parsed.records.sort(key=lambda record: record.line)
    return parsed


# --- RIS -------------------------------------------------------------------------------------

RIS_KINDS = {
    "JOUR": ARTICLE,
    "JFULL": ARTICLE,
    "MGZN": ARTICLE,
    "EJOUR": ARTICLE,
    "CONF": CONFERENCE,
    "CPAPER": CONFERENCE,
    "BOOK": BOOK,
    "CHAP": BOOK,
    "EBOOK": BOOK,
    "PAT": PATENT,
}
RIS_FIELDS = {
    "TI": "title",
    "T1": "title",
    "AB": "abstract",
    "N2": "abstract",
    "PY": "year",
    "Y1": "year",
    "DA": "year",
    "JO": "venue",
    "JF": "venue",
    "T2": "venue",
    "JA": "venue",
    "BT": "venue",
    "DO": "doi",
    "UR": "url",
    "M1": "patent_number",
    "IS": "issue_number",
}


def parse_ris(text: str) -> Parsed:
    parsed = Parsed(RIS)
    start = 0
    values: dict[str, str] | None = None
    authors: list[str] = []
    kind = OTHER
    last_field = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip().lstrip("\ufeff")
        match = _RIS_TAG.match(line)
        if match is None:
            if values is not None and line.strip() and last_field in ("abstract", "title"):
                values[last_field] += " " + line.strip()  # a wrapped abstract
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if values is not None:
                parsed.problems.append(Problem(start, "unterminated"))
            start, values, authors, kind = number, {}, [], RIS_KINDS.get(value.upper(), OTHER)
        elif values is None:
            continue
        elif tag == "ER":
            _finish_ris(parsed, start, values, authors, kind)
            values = None
        elif tag in ("AU", "A1", "A2", "IN"):
            authors.append(value)
        elif tag in RIS_FIELDS:
            last_field = RIS_FIELDS[tag]
            values.setdefault(last_field, value)
            continue
        last_field = ""
    if values is not None:
        parsed.problems.append(Problem(start, "unterminated"))
        _finish_ris(parsed, start, values, authors, kind)
    return parsed


def _finish_ris(parsed: Parsed, line: int, values: dict[str, str], authors: list[str], kind: str) -> None:
    values["authors"] = "; ".join(author for author in authors if author)
    if kind == PATENT:
        values["patent_number"] = values.get("patent_number") or values.get("issue_number", "")
    else:
        values.pop("patent_number", None)
    record = _record(line, values, kind, parsed.problems)
    if record is not None:
        parsed.records.append(record)


# --- CSV -------------------------------------------------------------------------------------

CSV_HEADERS = {
    "title": ("title", "标题", "题名", "题目", "名称", "论文题目", "专利名称", "篇名"),
    "authors": ("authors", "author", "作者", "发明人", "作者/发明人"),
    "year": ("year", "年份", "年", "出版年", "发表年份", "公开年"),
    "abstract": ("abstract", "摘要", "summary"),
    "venue": ("venue", "journal", "source", "期刊", "来源", "刊名", "会议", "出版社", "publisher", "booktitle"),
    "patent_number": ("patent number", "patent_number", "patent no", "专利号", "公开号", "申请号", "公告号"),
    "doi": ("doi",),
    "url": ("url", "link", "链接", "网址"),
    "kind": ("type", "kind", "类型", "文献类型"),
}
CSV_KINDS = {
    ARTICLE: ("article", "journal", "journal article", "期刊", "期刊论文", "论文", "jour"),
    PATENT: ("patent", "专利", "发明专利", "实用新型", "pat"),
    CONFERENCE: ("conference", "proceedings", "inproceedings", "会议", "会议论文", "conf"),
    BOOK: ("book", "chapter", "专著", "书", "图书", "book chapter"),
}


def _split_header(line: str) -> list[str]:
    dialect = _dialect(line)
    return next(csv.reader([line], dialect), [])


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _header_map(names: Iterable[str]) -> dict[int, str]:
    wanted = {alias: name for name, aliases in CSV_HEADERS.items() for alias in aliases}
    found: dict[int, str] = {}
    for position, name in enumerate(names):
        target = wanted.get(name.strip().strip("\ufeff").casefold())
        if target and target not in found.values():
            found[position] = target
    return found if "title" in found.values() else {}


def _csv_kind(value: str) -> str:
    value = value.strip().casefold()
    for kind, aliases in CSV_KINDS.items():
        if value in aliases:
            return kind
    return OTHER if value else ARTICLE


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), _dialect(text))
    for row in reader:
        yield reader.line_num, row


def parse_csv(text: str) -> Parsed:
    parsed = Parsed(CSV)
    rows = _csv_rows(text)
    previous_end = 1
    try:
        _line, header = next(rows)
        columns = _header_map(header)
        if not columns:
            parsed.problems.append(Problem(1, "no_header"))
            return parsed
        for end, row in rows:
            start, previous_end = previous_end + 1, end
            if not any(cell.strip() for cell in row):
                continue
            values = {name: row[position] for position, name in columns.items() if position < len(row)}
            if "\n" in values.get("title", ""):  # titles never span lines: a quote was left open
                parsed.problems.append(Problem(start, "syntax"))
                continue
            kind = _csv_kind(values.pop("kind", ""))
            if kind != PATENT:
                values.pop("patent_number", None)
            record = _record(start, values, kind, parsed.problems)
            if record is not None:
                parsed.records.append(record)
    except csv.Error:
        parsed.problems.append(Problem(previous_end + 1, "syntax"))
    return parsed
