"""Reference lists grouped by source: each cited source named once, each footnote under it with
its own number, quote, passage link and way back to the text; and the facts box beside them."""

import lxml.html
import pytest
from django.urls import reverse

from sources.citations.syntax import CitationRef
from sources.models import Citation
from tests.factories import ActorFactory, SourceFactory, editor
from wiki.markup.rendering import Reference, group_by_source
from wiki.services import page_save

pytestmark = pytest.mark.django_db

TEXT = (
    "In 1992, the Northern Alliance was established in opposition of the communist government "
    "led by President Najibullah. The group consisted of General Abdul Rashid Dostum; "
    "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party; and Hezb-e Wahdat, a pro-Shi’a party."
)
PASSAGES = [
    "the Northern Alliance was established",
    "led by President Najibullah",
    "General Abdul Rashid Dostum",
    "head of the Jamiat-e Islami Party",
]


def references(client, url):
    """The reference list of the page at url, parsed."""
    html = lxml.html.fromstring(client.get(url).content)
    [section] = html.xpath("//section[@aria-labelledby='sources-heading']")
    return section


def revision_url(entry, record) -> str:
    return reverse("wiki:entry-revision", args=[entry.url_segment, entry.slug, record.history_id])


def groups(section) -> list:
    return section.xpath(".//div[@class='ref-group']")


def source_titles(section) -> list[str]:
    return [cite.text_content() for cite in section.xpath(".//dt//cite")]


def test_four_passages_of_one_source_name_it_once_with_four_quotes(client):
    SourceFactory(key="ric", title="Background on the Northern Alliance", text=TEXT)
    cites = [f'[@ric, para. {n} "{quote}"]' for n, quote in enumerate(PASSAGES)]
    body = " ".join(f"Statement {n}. {cite}" for n, cite in enumerate(cites))
    actor = page_save(page=ActorFactory(), body=body, user=None)
    section = references(client, actor.get_absolute_url())
    assert source_titles(section) == ["Background on the Northern Alliance"]
    assert section.text_content().count("Background on the Northern Alliance") == 1
    [group] = groups(section)
    notes = group.xpath(".//li")
    assert [note.get("id") for note in notes] == ["fn-1", "fn-2", "fn-3", "fn-4"]
    assert [note.get("value") for note in notes] == ["1", "2", "3", "4"]
    citations = {citation.quote: citation for citation in Citation.objects.all()}
    for n, (note, quote) in enumerate(zip(notes, PASSAGES, strict=True), start=1):
        [link] = note.xpath(".//a[contains(@class, 'ref-passage')]")
        assert link.text_content() == quote
        assert link.get("href") == f"/sources/ric/#c{citations[quote].pk}"
        assert note.xpath(".//a[@class='backref']/@href") == [f"#fnref-{n}-1"]
        assert f"para. {n - 1}" in note.text_content()


def test_the_text_keeps_its_footnote_numbers_and_each_jumps_to_its_quote(client):
    SourceFactory(key="ric", text=TEXT)
    body = " ".join(f'Statement. [@ric "{quote}"]' for quote in PASSAGES[:2])
    actor = page_save(page=ActorFactory(), body=body, user=None)
    page = lxml.html.fromstring(client.get(actor.get_absolute_url()).content)
    markers = page.xpath("//sup[contains(@class, 'footnote-ref')]/a")
    assert [(a.get("href"), a.get("id"), a.text) for a in markers] == [
        ("#fn-1", "fnref-1-1", "[1]"),
        ("#fn-2", "fnref-2-1", "[2]"),
    ]
    for n in (1, 2):
        assert page.xpath(f"//li[@id='fn-{n}']//a[contains(@class, 'ref-passage')]")


