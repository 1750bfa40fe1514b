"""Citation export: BibTeX, RIS and CSL-JSON as tables (no database), then the three downloads."""

import datetime
import json
import re
from dataclasses import dataclass, replace

import pytest
from django.test import Client
from django.urls import reverse

from sources.citations.export import (
    KnownDate,
    Name,
    bibtex_date,
    bibtex_escape,
    csl_date,
    known_dates,
    split_authors,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from tests.factories import SourceFactory, editor


@dataclass(frozen=True)
class Doc:
    """Stands in for a Source: the export reads attributes only."""

    key: str = "doc"
    title: str = "A title"
    kind: str = "report"
    authors: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    document_symbol: str = ""
    accessed: datetime.date | None = None
    language: str = ""
    notes: str = ""


RIC = Doc(
    key="ric-1999-afg00001",
    title="Afghanistan: Information on the Northern Alliance",
    kind="report",
    authors="Resource Information Center",
    publisher="Resource Information Center",
    published="1999-12-14",
    url="https://www.refworld.org/docid/3ae6a6b74.html",
    document_symbol="AFG00001.REF",
    accessed=datetime.date(2021, 8, 15),
    language="en",
    notes="Ask the archive about page 4.",
)
TRICKY_TITLE = 'Mas\'ud & the "Alliance" 100%_{x}'


def ris_fields(text: str) -> list[tuple[str, str]]:
    return [(line[:2], line[6:]) for line in text.split("\r\n") if line]


# ---------------------------------------------------------------------------------------------
# Authors: people are split, organisations are not


@pytest.mark.parametrize(
    ("authors", "names"),
    [
        ("", []),
        (" ; ", []),
        ("Resource Information Center", [Name("Resource Information Center", True)]),
        ("UNHCR", [Name("UNHCR", True)]),
        ("A. Author", [Name("A. Author")]),
        ("Ahmad Shah Mas’ud", [Name("Ahmad Shah Mas’ud")]),
        ("A. Author and B. Writer", [Name("A. Author"), Name("B. Writer")]),
        ("Smith, John; Doe, Jane", [Name("Smith, John"), Name("Doe, Jane")]),
        ("Smith, John and Doe, Jane", [Name("Smith, John"), Name("Doe, Jane")]),
        ("{Smith and Wesson}", [Name("Smith and Wesson", True)]),
        (
            "Department of Peace and Security; Human Rights Watch",
            [Name("Department of Peace and Security", True), Name("Human Rights Watch", True)],
        ),
        # Words alone cannot tell every organisation; braces, as in BibTeX, say it.
        (
            "{Médecins Sans Frontières}; A. Author",
            [Name("Médecins Sans Frontières", True), Name("A. Author")],
        ),
    ],
)
def test_split_authors(authors, names):
    assert split_authors(authors) == names


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        (Name("A. Author"), "Author", "A."),
        (Name("Smith, John"), "Smith", "John"),
        (Name("Ahmad Shah Mas’ud"), "Mas’ud", "Ahmad Shah"),
        (Name("Resource Information Center", True), "Resource Information Center", ""),
    ],
)
def test_a_name_has_family_and_given_parts(name, family, given):
    assert (name.family, name.given) == (family, given)


# ---------------------------------------------------------------------------------------------
# Dates: only what the EDTF value says for sure


@pytest.mark.parametrize(
    ("value", "known"),
    [
        ("", ()),
        ("1999-12-14", (KnownDate((1999, 12, 14)),)),
        ("2021-08", (KnownDate((2021, 8)),)),
        ("2021", (KnownDate((2021,)),)),
        ("1997~", (KnownDate((1997,), approximate=True),)),
        ("1997?", (KnownDate((1997,), uncertain=True),)),
        ("1985-04-12%", (KnownDate((1985, 4, 12), approximate=True, uncertain=True),)),
        ("1990/1992", (KnownDate((1990,)), KnownDate((1992,)))),
        ("1990-05/1992-07~", (KnownDate((1990, 5)), KnownDate((1992, 7), approximate=True))),
        ("1990/..", (KnownDate((1990,)), None)),
        ("../1992", (None, KnownDate((1992,)))),
        ("1997-XX-12", (KnownDate((1997,)),)),  # the month is unknown, so the day says nothing
        ("1997-21", (KnownDate((1997,), season=21),)),
        ("2004-06-11T10:00:00", (KnownDate((2004, 6, 11)),)),
        ("199X", ()),
        ("[1990,1991]", ()),
        ("not a date", ()),
    ],
)
def test_known_dates(value, known):
    assert known_dates(value) == known


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("1999-12-14", "1999-12-14"),
        ("2021-08", "2021-08"),
        ("2021", "2021"),
        ("1997~", "1997~"),
        ("1997?", "1997?"),
        ("1985-04-12%", "1985-04-12%"),
        ("1990/1992", "1990/1992"),
        ("1990~/1992-07", "1990~/1992-07"),
        ("1990/..", "1990/"),
        ("1997-21", "1997-21"),
        ("-0044", "-0044"),
        ("199X", ""),
        ("", ""),
    ],
)
def test_bibtex_date(value, field):
    assert bibtex_date(value) == field


