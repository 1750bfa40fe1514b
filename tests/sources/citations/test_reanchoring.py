"""Re-anchoring after a source's text changes, and `manage.py check_citations`."""

import io
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from sources.citations.anchoring import context_around
from sources.citations.reanchoring import (
    ORPHANED_REASON,
    OrphanedCitation,
    Requote,
    citations_reanchor,
    citations_reanchor_all,
)
from sources.models import Citation, CitationUse, Source
from sources.services import source_save
from tests.factories import (
    SAMPLE_TEXT,
    ActorFactory,
    CitationFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
)
from wiki.models import Actor
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

QUOTE = "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party"


def cite(source, quote, page=None):
    """The citation a page saved with one sentence citing quote in source."""
    page = page or ActorFactory()
    page_save(page=page, body=f'A sentence. [@{source.key} "{quote}"]', user=None)
    content_type = ContentType.objects.get_for_model(page)
    return CitationUse.objects.get(content_type=content_type, object_id=page.pk).citation


def retext(source, text, *, old_text=True, **kwargs):
    """Save source with a new text and re-anchor its citations, as source_save will."""
    old = source.text
    source.text = text
    source.save()
    return citations_reanchor(source=source, old_text=old if old_text else None, **kwargs)


def reasons(citation):
    return list(citation.history.values_list("history_change_reason", flat=True))


def test_an_unchanged_text_writes_nothing():
    source = SourceFactory()
    citations = [cite(source, QUOTE), cite(source, "led by President Najibullah")]
    history = Citation.history.count()
    report = retext(source, source.text)
    assert (report.checked, report.unchanged, report.written) == (2, 2, 0)
    assert Citation.history.count() == history
    for citation in citations:
        assert Citation.objects.get(pk=citation.pk).quote == citation.quote


def test_a_moved_passage_gets_new_offsets_and_keeps_its_quote():
    source = SourceFactory()
    citation = cite(source, QUOTE)
    report = retext(source, "Background. " + SAMPLE_TEXT)
    moved = Citation.objects.get(pk=citation.pk)
    assert report.moved == 1
    assert (moved.start, moved.end) == (citation.start + 12, citation.end + 12)
    assert moved.quote == QUOTE == source.text[moved.start : moved.end]
    assert (moved.prefix, moved.suffix) == (citation.prefix, citation.suffix)
    assert reasons(moved)[0] == (
        "Re-anchored after the source text changed "
        f"(moved from {citation.start}–{citation.end} to {moved.start}–{moved.end})"
    )


@pytest.mark.parametrize(
    ("typo", "fixed", "method"),
    [
        # Same place between the same context: found between the old prefix and suffix.
        ("Jamiat-e Islamy Party", "Jamiat-e Islami Party", "context"),
        # The quote ends the text, so it has no suffix to find it between: fuzzy.
        ("Hezb-e Wahdat, a pro-Shia party.", "Hezb-e Wahdat, a pro-Shi’a party.", "fuzzy"),
    ],
)
def test_a_corrected_passage_is_requoted_with_one_history_row(typo, fixed, method):
    source = SourceFactory(text=SAMPLE_TEXT.replace(fixed, typo))
    citation = cite(source, typo)
    history = citation.history.count()
    report = retext(source, SAMPLE_TEXT)
    requoted = Citation.objects.get(pk=citation.pk)
    assert report.requoted == 1
    assert requoted.quote == fixed == source.text[requoted.start : requoted.end]
    assert requoted.status == Citation.Status.ANCHORED
    assert requoted.history.count() == history + 1
    assert reasons(requoted)[0].startswith(f"Re-anchored after the source text changed ({method}, ")
    assert report.requotes == [Requote(citation.pk, typo, fixed)]


def test_only_a_changed_quote_is_reported_as_requoted():
    source = SourceFactory()
    moved, lost = cite(source, QUOTE), cite(source, "led by President Najibullah")
    report = retext(
        source, "Background. " + SAMPLE_TEXT.replace("led by President Najibullah", "led by him")
    )
    assert (report.moved, report.orphaned, report.requotes) == (1, 1, [])
    assert {moved.pk, lost.pk} == set(Citation.objects.values_list("pk", flat=True))


def test_a_change_of_spacing_or_quote_marks_is_requoted_normalised():
    source = SourceFactory()
    citation = cite(source, QUOTE)
    text = SAMPLE_TEXT.replace("Ahmad Shah Mas’ud,", "Ahmad  Shah Mas'ud,")
    report = retext(source, text)
    requoted = Citation.objects.get(pk=citation.pk)
    assert report.requoted == 1
    assert requoted.quote == "Ahmad  Shah Mas'ud, head of the Jamiat-e Islami Party"
    assert reasons(requoted)[0] == "Re-anchored after the source text changed (normalised)"


