"""A source correction carries through to the texts that quote the corrected passage."""

import time

import pytest
from django.contrib.contenttypes.models import ContentType

from sources.citations.syntax import CitationRef, parse_group
from sources.common.history.revert import latest_revision_id
from sources.models import Citation, CitationUse, Source
from sources.services import source_save
from tests.factories import (
    SAMPLE_TEXT,
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    curator,
    editor,
)
from wiki.models import Actor, Membership
from wiki.requoting import quotes_follow, requote
from wiki.services import page_save, relation_save

OLD, NEW = "old words here", "new words there"
A = CitationRef("a", quote=OLD)


@pytest.mark.parametrize(
    ("text", "changes", "expected"),
    [
        # Only the quote changes; the sentence, spacing and the closing bracket stay.
        (f'Said so. [@a "{OLD}"] Then.', {A: NEW}, f'Said so. [@a "{NEW}"] Then.'),
        # Every citation of the same passage, wherever it stands.
        (
            f'One. [@a "{OLD}"]\n\nTwo. [@a  "{OLD}" ]',
            {A: NEW},
            f'One. [@a "{NEW}"]\n\nTwo. [@a  "{NEW}" ]',
        ),
        # A locator is part of the citation: only the one with it changes, the locator stays.
        (
            f'[@a, para. 3 "{OLD}"] [@a "{OLD}"]',
            {CitationRef("a", "para. 3", OLD): NEW},
            f'[@a, para. 3 "{NEW}"] [@a "{OLD}"]',
        ),
        # Within a group, only the citation named; its neighbours stay byte for byte.
        (
            f'[@b  "the x y z words" ; @a,p. 3 "{OLD}";@c]',
            {CitationRef("a", "p. 3", OLD): NEW},
            f'[@b  "the x y z words" ; @a,p. 3 "{NEW}";@c]',
        ),
        # Another source's citation of the same words is not this one.
        (f'[@b "{OLD}"]', {A: NEW}, f'[@b "{OLD}"]'),
        # Curly quote marks are kept; the new words are escaped for the marks around them.
        (f"[@a “{OLD}”]", {A: 'the ”end” and "more"'}, '[@a “the \\”end\\” and "more"”]'),
        (
            '[@a "say \\"so\\" here"]',
            {CitationRef("a", quote='say "so" here'): "said so right here"},
            '[@a "said so right here"]',
        ),
        (
            f'[@a "{OLD}"]',
            {A: 'a "b" c\\d and more'},
            '[@a "a \\"b\\" c\\\\d and more"]',
        ),
        # The new words go on one line: a paragraph break inside would end the citation.
        (f'[@a "{OLD}"]', {A: "new\n\nwords  here"}, '[@a "new words here"]'),
        # Links, escaped brackets and unreadable groups are left alone.
        (
            f'[[Link]] \\[@a "{OLD}"] [@ broken [@a "{OLD}"]',
            {A: NEW},
            f'[[Link]] \\[@a "{OLD}"] [@ broken [@a "{NEW}"]',
        ),
        # Nothing to change: the very same text.
        (f'[@a "{OLD}"]', {}, f'[@a "{OLD}"]'),
    ],
)
def test_requote(text, changes, expected):
    assert requote(text, changes) == expected


@pytest.mark.parametrize(
    "words",
    [NEW, 'words with "marks" in', "a back\\slash in it", "“curly” words here", "a ] b ; c and d"],
)
def test_requoted_words_read_back_as_written(words):
    group = requote(f'[@a, p. 2 "{OLD}"; @b]', {CitationRef("a", "p. 2", OLD): words})
    assert parse_group(group) == [CitationRef("a", "p. 2", words), CitationRef("b")]


# ---------------------------------------------------------------------------------------------

TYPO, FIXED = "head of the Jamiat-e Islamy Party", "head of the Jamiat-e Islami Party"


def typo_source(**kwargs):
    return SourceFactory(key="ric-1999", text=SAMPLE_TEXT.replace(FIXED, TYPO), **kwargs)


def correct(source, user, text=SAMPLE_TEXT):
    source = Source.objects.get(pk=source.pk)
    source.text = text
    return source_save(source=source, user=user, change_reason="Typo")


def body_citing(quote, locator=""):
    where = f", {locator}" if locator else ""
    return f'Massoud led the party. [@ric-1999{where} "{quote}"]\n\nHe fought on.\n'


