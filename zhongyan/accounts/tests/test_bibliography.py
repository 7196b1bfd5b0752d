"""The pure publication-file reader: BibTeX, RIS and CSV, in UTF-8 or GBK; no database."""

from pathlib import Path

import pytest

from zhongyan.accounts import bibliography
from zhongyan.accounts.bibliography import UnreadableFile, parse

DATA = Path(__file__).parent / "data"


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_bibtex_records_decode_latex_and_keep_kinds():
    parsed = parse(_read("publications.bib"))
    assert parsed.format == "bibtex"
    by_title = {record.title: record for record in parsed.records}
    article = by_title["Hydrogen Reduction of Iron Ore Pellets in a Shaft Furnace"]
    assert article.authors == "Li, Wei; Müller, Hans"
    assert article.venue == "ISIJ International" and article.year == 2021
    assert article.doi == "10.2355/isijinternational.isijint-2021-001"
    assert "°C" in article.abstract
    assert by_title["Raceway Combustion of Pulverized Coal Blends"].kind == "conference"
    patent = by_title["高炉喷煤量在线优化控制方法"]
    assert patent.kind == "patent" and patent.patent_number == "CN112345678A"
    assert by_title["Physical Metallurgy of Strip Steel"].kind == "book"


def test_bibtex_malformed_records_are_reported_with_lines_and_the_rest_imported():
    parsed = parse(_read("publications.bib"))
    assert len(parsed.records) == 4
    assert [(problem.line, problem.code) for problem in parsed.problems] == [(25, "no_title"), (37, "syntax")]
    assert parsed.duplicates == 1  # the same DOI written as a URL and in capitals


def test_ris_reads_wrapped_abstracts_patents_and_reports_bad_years():
    parsed = parse(_read("publications.ris"))
    assert parsed.format == "ris"
    first, patent, last = parsed.records
    assert first.title == "Chatter suppression in tandem cold rolling mills"
    assert first.authors == "Smith, Anna; 赵, 六" and first.year == 2022
    assert first.abstract.endswith("adaptive damping of the work roll.")
    assert patent.kind == "patent" and patent.patent_number == "CN109876543B"
    assert last.year is None
    assert [(p.line, p.code) for p in parsed.problems] == [(19, "no_title"), (24, "bad_year")]
    assert "sometime" in parsed.problems[1].message()


def test_ris_record_without_an_end_is_still_read_and_flagged():
    parsed = parse(b"TY  - JOUR\nTI  - Unfinished record\nPY  - 2020\n")
    assert [record.title for record in parsed.records] == ["Unfinished record"]
    assert [problem.code for problem in parsed.problems] == ["unterminated"]


def test_csv_maps_english_headers_and_skips_duplicate_rows():
    parsed = parse(_read("publications.csv"))
    assert parsed.format == "csv"
    assert [record.title for record in parsed.records] == [
        "Machine learning for blast furnace hot metal temperature",
        "Slab caster mould level control",
    ]
    assert parsed.records[1].kind == "patent" and parsed.records[1].patent_number == "CN111222333A"
    assert parsed.duplicates == 1
    assert [(p.line, p.code) for p in parsed.problems] == [(4, "no_title")]


def test_chinese_gbk_csv_with_chinese_headers():
    data = _read("publications-gbk.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse(data)
    assert [record.title for record in parsed.records] == [
        "氢基竖炉直接还原铁工艺研究",
        "转炉炼钢终点碳温度预测模型",
        "一种冷轧带钢板形控制方法",
    ]
    assert parsed.records[0].venue == "钢铁" and parsed.records[0].abstract.startswith("研究了氢气")
    assert parsed.records[2].kind == "patent"
    assert [(p.line, p.code) for p in parsed.problems] == [(4, "bad_year"), (5, "no_title")]


def test_utf8_bom_and_semicolon_csv():
    parsed = parse("\ufeff标题;作者;年份\n高炉煤气余压发电;张三;2017\n".encode())
    assert [(r.title, r.authors, r.year) for r in parsed.records] == [("高炉煤气余压发电", "张三", 2017)]


def test_utf16_file_with_bom_is_read():
    parsed = parse("TY  - JOUR\nTI  - 连铸坯中心偏析\nER  - \n".encode("utf-16"))
    assert parsed.records[0].title == "连铸坯中心偏析"


def test_csv_row_with_an_unclosed_quote_is_reported_not_merged_into_a_title():
    parsed = parse(b'title,year\n"Good one",2020\n"Broken,2021\n"Next",2022\n')
    assert [record.title for record in parsed.records] == ["Good one"]
    assert [(p.line, p.code) for p in parsed.problems] == [(3, "syntax")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n\x00\x01binary", "encoding"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "encoding"),
        (b"name,email\nx,y\n", "format"),
        (b"just some words\nand more", "format"),
    ],
)
def test_unreadable_files_are_refused_with_a_code(data, code):
    with pytest.raises(UnreadableFile) as refused:
        parse(data)
    assert refused.value.code == code
    assert str(bibliography.UNREADABLE_MESSAGES[code])


def test_dedupe_key_ignores_case_width_and_punctuation_and_prefers_the_doi():
    assert bibliography.dedupe_key("", "Coke-Rate  Reduction!") == bibliography.dedupe_key("", "coke rate reduction")
    assert bibliography.dedupe_key("", "ＡＢＣ钢") == bibliography.dedupe_key("", "abc钢")
    assert bibliography.dedupe_key("https://doi.org/10.1/X", "a") == bibliography.dedupe_key("doi:10.1/x", "b")