def test_a_deleted_passage_is_orphaned_and_keeps_its_quote_and_offsets():
    source = SourceFactory()
    citation = cite(source, QUOTE)
    report = retext(source, SAMPLE_TEXT.replace(QUOTE, "a commander"))
    orphan = Citation.objects.get(pk=citation.pk)
    assert orphan.status == Citation.Status.ORPHANED
    assert (orphan.quote, orphan.start, orphan.end) == (QUOTE, citation.start, citation.end)
    assert (orphan.prefix, orphan.suffix) == (citation.prefix, citation.suffix)
    assert report.orphaned == 1
    assert report.orphans == [OrphanedCitation(citation.pk, source.key, QUOTE, newly=True)]
    assert reasons(orphan)[0] == ORPHANED_REASON
    assert Citation.objects.orphaned().get() == orphan


def test_an_orphan_stays_listed_but_is_not_written_again():
    source = SourceFactory()
    citation = cite(source, QUOTE)
    retext(source, SAMPLE_TEXT.replace(QUOTE, "a commander"))
    history = citation.history.count()
    report = citations_reanchor(source=source)
    assert report.orphans == [OrphanedCitation(citation.pk, source.key, QUOTE, newly=False)]
    assert (report.orphaned, report.written) == (1, 0)
    assert citation.history.count() == history


def test_an_orphan_whose_passage_returns_is_restored():
    source = SourceFactory()
    citation = cite(source, QUOTE)
    retext(source, SAMPLE_TEXT.replace(QUOTE, "a commander"))
    report = retext(source, SAMPLE_TEXT)
    restored = Citation.objects.get(pk=citation.pk)
    assert (report.restored, report.orphaned) == (1, 0)
    assert restored.status == Citation.Status.ANCHORED
    assert (restored.quote, restored.start, restored.end) == (QUOTE, citation.start, citation.end)
    assert reasons(restored)[0] == "Restored: passage found again in the source text (exact)"


def _cite_occurrence(source, quote, n):
    """A citation of the n-th (0-based) occurrence of quote, as page_save would anchor it."""
    start = -1
    for _ in range(n + 1):
        start = source.text.index(quote, start + 1)
    prefix, suffix = context_around(source.text, start, start + len(quote))
    return CitationFactory(source=source, quote=quote, start=start, prefix=prefix, suffix=suffix)


def test_of_duplicate_passages_the_one_with_the_old_context_is_kept():
    alpha = (
        "From Kabul, in the spring of that year, Alpha wrote that the war ended, and all was calm."
    )
    beta = (
        "From Mazar, much later on, Beta wrote that the war ended, though the north still fought."
    )
    source = SourceFactory(text=f"{alpha} {beta}")
    citation = _cite_occurrence(source, "the war ended", 1)
    retext(source, f"{beta} {alpha}")
    assert Citation.objects.get(pk=citation.pk).start == beta.index("the war ended")


@pytest.mark.parametrize("old_text", [True, False])
def test_of_duplicate_passages_the_one_nearest_the_old_offset_is_kept(old_text):
    line = "Again and again the war ended in the spring of that year.\n"
    source = SourceFactory(text=line * 6)
    citation = _cite_occurrence(source, "the war ended", 3)
    retext(source, line.replace("Again and again", "Once") + line * 5, old_text=old_text)
    moved = Citation.objects.get(pk=citation.pk)
    assert source.text[: moved.start].count("the war ended") == 3


def test_old_text_carries_offsets_across_a_long_insertion():
    line = "Again and again the war ended in the spring of that year.\n"
    source = SourceFactory(text=line * 6)
    citation = _cite_occurrence(source, "the war ended", 3)
    # Two lines inserted at the top: the old offset now points at another occurrence with the
    # same context; only the edit itself tells where the passage went.
    inserted = "Preface.\n" + line * 2
    retext(source, inserted + source.text)
    moved = Citation.objects.get(pk=citation.pk)
    assert moved.start == citation.start + len(inserted)


def test_whole_document_citations_are_left_alone():
    source = SourceFactory()
    page_save(page=ActorFactory(), body=f"A sentence. [@{source.key}]", user=None)
    whole = Citation.objects.get()
    history = Citation.history.count()
    report = retext(source, "Something else entirely.")
    assert report.checked == 0
    assert Citation.history.count() == history
    assert Citation.objects.get().status == whole.status == Citation.Status.UNVERIFIED


