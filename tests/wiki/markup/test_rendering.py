"""Pages as readers see them: footnotes to the passage, citation-needed marks, links, coverage."""

import re

import pytest
from django.urls import reverse

from sources.models import Citation
from sources.services import source_save
from tests.factories import ActorFactory, FactionFactory, SourceFactory, editor
from wiki.markup.preview import preview_body
from wiki.markup.rendering import page_body
from wiki.markup.statements import Coverage
from wiki.models import Actor
from wiki.revisions import revision_body
from wiki.services import page_save

pytestmark = pytest.mark.django_db


def page_html(client, entry):
    return client.get(entry.get_absolute_url()).content.decode()


def test_each_citation_is_a_numbered_footnote_linking_to_its_passage(client):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    actor = page_save(
        page=ActorFactory(),
        body='He led Jamiat. [@ric "head of the Jamiat-e Islami Party"] '
        'He opposed Najibullah. [@ric, para. 1 "led by President Najibullah"]',
        user=None,
    )
    html = page_html(client, actor)
    first, second = Citation.objects.order_by("start")[:2]
    assert 'href="#fn-1"' in html and 'href="#fn-2"' in html
    assert f'href="/sources/ric/#c{second.pk}"' in html
    assert f'href="/sources/ric/#c{first.pk}"' in html
    assert "para. 1" in html  # the locator is in the reference list
    assert "Background on the Northern Alliance" in html


def test_an_unsourced_sentence_carries_a_citation_needed_mark(client):
    SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(),
        body='Sourced. [@ric "led by President Najibullah"] Not sourced at all.',
        user=None,
    )
    html = page_html(client, actor)
    assert html.count('class="citation-needed"') == 1
    assert html.index("Not sourced at all.") < html.index('class="citation-needed"')
    assert "50 %" in html


def test_page_coverage_is_stored_for_lists():
    SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(), body='One. Two. [@ric "led by President Najibullah"] Three.', user=None
    )
    stored = Actor.objects.get(pk=actor.pk)
    # The citation backs "Two." only: not "One." before it in the paragraph.
    assert (stored.sentence_count, stored.sourced_count) == (3, 1)
    assert stored.coverage == pytest.approx(1 / 3)
    assert stored.statement_coverage == Coverage(1, 3)
    assert stored.coverage_percent == 33


def test_a_page_its_preview_and_its_old_revision_render_through_one_renderer():
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    page_save(page=FactionFactory(title="Northern Alliance"), user=None)
    body = (
        'He led Jamiat. [@ric "head of the Jamiat-e Islami Party"] '
        "He fought beside the [[Northern Alliance]] and [[Nobody Yet]]. Unsourced."
    )
    actor = page_save(page=ActorFactory(), body=body, user=None)
    reader = editor()
    page = page_body(actor, reader)
    preview = preview_body(body, reader)
    old = revision_body(actor.history.first())
    assert page.html == preview.html == old.html
    assert 'class="wikilink new"' in page.html and 'class="wikilink"' in page.html
    assert page.coverage == preview.coverage == old.coverage == Coverage(1, 3)
    assert Actor.objects.get(pk=actor.pk).statement_coverage == page.coverage
    citation = Citation.objects.get()
    assert [r.url for r in page.references] == [citation.get_absolute_url()]
    assert [r.url for r in old.references] == [citation.get_absolute_url()]
    assert [r.status for r in preview.references] == ["anchored"]  # looked up, not saved


def test_the_public_reads_a_hidden_source_as_withheld_and_a_missing_page_as_text():
    SourceFactory(key="secret", is_public=False)
    hidden = page_save(page=FactionFactory(title="Secret Cell", is_public=False), user=None)
    body = 'Met the [[Secret Cell]]. [@secret "led by President Najibullah"]'
    actor = page_save(page=ActorFactory(), body=body, user=None)
    public, team = page_body(actor, None), page_body(actor, editor())
    [withheld] = public.references
    assert (withheld.source, withheld.quote, withheld.url) == (None, "", "")
    assert "footnote-ref missing" in public.html
    assert hidden.get_absolute_url() not in public.html
    assert team.references[0].source.key == "secret"
    assert hidden.get_absolute_url() in team.html


