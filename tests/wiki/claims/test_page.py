"""The facts on a page: each value with its footnotes, disputes side by side, ranks and gaps
shown; and the entry form's rows that add, change and remove values."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from sources.models import CitationUse
from tests.factories import ActorFactory, SourceFactory, editor
from wiki.models import Actor, Claim, Rank
from wiki.services import claim_save, page_save

pytestmark = pytest.mark.django_db

KEY = "ric-1999"
ESTABLISHED = "the Northern Alliance was established"
NAJIBULLAH = "led by President Najibullah"
DOSTUM = "General Abdul Rashid Dostum"
JAMIAT = "head of the Jamiat-e Islami Party"
WRONG_QUOTE = "Ahmad Shah Massoud, head of the Jamiat Islami Party"


def cite(quote, key=KEY):
    return f'[@{key} "{quote}"]'


@pytest.fixture
def source():
    return SourceFactory(key=KEY, title="Afghanistan background")


@pytest.fixture
def team():
    browser = Client()
    browser.force_login(editor(username="ed"))
    return browser


def add(entry, field, value, evidence="", **kwargs):
    claim = Claim(subject=entry, field=field, value=value, evidence=evidence, **kwargs)
    return claim_save(claim=claim, user=None)


def actor_with(body="", **kwargs):
    return page_save(
        page=ActorFactory(title="Massoud", slug="massoud", **kwargs), body=body, user=None
    )


def html_of(browser, entry):
    response = browser.get(entry.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def infobox(html):
    start = html.index('<aside class="infobox"')
    return html[start : html.index("</aside>", start)]


def fact(html, name):
    """The <dt>/<dd> pair of one fact in the box."""
    box = infobox(html)
    start = box.index(f'id="fact-{name}"')
    start = box.rindex("<dt", 0, start)
    end = box.find("<dt", start + 1)
    return box[start : end if end != -1 else len(box)]


def values_shown(html, name):
    return re.findall(r'<span class="claim__value">(.*?)</span>', fact(html, name))


def reference(html, number):
    """The reference list's item for footnote number."""
    start = html.index(f'<li id="fn-{number}"')
    return html[start : html.index("</li>", start)]


def citation_id(claim):
    content_type = ContentType.objects.get_for_model(Claim)
    return CitationUse.objects.get(content_type=content_type, object_id=claim.pk).citation_id


# ---------------------------------------------------------------------------------------------
# Footnotes


def test_a_fact_has_a_footnote_marker_linking_to_its_quote_in_the_reference_list(client, source):
    actor = actor_with()
    claim = add(actor, "born", "1953-09-02", cite(ESTABLISHED))
    html = html_of(client, actor)
    born = fact(html, "born")
    assert '<li class="claim claim--normal">' in born
    assert values_shown(html, "born") == ["2 September 1953"]
    assert '<a href="#fn-1" id="fnref-1-1" title="Afghanistan background">[1]</a>' in born
    note = reference(html, 1)
    assert f'<q class="quote">{ESTABLISHED}</q>' in note
    assert f'href="/sources/{KEY}/#c{citation_id(claim)}"' in note
    assert 'href="#fnref-1-1"' in note  # and back to the fact


def test_fact_footnotes_are_numbered_after_the_bodys(client, source):
    actor = actor_with(f"He led. {cite(JAMIAT)}\n\nHe fought. {cite(DOSTUM)}\n")
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "died", "2001-09-09", cite(NAJIBULLAH))
    html = html_of(client, actor)
    assert 'id="fnref-1-1"' in html and 'id="fnref-2-1"' in html
    assert '<a href="#fn-3" id="fnref-3-1"' in fact(html, "born")
    assert '<a href="#fn-4" id="fnref-4-1"' in fact(html, "died")
    assert ESTABLISHED in reference(html, 3) and NAJIBULLAH in reference(html, 4)
    assert JAMIAT in reference(html, 1) and DOSTUM in reference(html, 2)


def test_two_passages_for_one_value_give_it_two_markers(client, source):
    actor = actor_with()
    add(actor, "born", "1953", f'[@{KEY} "{ESTABLISHED}"; @{KEY} "{NAJIBULLAH}"]')
    born = fact(html_of(client, actor), "born")
    assert 'href="#fn-1"' in born and 'href="#fn-2"' in born


# ---------------------------------------------------------------------------------------------
# Disputes, ranks, gaps