def test_history_rows_name_the_user_given():
    source = SourceFactory()
    citation = cite(source, QUOTE)
    user = UserFactory()
    retext(source, "Background. " + SAMPLE_TEXT, user=user)
    assert citation.history.first().history_user == user


@pytest.mark.parametrize("count", [1, 6])
def test_reanchoring_writes_in_bulk(django_assert_num_queries, count):
    source = SourceFactory()
    quotes = [
        "led by President Najibullah",
        QUOTE,
        "and Hezb-e Wahdat",
        "the communist government",
        "In 1992, the Northern",
    ]
    for quote in [*quotes, "General Abdul Rashid Dostum"][:count]:
        cite(source, quote)
    source.text = "Background. " + source.text
    source.save()
    # savepoint, citations, bulk update, history insert, release
    with django_assert_num_queries(5):
        report = citations_reanchor(source=source)
    assert report.moved == count


def test_reanchor_all_aggregates_and_reports_progress():
    first, second, uncited = SourceFactory(), SourceFactory(), SourceFactory()
    cite(first, QUOTE)
    cite(second, QUOTE)
    cite(second, "led by President Najibullah")
    for source in (first, uncited):
        source.text = "Background. " + source.text
        source.save()
    calls = []
    report = citations_reanchor_all(lambda done, total: calls.append((done, total)))
    assert (report.moved, report.unchanged) == (1, 2)
    assert calls == [(1, 2), (2, 2)]