def test_lists_filter_and_sort_by_coverage(client):
    SourceFactory(key="ric")
    full = page_save(
        page=ActorFactory(title="Full"), body='A. [@ric "led by President Najibullah"]', user=None
    )
    gaps = page_save(page=ActorFactory(title="Gaps"), body="Unsourced.", user=None)
    response = client.get(reverse("wiki:entry-list", args=["actors"]), {"coverage": "gaps"})
    assert [row.entry for row in response.context["rows"]] == [gaps]
    response = client.get(reverse("wiki:entry-list", args=["actors"]), {"sort": "coverage"})
    assert [row.entry for row in response.context["rows"]] == [gaps, full]


def test_links_resolve_by_title_or_alias(client):
    faction = FactionFactory(title="Jamiat-e Islami", aliases="Islamic Society")
    page_save(page=faction, user=None)
    actor = page_save(
        page=ActorFactory(), body="Member of [[Islamic Society|the party]].", user=None
    )
    html = page_html(client, actor)
    assert f'href="{faction.get_absolute_url()}" class="wikilink"' in html
    assert ">the party</a>" in html


def test_an_unknown_link_is_a_red_link_to_the_create_page_for_editors(client):
    actor = page_save(page=ActorFactory(), body="Ally of [[Nobody Yet]].", user=None)
    client.force_login(editor())
    html = page_html(client, actor)
    assert re.search(r'href="/new/\?title=Nobody\+Yet" class="wikilink new"', html)


def test_the_public_sees_links_to_missing_or_unpublished_pages_as_plain_text(client):
    hidden = FactionFactory(title="Secret Cell", is_public=False)
    page_save(page=hidden, user=None)
    actor = page_save(
        page=ActorFactory(), body="Member of [[Secret Cell]] and [[Nobody Yet]].", user=None
    )
    html = page_html(client, actor)
    assert hidden.get_absolute_url() not in html
    assert "/new/" not in html
    assert '<span class="wikilink-plain">Secret Cell</span>' in html


def test_what_links_here_lists_the_pages_linking_by_any_name(client):
    target = page_save(page=FactionFactory(title="Northern Alliance", aliases="UIF"), user=None)
    by_title = page_save(page=ActorFactory(title="A"), body="In [[Northern Alliance]].", user=None)
    by_alias = page_save(page=ActorFactory(title="B"), body="In [[UIF]].", user=None)
    page_save(page=ActorFactory(title="C"), body="Elsewhere.", user=None)
    response = client.get(target.get_absolute_url())
    assert [name.name for name in response.context["links_here"]] == [
        by_title.title,
        by_alias.title,
    ]


def test_an_orphaned_citation_is_flagged_on_the_page(client):
    source = SourceFactory(key="ric")
    actor = page_save(
        page=ActorFactory(), body='A. [@ric "led by President Najibullah"]', user=None
    )
    source.text = "The text was rewritten entirely."
    source_save(source=source, user=None)
    html = page_html(client, actor)
    assert "footnote-ref orphaned" in html
    assert "passage lost" in html


def test_raw_html_in_a_body_is_never_trusted(client):
    actor = page_save(
        page=ActorFactory(), body="<script>alert(1)</script> [x](javascript:alert(1))", user=None
    )
    html = page_html(client, actor)
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html


@pytest.mark.parametrize("citations", [3, 300])
def test_a_page_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries, citations):
    passages = [f"word w{n} here" for n in range(citations)]
    SourceFactory(key="long", text=". ".join(passages))
    body = "\n\n".join(f'Statement {n}. [@long "{quote}"]' for n, quote in enumerate(passages))
    actor = page_save(page=ActorFactory(), body=body, user=None)
    # the content clock (public page cache), entry, tags, citations, link targets,
    # what links here, the sources that mention it, its claims (none), memberships, events
    # (both empty)
    with django_assert_num_queries(10):
        response = client.get(actor.get_absolute_url())
    assert len(response.context["body"].references) == citations