def test_a_disputed_field_shows_both_values_and_both_passages(client, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "born", "1954", cite(NAJIBULLAH))
    add(actor, "died", "2001", cite(DOSTUM))
    html = html_of(client, actor)  # the public sees the dispute too
    born = fact(html, "born")
    assert '<dt class="claim-field disputed" id="fact-born">' in born
    assert '<dd class="claim-values disputed">' in born and "sources disagree" in born
    assert values_shown(html, "born") == ["1953", "1954"]
    passages = born[born.index('class="claim__passages"') :]
    assert ESTABLISHED in passages and NAJIBULLAH in passages
    assert "disputed" not in fact(html, "died")


def test_values_that_agree_are_not_a_dispute(client, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "born", "1953-09-02", cite(NAJIBULLAH))
    html = html_of(client, actor)
    assert "disputed" not in fact(html, "born")
    assert values_shown(html, "born") == ["1953", "2 September 1953"]


def test_a_preferred_value_settles_the_dispute_and_says_why(client, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "born", "1954", cite(NAJIBULLAH), rank=Rank.PREFERRED, rank_reason="The census")
    html = html_of(client, actor)
    born = fact(html, "born")
    assert "disputed" not in born
    assert values_shown(html, "born") == ["1954", "1953"]  # the preferred one first
    assert "Preferred: The census" in born


def test_a_deprecated_value_is_struck_with_its_reason_and_settles_the_dispute(client, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "born", "1954", cite(NAJIBULLAH), rank=Rank.DEPRECATED, rank_reason="A misprint")
    html = html_of(client, actor)
    born = fact(html, "born")
    assert "disputed" not in born
    assert values_shown(html, "born") == ["1953", "<del>1954</del>"]
    assert '<li class="claim claim--deprecated">' in born
    assert '<span class="claim__rank claim__rank--deprecated">Deprecated: A misprint</span>' in born


def test_an_unsourced_value_is_marked_citation_needed(client, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "died", "2001")
    html = html_of(client, actor)
    assert "citation-needed" not in fact(html, "born")
    died = fact(html, "died")
    assert '<sup class="citation-needed"><a href="#coverage">citation needed</a></sup>' in died
    assert "footnote-ref" not in died


def test_the_coverage_line_counts_the_facts(client, source):
    actor = actor_with(f"He led. {cite(JAMIAT)}\n\nHe fought.\n")
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "died", "2001")
    html = html_of(client, actor)
    start = html.index('<p id="coverage"')
    line = " ".join(html[start : html.index("</p>", start)].split())
    assert "<strong>50 %</strong> of statements sourced" in line
    assert "(2 of 4, the facts beside the text included)" in line


def test_the_list_sorted_by_date_follows_the_claims(client, source):
    for title, born in [("Later", "1960"), ("Disputed", "1940"), ("Middle", "1953-04-02")]:
        add(ActorFactory(title=title), "born", born, cite(ESTABLISHED))
    add(Actor.objects.get(title="Disputed"), "born", "1970", cite(NAJIBULLAH))
    html = client.get(reverse("wiki:entry-list", args=["actors"]) + "?sort=date").content.decode()
    positions = [html.index(title) for title in ("Disputed", "Middle", "Later")]
    assert positions == sorted(positions)


# ---------------------------------------------------------------------------------------------
# What the public sees


def test_the_public_sees_no_passage_of_an_unpublished_source(client, team, source):
    SourceFactory(key="field-notes", title="Field notes", is_public=False)
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "born", "1954", cite(NAJIBULLAH, key="field-notes"))
    public = html_of(client, actor)
    assert "disputed" in fact(public, "born") and values_shown(public, "born") == ["1953", "1954"]
    assert NAJIBULLAH not in public and "Field notes" not in public
    assert "/sources/field-notes/" not in public
    assert "A source that is not available to you." in fact(public, "born")
    assert ESTABLISHED in public
    team_html = html_of(team, actor)
    assert NAJIBULLAH in fact(team_html, "born") and "Field notes" in team_html


def test_an_unpublished_page_with_a_dispute_stays_hidden_from_the_public(client, source):
    actor = actor_with(is_public=False)
    add(actor, "born", "1953", cite(ESTABLISHED))
    add(actor, "born", "1954", cite(NAJIBULLAH))
    assert client.get(actor.get_absolute_url()).status_code == 404