def check_citations(*args, tty=False):
    """Run the command: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), (_Terminal() if tty else io.StringIO())
    try:
        call_command("check_citations", *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _orphan_cited_by_a_page_and_a_relation():
    source = SourceFactory(key="ric-1999")
    actor = ActorFactory(title="Ahmad Shah Massoud")
    citation = cite(source, QUOTE, page=actor)
    membership = MembershipFactory.build(
        actor=actor,
        faction=FactionFactory(title="Jamiat-e Islami"),
        evidence=f'[@ric-1999 "{QUOTE}"]',
    )
    relation_save(relation=membership, user=None)
    source.text = SAMPLE_TEXT.replace(QUOTE, "a commander")
    source.save()
    return citation, membership


def test_check_citations_fails_naming_each_orphan_and_who_uses_it():
    citation, membership = _orphan_cited_by_a_page_and_a_relation()
    status, out, err = check_citations()
    assert status == 1
    line = next(line for line in out.splitlines() if line.startswith("ORPHANED"))
    assert f"ric-1999 #{citation.pk}" in line
    assert QUOTE in line
    assert "Ahmad Shah Massoud (actor)" in line
    assert f"{membership} (membership)" in line
    assert "1 orphaned" in out
    assert "1 orphaned citation" in err


def test_check_citations_keeps_failing_while_the_orphan_remains():
    _orphan_cited_by_a_page_and_a_relation()
    check_citations()
    status, out, _ = check_citations("--quiet")
    assert status == 1
    assert out.startswith("ORPHANED ric-1999")


def test_check_citations_shortens_long_quotes_to_one_line():
    source = SourceFactory(key="ric-1999")
    citation = cite(source, SAMPLE_TEXT[:150])
    source.text = "Nothing left."
    source.save()
    _, out, _ = check_citations("--quiet")
    assert out == f"ORPHANED ric-1999 #{citation.pk} “{SAMPLE_TEXT[:79]}…” used by: {_user()}\n"


def _user():
    return f"{CitationUse.objects.get().citing} (actor)"


def test_check_citations_passes_when_everything_is_anchored():
    source = SourceFactory()
    cite(source, QUOTE)
    source.text = "Background. " + source.text
    source.save()
    status, out, err = check_citations()
    assert status == 0
    assert "Checked 1 quoted citations: 0 unchanged, 1 moved" in out
    assert "Every quoted citation is anchored." in out
    assert "ORPHANED" not in out and err == ""


def test_check_citations_source_limits_the_work():
    _orphan_cited_by_a_page_and_a_relation()
    other = SourceFactory(key="other")
    citation = cite(other, QUOTE)
    other.text = "Background. " + other.text
    other.save()
    status, out, _ = check_citations("--source", "other")
    assert status == 0
    assert "Checked 1 quoted citations" in out
    assert Citation.objects.orphaned().count() == 0
    assert Citation.objects.get(pk=citation.pk).start == citation.start + 12
    assert check_citations("--source", "other", "--source", "ric-1999")[0] == 1


def test_check_citations_refuses_an_unknown_source_key():
    status, _, err = check_citations("--source", "nowhere")
    assert status == 1
    assert "nowhere" in err


def test_check_citations_shows_progress_on_a_terminal_only():
    cite(SourceFactory(), QUOTE)
    assert check_citations()[2] == ""
    _, _, err = check_citations(tty=True)
    assert err.startswith("\rRe-anchoring [") and err.endswith("1/1 sources\n")
    assert check_citations("--quiet", tty=True)[1:] == ("", "")


def test_source_save_re_anchors_citations_when_the_text_changes():
    from sources.services import source_save

    source = SourceFactory(key="edited", text="Intro. The passage that matters. Outro.")
    actor = ActorFactory()
    page_save(page=actor, body='A claim. [@edited "The passage that matters"]', user=None)
    citation = Citation.objects.get(source=source)
    source.text = "A new first paragraph.\n\nIntro. The passage that matters. Outro."
    source_save(source=source, user=None, change_reason="Added the preface")
    citation.refresh_from_db()
    assert source.text[citation.start : citation.end] == "The passage that matters"
    assert citation.status == Citation.Status.ANCHORED


def test_source_save_orphans_a_citation_whose_passage_was_removed():
    from sources.services import source_save

    source = SourceFactory(key="cut", text="Intro. The passage that matters. Outro.")
    page_save(page=ActorFactory(), body='A claim. [@cut "The passage that matters"]', user=None)
    source.text = "Intro. Outro."
    source_save(source=source, user=None, change_reason="Cut")
    assert Citation.objects.get(source=source).status == Citation.Status.ORPHANED


# ---------------------------------------------------------------------------------------------
# Citations made while a source is being corrected


def test_a_citation_is_reused_only_where_it_still_holds_the_same_words():
    first, second = "Alpha beta gamma delta", "Kappa lamb theta sigma"
    source = SourceFactory(key="ric-1999", text=f"{first}. The rest of the report.")
    lost = cite(source, first)
    source.text = f"{second}. The rest of the report."
    source_save(source=source, user=None)
    assert Citation.objects.get(pk=lost.pk).status == Citation.Status.ORPHANED
    citation = cite(source, second)
    assert citation.pk != lost.pk
    assert citation.status == Citation.Status.ANCHORED
    assert citation.quote == second == source.text[citation.start : citation.end]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("corrected", "refused"),
    [
        # The cited words are gone: the page save is refused, naming the quote.
        (SAMPLE_TEXT.replace(QUOTE, "Burhanuddin Rabbani, the party's leader"), True),
        # The words moved: the citation anchors where they now stand.
        ("A preface of several words. " + SAMPLE_TEXT, False),
    ],
)
def test_a_page_saved_during_a_correction_waits_and_anchors_in_the_new_text(
    postgres_only, corrected, refused
):
    source = SourceFactory(key="ric-1999")
    page = ActorFactory()
    correcting, release, outcome = threading.Event(), threading.Event(), {}

    def correct():
        try:
            with transaction.atomic():
                being_corrected = Source.objects.get(pk=source.pk)
                being_corrected.text = corrected
                source_save(source=being_corrected, user=None, change_reason="Corrected")
                correcting.set()
                release.wait(10)
        finally:
            connection.close()

    def cite_old_words():
        try:
            body = f'A sentence. [@ric-1999 "{QUOTE}"]'
            page_save(page=Actor.objects.get(pk=page.pk), body=body, user=None)
            outcome["saved"] = True
        except ValidationError as error:
            outcome["refused"] = error.messages
        finally:
            connection.close()

    corrector, citer = threading.Thread(target=correct), threading.Thread(target=cite_old_words)
    corrector.start()
    assert correcting.wait(10)
    citer.start()
    citer.join(0.5)
    waited = citer.is_alive()
    release.set()
    corrector.join(10)
    citer.join(10)
    assert waited, "the page save did not wait for the correction to commit"
    text = Source.objects.get(pk=source.pk).text
    assert text == corrected
    for citation in Citation.objects.filter(source=source, status=Citation.Status.ANCHORED):
        assert text[citation.start : citation.end] == citation.quote
    if refused:
        assert "is not in source “ric-1999”" in outcome["refused"][0]
        assert not CitationUse.objects.exists()
    else:
        citation = CitationUse.objects.get().citation
        assert (citation.status, citation.quote) == (Citation.Status.ANCHORED, QUOTE)