@pytest.mark.parametrize(
    ("value", "issued"),
    [
        ("1999-12-14", {"date-parts": [[1999, 12, 14]]}),
        ("2021-08", {"date-parts": [[2021, 8]]}),
        ("2021", {"date-parts": [[2021]]}),
        ("1997~", {"date-parts": [[1997]], "circa": True}),
        ("1997?", {"date-parts": [[1997]]}),  # CSL cannot say "uncertain"
        ("1985-04-12%", {"date-parts": [[1985, 4, 12]], "circa": True}),
        ("1990/1992", {"date-parts": [[1990], [1992]]}),
        ("1990-05/1992-07~", {"date-parts": [[1990, 5], [1992, 7]], "circa": True}),
        ("1990/..", {"literal": "1990/.."}),
        ("1997-21", {"date-parts": [[1997]], "season": 1}),
        ("-0044", {"date-parts": [[-45]]}),  # astronomical -44 is 45 BC
        ("199X", None),
        ("", None),
    ],
)
def test_csl_date(value, issued):
    assert csl_date(value) == issued


@pytest.mark.parametrize(
    ("value", "py"),
    [
        ("1999-12-14", "1999/12/14/"),
        ("2021-08", "2021/08//"),
        ("2021", "2021///"),
        ("1997~", "1997///"),
        ("1990/1992", "1990///"),
        ("../1992", None),
        ("199X", None),
    ],
)
def test_ris_dates_give_the_known_parts(value, py):
    fields = dict(ris_fields(to_ris(Doc(published=value))))
    assert fields.get("PY") == py
    assert fields.get("DA") == py


# ---------------------------------------------------------------------------------------------
# Kinds


@pytest.mark.parametrize(
    ("kind", "bibtex", "ris", "csl"),
    [
        ("report", "techreport", "RPRT", "report"),
        ("news", "article", "NEWS", "article-newspaper"),
        ("article", "article", "JOUR", "article"),
        ("book", "book", "BOOK", "book"),
        ("webpage", "online", "ELEC", "webpage"),
        ("interview", "misc", "GEN", "interview"),
        ("dataset", "misc", "DATA", "dataset"),
        ("other", "misc", "GEN", "document"),
    ],
)
def test_each_kind_has_its_type_in_every_format(kind, bibtex, ris, csl):
    doc = Doc(kind=kind)
    assert to_bibtex(doc).startswith(f"@{bibtex}{{doc,\n")
    assert to_ris(doc).startswith(f"TY  - {ris}\r\n")
    assert to_csl_json(doc)["type"] == csl


def test_a_report_names_its_publisher_as_institution():
    assert "  institution = {RIC}" in to_bibtex(Doc(kind="report", publisher="RIC"))
    assert "  publisher = {RIC}" in to_bibtex(Doc(kind="book", publisher="RIC"))


def test_a_document_symbol_is_a_report_number_in_ris_and_m1_elsewhere():
    assert ("SN", "AFG00001.REF") in ris_fields(to_ris(RIC))
    assert ("M1", "AFG00001.REF") in ris_fields(to_ris(replace(RIC, kind="book")))


# ---------------------------------------------------------------------------------------------
# Whole records