def uses_of(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return CitationUse.objects.filter(content_type=content_type, object_id=obj.pk)


@pytest.mark.django_db
def test_a_correction_rewrites_the_quote_in_the_page_as_one_revision_by_the_corrector():
    source = typo_source()
    page = page_save(page=ActorFactory(), body=body_citing(TYPO), user=None)
    revisions, fixer = page.history.count(), editor()
    source = correct(source, fixer)
    page = Actor.objects.get(pk=page.pk)
    assert page.body == body_citing(FIXED)
    assert page.history.count() == revisions + 1
    latest = page.history.first()
    assert latest.history_user == fixer
    assert latest.history_change_reason == (
        f"Quote updated: source ric-1999 corrected in revision {latest_revision_id(source.history)}"
    )
    citation = uses_of(page).get().citation
    assert citation.quote == FIXED == source.text[citation.start : citation.end]
    # The next unrelated edit is no longer refused.
    page_save(page=page, body=page.body + "\nA later sentence.\n", user=fixer)


@pytest.mark.django_db
def test_a_correction_rewrites_relation_evidence():
    source = typo_source()
    membership = MembershipFactory.build(
        actor=ActorFactory(), faction=FactionFactory(), evidence=f'[@ric-1999 "{TYPO}"]'
    )
    relation_save(relation=membership, user=None)
    revisions = membership.history.count()
    correct(source, editor())
    membership = Membership.objects.get(pk=membership.pk)
    assert membership.evidence == f'[@ric-1999 "{FIXED}"]'
    assert membership.history.count() == revisions + 1
    assert uses_of(membership).get().citation.quote == FIXED


@pytest.mark.django_db
def test_several_citations_of_the_passage_in_one_page_make_one_revision():
    source = typo_source()
    body = body_citing(TYPO) + body_citing(TYPO, "para. 2") + body_citing(TYPO.upper())
    page = page_save(page=ActorFactory(), body=body, user=None)
    revisions = page.history.count()
    correct(source, editor())
    page = Actor.objects.get(pk=page.pk)
    assert page.body == body_citing(FIXED) + body_citing(FIXED, "para. 2") + body_citing(FIXED)
    assert page.history.count() == revisions + 1


@pytest.mark.django_db
def test_a_quote_that_still_reads_as_the_passage_is_left_as_typed():
    source = SourceFactory(key="ric-1999")
    quote = "Ahmad Shah Mas'ud, head of the Jamiat-e Islami Party"  # straight apostrophe
    page = page_save(page=ActorFactory(), body=body_citing(quote), user=None)
    revisions = page.history.count()
    correct(source, editor(), SAMPLE_TEXT.replace("Ahmad Shah", "Ahmad  Shah"))
    page = Actor.objects.get(pk=page.pk)
    assert uses_of(page).get().citation.quote.startswith("Ahmad  Shah")
    assert (page.body, page.history.count()) == (body_citing(quote), revisions)


@pytest.mark.django_db
def test_an_orphaned_passage_stays_in_the_text_flagged():
    source = typo_source()
    page = page_save(page=ActorFactory(), body=body_citing(TYPO), user=None)
    revisions = page.history.count()
    correct(source, editor(), "Nothing of the kind.")
    page = Actor.objects.get(pk=page.pk)
    assert (page.body, page.history.count()) == (body_citing(TYPO), revisions)
    assert uses_of(page).get().citation.status == Citation.Status.ORPHANED


@pytest.mark.django_db
def test_a_locked_page_is_left_to_the_curators_and_listed():
    source = typo_source()
    page = ActorFactory(is_locked=True, lock_reason="Under review")
    page_save(page=page, body=body_citing(TYPO), user=None)
    correct(source, editor())
    assert Actor.objects.get(pk=page.pk).body == body_citing(TYPO)
    # A curator's correction carries through the lock.
    correct(source, None, SAMPLE_TEXT.replace(FIXED, TYPO))
    report = correct(source, curator()).reanchor_report
    assert Actor.objects.get(pk=page.pk).body == body_citing(FIXED)
    followed = quotes_follow(source=source, requotes=report.requotes, user=editor())
    assert (followed.rewritten, followed.refused) == ([], [])


@pytest.mark.django_db
def test_quotes_follow_lists_what_it_could_not_rewrite():
    source = typo_source()
    page = ActorFactory(is_locked=True, lock_reason="Under review")
    page_save(page=page, body=body_citing(TYPO), user=None)
    source.text = SAMPLE_TEXT
    source.save()
    from sources.citations.reanchoring import citations_reanchor

    report = citations_reanchor(source=source)
    followed = quotes_follow(source=source, requotes=report.requotes, user=editor())
    assert followed.rewritten == []
    assert [(citer.pk, "Under review" in why) for citer, why in followed.refused] == [
        (page.pk, True)
    ]


@pytest.mark.django_db
def test_a_correction_cited_by_200_pages_rewrites_each_once(capsys):
    source = typo_source()
    pages = [page_save(page=ActorFactory(), body=body_citing(TYPO), user=None) for _ in range(200)]
    history = Actor.history.count()
    started = time.perf_counter()
    source = correct(source, editor())
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n200-page correction: {seconds:.2f} s")
    assert source.reanchor_report.requoted == 1
    assert Actor.history.count() == history + 200
    assert {page.body for page in Actor.objects.filter(pk__in=[p.pk for p in pages])} == {
        body_citing(FIXED)
    }
    assert seconds < 30
