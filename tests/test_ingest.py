"""Reading articles: the seed layout, plain text, Markdown, HTML, encodings and bad files."""

from datetime import date
from pathlib import Path

import pytest

from timeline.corpus import expand
from timeline.ingest import ArticleError, parse_text, read_article

SEED_LAYOUT = """# Transport Jets Land in the Capital

March 3, 2021

Two transport jets landed at the airport on Monday.

Original url:

<https://news.example.com/2021/03/03/jets>"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_seed_layout_gives_headline_date_url_and_body(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "jets.txt", SEED_LAYOUT))
    assert article.article_id == "jets"
    assert article.headline == "Transport Jets Land in the Capital"
    assert article.published == date(2021, 3, 3)
    assert article.source_url == "https://news.example.com/2021/03/03/jets"
    start, end = article.body
    assert article.text[start:end].strip() == "Two transport jets landed at the airport on Monday."


def test_published_option_overrides_the_date_line(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "a.txt", SEED_LAYOUT), published=date(2021, 3, 5))
    assert article.published == date(2021, 3, 5)


def test_plain_text_without_header_has_no_date(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "plain.txt", "A jet landed in the capital on Monday.\n"))
    assert article.published is None
    assert article.headline == ""
    assert article.body == (0, len(article.text))


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2019-01-26", date(2019, 1, 26)),
        ("26 January 2019", date(2019, 1, 26)),
        ("Published: Jan. 26, 2019", date(2019, 1, 26)),
        ("By Jane Smith | Published 14 September 2024", date(2024, 9, 14)),
        ("By Ann Lee · Sept. 3, 2024 10:15 a.m. ET", date(2024, 9, 3)),
        ("By Ann Lee, Reuters\n\nSept. 3, 2024", date(2024, 9, 3)),
        ("*By Ana Ruiz · 18 March 2025*", date(2025, 3, 18)),
        ("_Published: 2025-03-18_", date(2025, 3, 18)),
        ("Published: 9:15pm, 16 Sep 2024", date(2024, 9, 16)),
        ("Tue Aug 6 2024 - 18:45", date(2024, 8, 6)),
        ("Tue, Aug 6, 2024", date(2024, 8, 6)),
    ],
)
def test_date_line_formats(tmp_path: Path, line: str, expected: date) -> None:
    article = read_article(write(tmp_path, "d.md", f"# Title\n\n{line}\n\nBody text here.\n"))
    assert article.published == expected


def test_html_page_uses_article_text_and_metadata(tmp_path: Path) -> None:
    html = """<!doctype html><html><head><title>Cargo Jet Lands | Example News</title>
    <meta property="og:title" content="Cargo Jet Lands in the Capital">
    <meta property="article:published_time" content="2022-05-04T10:00:00Z">
    <link rel="canonical" href="https://news.example.com/cargo-jet"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Cargo Jet Lands in the Capital</h1>
    <p>A cargo jet landed at the main airport on Tuesday after a long flight from the coast,
    officials said, adding that it carried medical supplies for the hospitals.</p>
    <p>The aircraft is expected to leave again on Friday, according to the airport operator,
    which said the crew would rest in a hotel near the terminal building.</p></article>
    <footer>Copyright Example News</footer></body></html>"""
    article = read_article(write(tmp_path, "page.html", html))
    assert article.published == date(2022, 5, 4)
    assert "Cargo Jet Lands in the Capital" in article.headline
    assert "A cargo jet landed at the main airport on Tuesday" in article.text
    assert "Home | World" not in article.text


def test_html_paragraphs_stay_apart_and_the_repeated_title_goes(tmp_path: Path) -> None:
    from timeline.sentences import split_sentences

    html = """<!doctype html><html><head><title>Six Transports Land in Serbia</title></head>
    <body><article><h1>Six Transports Land in Serbia</h1>
    <h2>A second heading without a full stop</h2>
    <p>Six transport planes landed at the main airport early on Saturday, delivering an air
    defence system to the army, local media reported on Sunday morning.</p>
    </article></body></html>"""
    article = read_article(write(tmp_path, "page.html", html))
    body = article.text[article.body_start :]
    assert "Six Transports Land in Serbia" not in body
    sentences = [s.text for s in split_sentences(article.text, *article.body)]
    assert sentences[-1].startswith("Six transport planes landed")


def test_windows_1252_text_keeps_curly_quotes(tmp_path: Path) -> None:
    text = "The minister said: \u201cthe plane landed\u201d \u2014 in Caf\u00e9 Town. " * 5
    article = read_article(write(tmp_path, "w.txt", text.encode("cp1252")))
    assert "\u201cthe plane landed\u201d" in article.text
    assert "Caf\u00e9" in article.text


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    article = read_article(
        write(tmp_path, "b.txt", b"\xef\xbb\xbf# Head\r\n\r\n2020-02-02\r\n\r\nBody.\r\n")
    )
    assert article.headline == "Head"
    assert article.published == date(2020, 2, 2)
    assert "\r" not in article.text


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "  \n\t\n", "empty file"),
        ("binary.txt", b"\x00\x01\x02\xff" * 100, "binary data"),
    ],
)
def test_bad_files_raise_one_line_errors(
    tmp_path: Path, name: str, content: str | bytes, reason: str
) -> None:
    with pytest.raises(ArticleError, match=reason) as caught:
        read_article(write(tmp_path, name, content))
    assert "\n" not in str(caught.value)
    assert name in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "absent.txt")


def test_directories_expand_recursively_and_sorted(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "x")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.md", "x")
    write(tmp_path, "picture.png", b"\x89PNG")
    sources, failures = expand([str(tmp_path)])
    assert [Path(s.path).name for s in sources] == ["b.txt", "a.md"]
    assert failures == []


def test_a_plain_first_line_before_a_date_line_is_the_headline(tmp_path: Path) -> None:
    text = "Jets diverted to Shannon\n\nTue Aug 6 2024 - 18:45\n\nTwo jets landed in Shannon.\n"
    article = read_article(write(tmp_path, "plain.txt", text))
    assert (article.headline, article.published) == ("Jets diverted to Shannon", date(2024, 8, 6))
    assert (
        article.text[article.body_start : article.body[1]].strip() == "Two jets landed in Shannon."
    )
    prose = "A jet landed in Shannon on Monday.\nIt left on Tuesday.\n"
    assert read_article(write(tmp_path, "prose.txt", prose)).headline == ""


def test_a_stored_pages_date_stamp_and_title_line_are_not_body() -> None:
    text = " date 2023-05-06 Two jets land in Oslo | The Example Post\nTwo F-35s landed in Oslo.\n"
    article = parse_text(text, "page")
    assert article.published == date(2023, 5, 6)
    assert article.headline == "Two jets land in Oslo"
    assert text[article.body_start :].startswith("Two F-35s landed")


def test_a_date_stamp_before_body_text_keeps_the_text_as_body() -> None:
    text = "date 2023-05-06 OSLO: Two F-35s landed in Oslo on Friday.\n"
    article = parse_text(text, "page")
    assert (article.published, article.headline) == (date(2023, 5, 6), "")
    assert text[article.body_start :].startswith("OSLO: Two F-35s")