def test_to_bibtex():
    assert to_bibtex(RIC) == (
        "@techreport{ric-1999-afg00001,\n"
        "  author = {{Resource Information Center}},\n"
        "  title = {{Afghanistan: Information on the Northern Alliance}},\n"
        "  institution = {Resource Information Center},\n"
        "  date = {1999-12-14},\n"
        "  number = {AFG00001.REF},\n"
        "  url = {https://www.refworld.org/docid/3ae6a6b74.html},\n"
        "  urldate = {2021-08-15},\n"
        "  language = {en}\n"
        "}\n"
    )


def test_to_ris():
    assert to_ris(RIC) == (
        "TY  - RPRT\r\n"
        "ID  - ric-1999-afg00001\r\n"
        "AU  - Resource Information Center\r\n"
        "TI  - Afghanistan: Information on the Northern Alliance\r\n"
        "PB  - Resource Information Center\r\n"
        "PY  - 1999/12/14/\r\n"
        "DA  - 1999/12/14/\r\n"
        "SN  - AFG00001.REF\r\n"
        "UR  - https://www.refworld.org/docid/3ae6a6b74.html\r\n"
        "Y2  - 2021/08/15/\r\n"
        "LA  - en\r\n"
        "ER  - \r\n"
    )


def test_to_csl_json():
    assert to_csl_json(RIC) == {
        "id": "ric-1999-afg00001",
        "type": "report",
        "title": "Afghanistan: Information on the Northern Alliance",
        "author": [{"literal": "Resource Information Center"}],
        "publisher": "Resource Information Center",
        "issued": {"date-parts": [[1999, 12, 14]]},
        "number": "AFG00001.REF",
        "URL": "https://www.refworld.org/docid/3ae6a6b74.html",
        "accessed": {"date-parts": [[2021, 8, 15]]},
        "language": "en",
    }


def test_people_and_organisations_in_every_format():
    doc = Doc(authors="A. Author and Smith, John; Resource Information Center")
    assert "  author = {A. Author and Smith, John and {Resource Information Center}}," in (
        to_bibtex(doc)
    )
    assert [value for tag, value in ris_fields(to_ris(doc)) if tag == "AU"] == [
        "Author, A.",
        "Smith, John",
        "Resource Information Center",
    ]
    assert to_csl_json(doc)["author"] == [
        {"family": "Author", "given": "A."},
        {"family": "Smith", "given": "John"},
        {"literal": "Resource Information Center"},
    ]


def test_missing_fields_are_left_out():
    doc = Doc(key="bare", title="Bare", kind="other")
    assert to_bibtex(doc) == "@misc{bare,\n  title = {{Bare}}\n}\n"
    assert to_ris(doc) == "TY  - GEN\r\nID  - bare\r\nTI  - Bare\r\nER  - \r\n"
    assert to_csl_json(doc) == {"id": "bare", "type": "document", "title": "Bare"}


@pytest.mark.parametrize("render", [to_bibtex, to_ris, lambda doc: json.dumps(to_csl_json(doc))])
def test_notes_are_never_exported(render):
    assert "archive" not in render(RIC)


# ---------------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Plain", "Plain"),
        ("A & B", r"A \& B"),
        ("100%", r"100\%"),
        ("$5 #1 a_b", r"\$5 \#1 a\_b"),
        ("{x}", r"\textbraceleft{}x\textbraceright{}"),
        ("~^", r"\textasciitilde{}\textasciicircum{}"),
        ("a\\b", r"a\textbackslash{}b"),
        ("Mas’ud, Kābul, کابل", "Mas’ud, Kābul, کابل"),  # UTF-8 stays UTF-8
        ("two\nlines", "two lines"),
    ],
)
def test_bibtex_escape(text, escaped):
    assert bibtex_escape(text) == escaped