# ---------------------------------------------------------------------------------------------
# The entry form


def edit_url(entry):
    return reverse("wiki:entry-edit", args=[entry.url_segment, entry.slug])


def form_data(response, **changes):
    """What the browser posts back: the form's fields as rendered, with some changed."""
    data = {}
    for field in response.context["form"]:
        value = field.value()
        if field.name == "tags" and not isinstance(value, str):
            value = ", ".join(tag.name for tag in value or [])
        data[field.name] = "" if value is None else value
    data.update(changes)
    return data


def post_edit(browser, entry, **changes):
    form = browser.get(edit_url(entry))
    return browser.post(edit_url(entry), form_data(form, **changes))


def test_the_form_shows_each_value_with_its_passage_and_a_blank_row_for_another(team, source):
    actor = actor_with()
    claim = add(actor, "born", "1953", cite(ESTABLISHED))
    form = team.get(edit_url(actor)).context["form"]
    assert form["born"].value() == "1953" and form["born_evidence"].value() == cite(ESTABLISHED)
    assert form["born_id"].value() == claim.pk
    assert form["born_base"].value() == claim.history.first().history_id
    assert form["born_2"].value() in (None, "")


def test_a_second_value_with_its_passage_makes_the_field_disputed(team, client, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    response = post_edit(team, actor, born_2="1954", born_2_evidence=cite(NAJIBULLAH))
    assert response.status_code == 302
    actor = Actor.objects.get(pk=actor.pk)
    assert actor.born == "[1953,1954]"
    assert sorted(Claim.objects.of(actor).values_list("value", flat=True)) == ["1953", "1954"]
    html = html_of(client, actor)
    assert "disputed" in fact(html, "born")
    assert NAJIBULLAH in fact(html, "born")


def test_a_bad_quote_is_an_error_on_its_passage_with_the_closest_and_nothing_is_saved(team, source):
    actor = actor_with("Before.\n")
    add(actor, "born", "1953", cite(ESTABLISHED))
    revisions, claims = actor.history.count(), Claim.objects.count()
    response = post_edit(
        team, actor, body="After.\n", born_2="1954", born_2_evidence=cite(WRONG_QUOTE)
    )
    assert response.status_code == 200
    form = response.context["form"]
    [error] = form.errors["born_2_evidence"]
    assert f"“{KEY}”" in error and JAMIAT in error.split("Closest passage:")[1]
    assert "born_2" not in form.errors
    actor = Actor.objects.get(pk=actor.pk)
    assert (actor.body, actor.born) == ("Before.\n", "1953")
    assert (actor.history.count(), Claim.objects.count()) == (revisions, claims)


def test_blanking_a_value_and_its_passage_removes_the_value(team, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    removed = add(actor, "born", "1954", cite(NAJIBULLAH))
    response = post_edit(team, actor, born_2="", born_2_evidence="")
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=removed.pk).exists()
    assert Actor.objects.get(pk=actor.pk).born == "1953"


def test_blanking_a_value_but_not_its_passage_is_an_error(team, source):
    actor = actor_with()
    claim = add(actor, "born", "1953", cite(ESTABLISHED))
    response = post_edit(team, actor, born="")
    assert response.status_code == 200
    assert response.context["form"].errors["born"] == [
        "Give the value, or clear its passage too to remove it."
    ]
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_passage_without_a_value_is_an_error(team, source):
    actor = actor_with()
    response = post_edit(team, actor, born_evidence=cite(ESTABLISHED))
    assert response.context["form"].errors["born"] == ["Give the value this passage states."]
    assert not Claim.objects.exists()


def test_an_invalid_date_is_an_error_on_its_value(team, source):
    actor = actor_with()
    add(actor, "born", "1953", cite(ESTABLISHED))
    response = post_edit(team, actor, born_2="sometime in 1954", born_2_evidence=cite(NAJIBULLAH))
    assert response.status_code == 200
    [error] = response.context["form"].errors["born_2"]
    assert "“sometime in 1954” is not a date Attest understands" in error
    assert Claim.objects.count() == 1


def test_an_unchanged_form_writes_no_revision_of_a_claim(team, source):
    actor = actor_with()
    claim = add(actor, "born", "1953", cite(ESTABLISHED))
    response = post_edit(team, actor, body="A new sentence.\n")
    assert response.status_code == 302
    assert claim.history.count() == 1