def test_two_sources_give_two_groups_in_first_cited_order(client):
    SourceFactory(key="first", title="Cited first", text=TEXT)
    SourceFactory(key="second", title="Cited second", text=TEXT)
    body = (
        f'One. [@second "{PASSAGES[0]}"] Two. [@first "{PASSAGES[1]}"] '
        f'Three. [@second "{PASSAGES[2]}"]'
    )
    actor = page_save(page=ActorFactory(), body=body, user=None)
    section = references(client, actor.get_absolute_url())
    assert source_titles(section) == ["Cited second", "Cited first"]
    second, first = groups(section)
    assert second.xpath(".//li/@id") == ["fn-1", "fn-3"]
    assert first.xpath(".//li/@id") == ["fn-2"]


def test_a_footnote_cited_twice_leads_back_to_both_places(client):
    SourceFactory(key="ric", text=TEXT)
    cite = f'[@ric "{PASSAGES[0]}"]'
    actor = page_save(page=ActorFactory(), body=f"One. {cite} Two. {cite}", user=None)
    [note] = references(client, actor.get_absolute_url()).xpath(".//li")
    backlinks = note.xpath(".//a[@class='backref']")
    assert [(a.get("href"), a.text) for a in backlinks] == [
        ("#fnref-1-1", "a"),
        ("#fnref-1-2", "b"),
    ]


def test_the_public_never_learns_which_passages_share_a_hidden_source(client):
    SourceFactory(key="open", title="Open report", text=TEXT)
    SourceFactory(key="secret", title="Secret report", text=TEXT, is_public=False)
    body = (
        f'One. [@secret "{PASSAGES[0]}"] Two. [@open "{PASSAGES[1]}"] '
        f'Three. [@secret "{PASSAGES[2]}"]'
    )
    actor = page_save(page=ActorFactory(), body=body, user=None)
    public = references(client, actor.get_absolute_url())
    assert "Secret report" not in public.text_content()
    assert [group.xpath(".//li/@id") for group in groups(public)] == [
        ["fn-1"],
        ["fn-2"],
        ["fn-3"],
    ]
    assert public.text_content().count("A source that is not available to you.") == 2
    client.force_login(editor())
    team = references(client, actor.get_absolute_url())
    assert source_titles(team) == ["Secret report", "Open report"]


def test_an_old_revision_groups_its_references_too(team):
    SourceFactory(key="ric", title="Background on the Northern Alliance", text=TEXT)
    body = " ".join(f'Statement. [@ric "{quote}"]' for quote in PASSAGES)
    actor = page_save(page=ActorFactory(), body=body, user=None)
    old = actor.history.first()
    page_save(page=actor, body="Rewritten.", user=None)
    section = references(team, revision_url(actor, old))
    assert source_titles(section) == ["Background on the Northern Alliance"]
    assert section.xpath(".//li/@id") == ["fn-1", "fn-2", "fn-3", "fn-4"]


def test_grouping_gathers_the_footnotes_of_a_key_no_source_has():
    refs = [CitationRef(key, quote=f"quote {n}") for n, key in enumerate(["x", "y", "x"])]
    notes = [Reference(ref, "unknown-source", number=n) for n, ref in enumerate(refs, start=1)]
    assert [(g.key, [r.number for r in g.references]) for g in group_by_source(notes)] == [
        ("x", [1, 3]),
        ("y", [2]),
    ]


def test_the_page_and_its_old_revision_share_one_facts_box(client, team):
    actor = ActorFactory(aliases="Mas'ud", born="1953")
    page_save(page=actor, body="Text.", user=None, tags=["jamiat"])
    old = actor.history.first()
    for browser, url in (
        (client, actor.get_absolute_url()),
        (team, revision_url(actor, old)),
    ):
        page = lxml.html.fromstring(browser.get(url).content)
        [box] = page.xpath("//aside[@class='infobox']")
        terms = [dt.text_content() for dt in box.xpath(".//dt")]
        assert terms == ["Also known as", "Born", "Tags"]
        assert "Mas'ud" in box.text_content() and "jamiat" in box.text_content()