def _braces_balance(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("title", [TRICKY_TITLE, "}{", "{", "a\\", "}@misc{evil,"])
def test_a_bibtex_entry_keeps_its_braces_balanced(title):
    entry = to_bibtex(Doc(title=title, authors=title, publisher=title, url=f"https://x/{title}"))
    assert _braces_balance(entry)
    assert entry.count("\n@") == 0  # one entry, whatever the title says


def test_the_tricky_title_in_bibtex():
    assert '  title = {{Mas\'ud \\& the "Alliance" 100\\%\\_\\textbraceleft{}x' in to_bibtex(
        Doc(title=TRICKY_TITLE)
    )


def test_a_url_is_not_tex_escaped_in_bibtex():
    url = "https://example.org/a_b?q=100%25#top"
    assert f"  url = {{{url}}}" in to_bibtex(Doc(url=url))


@pytest.mark.parametrize("title", [TRICKY_TITLE, "First\nSecond", "First\r\nER  - x", "a\u2028b"])
def test_ris_has_one_tag_a_line(title):
    text = to_ris(Doc(title=title, authors="A. Author\nB. Writer"))
    lines = text.split("\r\n")
    assert lines[-1] == "" and lines[-2] == "ER  - "
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert sum(line.startswith("ER  - ") for line in lines) == 1


def test_csl_json_keeps_the_tricky_title():
    assert to_csl_json(Doc(title=TRICKY_TITLE))["title"] == TRICKY_TITLE


# ---------------------------------------------------------------------------------------------
# The downloads

FORMATS = [
    ("sources:source-cite-bib", "application/x-bibtex; charset=utf-8", "bib"),
    ("sources:source-cite-ris", "application/x-research-info-systems; charset=utf-8", "ris"),
    ("sources:source-cite-json", "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
]
URL_NAMES = [name for name, _, _ in FORMATS]


@pytest.fixture
def editor_client():
    browser = Client()
    browser.force_login(editor(username="team-member"))
    return browser


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "content_type", "extension"), FORMATS)
def test_each_format_downloads_with_its_media_type(client, url_name, content_type, extension):
    source = SourceFactory(key="ric-1999", title=TRICKY_TITLE, authors="A. Author")
    response = client.get(reverse(url_name, args=[source.key]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="ric-1999.{extension}"'
    assert "ric-1999" in response.content.decode("utf-8")


@pytest.mark.django_db
def test_the_paths_are_the_documented_ones():
    assert reverse("sources:source-cite-bib", args=["k"]) == "/sources/k/cite.bib"
    assert reverse("sources:source-cite-ris", args=["k"]) == "/sources/k/cite.ris"
    assert reverse("sources:source-cite-json", args=["k"]) == "/sources/k/cite.json"


@pytest.mark.django_db
def test_the_csl_json_download_is_a_list_of_one_item(client):
    source = SourceFactory(key="ric-1999", title="Kābul & Mas’ud")
    items = json.loads(client.get(reverse("sources:source-cite-json", args=[source.key])).content)
    assert [item["id"] for item in items] == ["ric-1999"]
    assert items[0]["title"] == "Kābul & Mas’ud"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_an_unpublished_source_is_404_for_the_public(client, url_name):
    source = SourceFactory(is_public=False)
    assert client.get(reverse(url_name, args=[source.key])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_an_unpublished_source_downloads_for_the_team(editor_client, url_name):
    source = SourceFactory(is_public=False)
    assert editor_client.get(reverse(url_name, args=[source.key])).status_code == 200


@pytest.mark.django_db
def test_an_unknown_key_is_404(client):
    assert client.get(reverse("sources:source-cite-bib", args=["nothing"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_the_team_download_has_no_notes_either(editor_client, url_name):
    source = SourceFactory(notes="Ask the archive about page 4.")
    response = editor_client.get(reverse(url_name, args=[source.key]))
    assert "archive" not in response.content.decode("utf-8")


@pytest.mark.django_db
def test_the_source_page_links_the_three_formats(client):
    source = SourceFactory(key="ric-1999")
    html = client.get(source.get_absolute_url()).content.decode()
    for path, label in [("cite.bib", "BibTeX"), ("cite.ris", "RIS"), ("cite.json", "CSL-JSON")]:
        assert re.search(rf'<a href="/sources/ric-1999/{re.escape(path)}"[^>]*>{label}</a>', html)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
@pytest.mark.parametrize("tags", [0, 5])
def test_export_query_count_is_fixed(client, django_assert_num_queries, url_name, tags):
    source = SourceFactory()
    source.tags.add(*(f"tag-{n}" for n in range(tags)))
    with django_assert_num_queries(1):  # the source, without its text
        response = client.get(reverse(url_name, args=[source.key]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", URL_NAMES)
def test_export_query_count_for_the_team(editor_client, django_assert_num_queries, url_name):
    source = SourceFactory(is_public=False)
    with django_assert_num_queries(4):  # session, user, the user's groups, the source
        response = editor_client.get(reverse(url_name, args=[source.key]))
    assert response.status_code == 200
