"""Saving claims: claim_save and page_save's claims write the facts beside a page's body, with
their evidence verified, their history kept and the entry's own fields derived from them."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from sources.models import Citation, CitationUse, Source
from sources.services import source_save
from tests.factories import (
    SAMPLE_TEXT,
    ActorFactory,
    EventFactory,
    SourceFactory,
    curator,
    editor,
)
from wiki.models import Actor, Claim, Event, Rank
from wiki.services import (
    ClaimEdit,
    claim_save,
    page_delete,
    page_publish,
    page_save,
    publish_blockers,
)

pytestmark = pytest.mark.django_db

KEY = "ric-1999"
ESTABLISHED = "the Northern Alliance was established"
NAJIBULLAH = "led by President Najibullah"
DOSTUM = "General Abdul Rashid Dostum"
# A quote the source does not have, and the passage it has instead.
WRONG_QUOTE = "Ahmad Shah Massoud, head of the Jamiat Islami Party"
CLOSEST = "head of the Jamiat-e Islami Party"


def cite(quote, key=KEY):
    return f'[@{key} "{quote}"]'


@pytest.fixture
def source():
    return SourceFactory(key=KEY, title="Afghanistan background")


@pytest.fixture
def ed():
    return editor(username="ed")


@pytest.fixture
def cur():
    return curator(username="cur")


def add(entry, field, value, evidence="", user=None, **kwargs):
    """A claim saved through the seam, as the disputes page or a command would."""
    claim = Claim(subject=entry, field=field, value=value, evidence=evidence, **kwargs)
    return claim_save(claim=claim, user=user)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def latest_revision(obj):
    return obj.history.values_list("history_id", flat=True).first()


def uses_of(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return CitationUse.objects.filter(content_type=content_type, object_id=obj.pk)


def rows():
    """Every row a save could touch, as it stands: a refused save leaves all of them so."""
    models = [Actor, Actor.history.model, Event, Claim, Claim.history.model, Citation]
    snapshot = {model: list(model.objects.order_by("pk").values()) for model in models}
    snapshot[CitationUse] = list(CitationUse.objects.order_by("pk").values())
    return snapshot


# ---------------------------------------------------------------------------------------------
# claim_save: create, change, delete, with history and the entry's field derived


def test_a_new_claim_is_saved_with_its_history_its_citation_and_a_revision_of_the_entry(source, ed):
    actor = ActorFactory()
    revisions = actor.history.count()
    claim = Claim(subject=actor, field="born", value=" 1953 ", evidence=cite(ESTABLISHED))
    claim_save(claim=claim, user=ed, change_reason="From the report")

    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.field, claim.value, claim.rank) == ("born", "1953", Rank.NORMAL)
    assert claim.subject == actor and claim.updated_by == ed
    [record] = claim.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        ed,
        "From the report",
    )
    assert uses_of(claim).get().citation.quote == ESTABLISHED

    actor = fresh(actor)
    assert actor.born == "1953"
    assert (actor.born_earliest, actor.born_latest) == (
        datetime.date(1953, 1, 1),
        datetime.date(1953, 12, 31),
    )
    assert (actor.fact_count, actor.fact_sourced_count) == (1, 1)
    assert actor.history.count() == revisions + 1
    latest = actor.history.first()
    assert latest.history_change_reason == "From the report" and latest.history_user == ed
    assert latest.claim_list == "Born: 1953"


def test_a_changed_claim_gets_a_revision_and_the_entry_follows(source, ed):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    claim.value, claim.evidence = "1953-09-02", cite(NAJIBULLAH)
    claim_save(claim=claim, user=ed)

    assert [record.history_type for record in claim.history.all()] == ["~", "+"]
    assert claim.history.first().value == "1953-09-02"
    assert uses_of(claim).get().citation.quote == NAJIBULLAH
    actor = fresh(actor)
    assert actor.born == "1953-09-02"
    assert actor.born_earliest == actor.born_latest == datetime.date(1953, 9, 2)
    assert actor.history.first().history_change_reason == "Changed born: 1953-09-02"


def test_a_deleted_claim_leaves_its_history_and_clears_the_entry(source, ed):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    pk = claim.pk
    claim_save(claim=claim, user=ed, delete=True)

    assert not Claim.objects.filter(pk=pk).exists()
    assert not CitationUse.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim), object_id=pk
    ).exists()
    assert list(
        Claim.history.filter(id=pk).values_list("history_type", flat=True).order_by("history_id")
    ) == ["+", "-"]
    actor = fresh(actor)
    assert (actor.born, actor.born_earliest, actor.born_latest) == ("", None, None)
    assert (actor.fact_count, actor.fact_sourced_count, actor.claim_list) == (0, 0, "")
    assert actor.history.first().history_change_reason == "Removed born: 1953"


def test_an_unsourced_claim_is_saved_and_counted_as_unsourced(ed):
    actor = ActorFactory()
    claim = add(actor, "died", "2001-09-09", user=ed)
    assert not uses_of(claim).exists()
    actor = fresh(actor)
    assert actor.died == "2001-09-09"
    assert (actor.fact_count, actor.fact_sourced_count) == (1, 0)
    assert actor.claim_list == "Died: 2001-09-09 [no source]"


def test_sources_that_disagree_give_the_entry_a_one_of_set_whose_bounds_span_them(source, ed):
    actor = ActorFactory()
    add(actor, "born", "1996", cite(ESTABLISHED), user=ed)
    add(actor, "born", "1992", cite(NAJIBULLAH), user=ed)
    actor = fresh(actor)
    assert actor.born == "[1992,1996]"
    assert (actor.born_earliest, actor.born_latest) == (
        datetime.date(1992, 1, 1),
        datetime.date(1996, 12, 31),
    )
    assert actor.claim_list == "Born: 1992\nBorn: 1996"


def test_an_events_facts_are_derived_from_its_claims(source, ed):
    event = EventFactory()
    add(event, "start", "1996-09-27", cite(ESTABLISHED), user=ed)
    add(event, "place", "Kabul", cite(NAJIBULLAH), user=ed)
    add(event, "fatalities", "70", cite(DOSTUM), user=ed)
    add(event, "fatalities", "2,500", cite(ESTABLISHED), user=ed)
    event = fresh(event)
    assert (event.start, event.place, event.fatalities) == ("1996-09-27", "Kabul", "70-2,500")
    assert event.start_earliest == event.start_latest == datetime.date(1996, 9, 27)
    assert (event.end, event.end_earliest) == ("", None)
    assert (event.fact_count, event.fact_sourced_count) == (4, 4)


def test_many_disagreeing_dates_derive_a_value_the_entry_can_hold_and_save_again(ed):
    days = ["1953-09-02", "1953-10-02", "1953-11-02", "1953-12-02", "1954-01-02", "1954-02-02"]
    actor = ActorFactory()
    for day in days:
        add(actor, "born", day, user=ed)
    actor = fresh(actor)
    assert actor.born == "1953-09-02/1954-02-02"
    assert (actor.born_earliest, actor.born_latest) == (
        datetime.date(1953, 9, 2),
        datetime.date(1954, 2, 2),
    )
    page_save(page=actor, body="A later edit of the body.\n", user=ed)
    assert fresh(actor).body == "A later edit of the body.\n"


def test_entries_sort_by_the_bounds_derived_from_their_claims(source, ed):
    born = {"late": "1960", "set": "[1940,1950]", "approximate": "1945~", "day": "1953-04-02"}
    actors = {title: ActorFactory(title=title) for title in born}
    for title, value in born.items():
        add(actors[title], "born", value, cite(ESTABLISHED), user=ed)
    ordered = Actor.objects.order_by("born_earliest").values_list("title", flat=True)
    assert list(ordered) == ["set", "approximate", "day", "late"]


def test_a_fact_the_entry_type_does_not_have_is_refused(source, ed):
    actor = ActorFactory()
    with pytest.raises(ValidationError) as refused:
        add(actor, "fatalities", "70", cite(ESTABLISHED), user=ed)
    assert "has no fact “fatalities”" in refused.value.message_dict["value"][0]
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------------------------
# Refusals: each names what is wrong, and changes nothing


def test_a_quote_not_in_the_source_is_an_evidence_error_naming_the_source_and_closest_passage(
    source, ed
):
    actor = ActorFactory()
    with pytest.raises(ValidationError) as refused:
        add(actor, "born", "1953", cite(WRONG_QUOTE), user=ed)
    [message] = refused.value.message_dict["evidence"]
    assert f"“{KEY}”" in message and WRONG_QUOTE in message
    assert CLOSEST in message.split("Closest passage:")[1]


def test_an_unknown_source_key_is_an_evidence_error(ed):
    with pytest.raises(ValidationError) as refused:
        add(ActorFactory(), "born", "1953", cite(ESTABLISHED, key="no-such-source"), user=ed)
    assert refused.value.message_dict["evidence"] == [
        "There is no source with the key “no-such-source”."
    ]


def test_an_invalid_value_is_a_value_error(source, ed):
    with pytest.raises(ValidationError) as refused:
        add(ActorFactory(), "born", "sometime in 1953", cite(ESTABLISHED), user=ed)
    assert "is not a date Attest understands" in refused.value.message_dict["value"][0]


def _refuse_bad_quote(actor, claim, ed, cur):
    claim.evidence = cite(WRONG_QUOTE)
    claim_save(claim=claim, user=ed)


def _refuse_bad_value(actor, claim, ed, cur):
    claim.value = "1990s"
    claim_save(claim=claim, user=ed)


def _refuse_new_bad_quote(actor, claim, ed, cur):
    add(actor, "died", "2001", cite(WRONG_QUOTE), user=ed)


def _refuse_rank_by_editor(actor, claim, ed, cur):
    claim.rank, claim.rank_reason = Rank.PREFERRED, "The birth certificate"
    claim_save(claim=claim, user=ed)


def _refuse_rank_without_reason(actor, claim, ed, cur):
    claim.rank = Rank.DEPRECATED
    claim_save(claim=claim, user=cur)


@pytest.mark.parametrize(
    ("refuse", "error"),
    [
        (_refuse_bad_quote, ValidationError),
        (_refuse_bad_value, ValidationError),
        (_refuse_new_bad_quote, ValidationError),
        (_refuse_rank_by_editor, PermissionDenied),
        (_refuse_rank_without_reason, ValidationError),
    ],
)
def test_a_refused_save_changes_nothing(source, ed, cur, refuse, error):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    add(actor, "born", "1954", cite(NAJIBULLAH), user=ed)
    claim = Claim.objects.get(pk=claim.pk)
    before = rows()
    with pytest.raises(error):
        refuse(actor, claim, ed, cur)
    assert rows() == before
    assert fresh(actor).born == "[1953,1954]"


# ---------------------------------------------------------------------------------------------
# Ranks: curators only, with a reason


def test_an_editor_may_not_rank_a_value(source, ed):
    actor = ActorFactory()
    with pytest.raises(PermissionDenied, match="Only curators rank values"):
        add(actor, "born", "1953", cite(ESTABLISHED), user=ed, rank=Rank.PREFERRED, rank_reason="x")
    assert not Claim.objects.exists()


def test_an_editor_may_not_change_a_rank_reason(source, ed, cur):
    claim = add(ActorFactory(), "born", "1953", cite(ESTABLISHED), user=cur)
    claim.rank, claim.rank_reason = Rank.PREFERRED, "The birth certificate"
    claim_save(claim=claim, user=cur)
    claim.rank_reason = "My guess"
    with pytest.raises(PermissionDenied):
        claim_save(claim=claim, user=ed)
    assert Claim.objects.get(pk=claim.pk).rank_reason == "The birth certificate"


def test_an_editor_may_change_the_value_of_a_ranked_claim_keeping_its_rank(source, ed, cur):
    claim = add(ActorFactory(), "born", "1953", cite(ESTABLISHED), user=cur)
    claim.rank, claim.rank_reason = Rank.PREFERRED, "The birth certificate"
    claim_save(claim=claim, user=cur)
    claim = Claim.objects.get(pk=claim.pk)
    claim.value = "1953-09-02"
    claim_save(claim=claim, user=ed)
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.value, claim.rank) == ("1953-09-02", Rank.PREFERRED)


def test_a_curator_prefers_a_value_with_a_reason_which_settles_the_field(source, ed, cur):
    actor = ActorFactory()
    first = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    add(actor, "born", "1954", cite(NAJIBULLAH), user=ed)
    assert fresh(actor).born == "[1953,1954]"

    first.rank, first.rank_reason = Rank.PREFERRED, "The birth certificate"
    claim_save(claim=first, user=cur)
    actor = fresh(actor)
    assert actor.born == "1953"
    assert actor.history.first().history_change_reason == (
        "Born 1953 preferred: The birth certificate"
    )
    assert "Born: 1953 (preferred: The birth certificate)" in actor.claim_list
    assert Claim.objects.get(pk=first.pk).history.first().rank == Rank.PREFERRED


def test_a_curator_deprecates_a_value_which_then_counts_for_nothing(source, ed, cur):
    actor = ActorFactory()
    add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    wrong = add(actor, "born", "1954", cite(NAJIBULLAH), user=ed)
    wrong.rank, wrong.rank_reason = Rank.DEPRECATED, "A misprint, corrected in 2002"
    claim_save(claim=wrong, user=cur)
    assert fresh(actor).born == "1953"


@pytest.mark.parametrize("rank", [Rank.PREFERRED, Rank.DEPRECATED])
def test_a_rank_needs_a_reason(source, cur, rank):
    claim = add(ActorFactory(), "born", "1953", cite(ESTABLISHED), user=cur)
    claim.rank, claim.rank_reason = rank, "   "
    with pytest.raises(ValidationError) as refused:
        claim_save(claim=claim, user=cur)
    assert refused.value.message_dict["rank_reason"] == [
        f"Say why this value is {rank}: readers see the reason beside it."
    ]
    assert Claim.objects.get(pk=claim.pk).rank == Rank.NORMAL


# ---------------------------------------------------------------------------------------------
# The revision an edit started from


def test_a_stale_edit_of_another_field_of_the_claim_is_merged(source, ed):
    claim = add(ActorFactory(), "born", "1953", cite(ESTABLISHED), user=ed)
    base = latest_revision(claim)
    theirs = Claim.objects.get(pk=claim.pk)
    theirs.evidence = cite(NAJIBULLAH)
    claim_save(claim=theirs, user=editor("other"), base_revision=base)

    ours = Claim.objects.get(pk=claim.pk)
    ours.evidence = cite(ESTABLISHED)  # as our form still shows it
    ours.value = "1953-09"
    claim_save(claim=ours, user=ed, base_revision=base)
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.value, claim.evidence) == ("1953-09", cite(NAJIBULLAH))
    assert uses_of(claim).get().citation.quote == NAJIBULLAH
    assert fresh(claim.subject).born == "1953-09"


def test_a_stale_edit_of_the_same_field_is_refused_and_changes_nothing(source, ed):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    base = latest_revision(claim)
    theirs = Claim.objects.get(pk=claim.pk)
    theirs.value = "1954"
    claim_save(claim=theirs, user=editor("other"), base_revision=base)

    ours = Claim.objects.get(pk=claim.pk)
    ours.value = "1955"
    before = rows()
    with pytest.raises(ValidationError) as refused:
        claim_save(claim=ours, user=ed, base_revision=base)
    [message] = refused.value.message_dict["value"]
    assert "Someone changed this value" in message and "“1954”" in message
    assert rows() == before
    assert fresh(actor).born == "1954"


def test_an_edit_of_a_deleted_claim_is_refused(source, ed):
    claim = add(ActorFactory(), "born", "1953", cite(ESTABLISHED), user=ed)
    Claim.objects.get(pk=claim.pk).delete()
    claim.value = "1954"
    with pytest.raises(ValidationError, match="deleted after you opened the form"):
        claim_save(claim=claim, user=ed)


# ---------------------------------------------------------------------------------------------
# Locked pages


def test_a_locked_page_refuses_an_editors_claim_and_takes_a_curators(source, ed, cur):
    actor = ActorFactory(is_locked=True, lock_reason="Under review")
    with pytest.raises(PermissionDenied, match="Under review"):
        add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    assert not Claim.objects.exists() and fresh(actor).born == ""
    add(actor, "born", "1953", cite(ESTABLISHED), user=cur)
    assert fresh(actor).born == "1953"


def test_a_locked_page_refuses_an_editors_deletion_of_a_claim_and_changes_nothing(source, ed):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    Actor.objects.filter(pk=actor.pk).update(is_locked=True)
    before = rows()
    with pytest.raises(PermissionDenied):
        claim_save(claim=Claim.objects.get(pk=claim.pk), user=ed, delete=True)
    assert rows() == before


def test_a_claim_on_a_page_locked_since_the_form_was_opened_is_refused(source, ed):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    Actor.objects.filter(pk=actor.pk).update(is_locked=True)  # claim.subject is the old row
    claim.value = "1954"
    with pytest.raises(PermissionDenied):
        claim_save(claim=claim, user=ed)
    assert Claim.objects.get(pk=claim.pk).value == "1953"


# ---------------------------------------------------------------------------------------------
# Coverage and publishing


def test_coverage_counts_facts_beside_the_sentences(source, ed):
    actor = page_save(
        page=ActorFactory(), body=f"Massoud led the party. {cite(CLOSEST)}\n", user=ed
    )
    assert fresh(actor).coverage == 1.0
    add(actor, "born", "1953", user=ed)
    actor = fresh(actor)
    assert (actor.sentence_count, actor.sourced_count) == (1, 1)
    assert (actor.fact_count, actor.fact_sourced_count) == (1, 0)
    assert actor.coverage == 0.5 and actor.coverage_percent == 50
    # Citing the fact's passage completes it.
    claim = Claim.objects.of(actor).get()
    claim.evidence = cite(ESTABLISHED)
    claim_save(claim=claim, user=ed)
    assert fresh(actor).coverage == 1.0


def _draft_with_a_fact(evidence, user):
    actor = page_save(
        page=ActorFactory(is_public=False), body=f"He led. {cite(CLOSEST)}\n", user=user
    )
    add(actor, "born", "1953", evidence, user=user)
    return fresh(actor)


def _unpublished(source):
    SourceFactory(key="draft-notes", text=SAMPLE_TEXT, is_public=False)
    return cite(ESTABLISHED, key="draft-notes")


def _orphaned(source):
    return cite(ESTABLISHED)  # the test orphans it once saved


@pytest.mark.parametrize(
    ("evidence", "blocker"),
    [
        (lambda source: "", "1 fact(s) beside the text have no source (50 % sourced)."),
        (_unpublished, "The cited source “draft-notes” is not published."),
        (lambda source: f"[@{KEY}]", f"A citation of “{KEY}” names the whole document"),
        (_orphaned, f"A cited passage of “{KEY}” is no longer in its text."),
    ],
    ids=["unsourced", "unpublished-source", "whole-document", "orphaned"],
)
def test_publishing_is_refused_while_a_fact_is_not_properly_cited(
    source, ed, cur, evidence, blocker
):
    actor = _draft_with_a_fact(evidence(source), ed)
    claim = Claim.objects.of(actor).get()
    if evidence is _orphaned:
        Citation.objects.filter(pk=uses_of(claim).get().citation_id).update(
            status=Citation.Status.ORPHANED
        )
    assert any(message.startswith(blocker) for message in publish_blockers(actor))
    with pytest.raises(ValidationError) as refused:
        page_publish(page=actor, user=cur)
    assert any(message.startswith(blocker) for message in refused.value.messages)
    assert not fresh(actor).is_public

    claim.evidence = cite(NAJIBULLAH)
    claim_save(claim=claim, user=ed)
    assert publish_blockers(fresh(actor)) == []
    page_publish(page=fresh(actor), user=cur)
    assert fresh(actor).is_public


def test_a_protected_source_does_not_block_publishing(ed, cur):
    SourceFactory(key="interview", text=SAMPLE_TEXT, is_public=False, is_protected=True)
    SourceFactory(key=KEY)
    actor = _draft_with_a_fact(cite(ESTABLISHED, key="interview"), ed)
    assert publish_blockers(actor) == []


# ---------------------------------------------------------------------------------------------
# page_save with claims: the page and its facts in one save


def test_page_save_writes_the_body_and_its_claims_in_one_revision(source, ed):
    actor = ActorFactory()
    revisions = actor.history.count()
    edits = [
        ClaimEdit(Claim(field="born", value="1953", evidence=cite(ESTABLISHED))),
        ClaimEdit(Claim(field="born", value="1954", evidence=cite(NAJIBULLAH))),
        ClaimEdit(Claim(field="died", value="2001-09-09")),
    ]
    page_save(
        page=actor,
        body=f"He led. {cite(CLOSEST)}\n",
        user=ed,
        change_reason="Facts from the report",
        claims=edits,
    )
    actor = fresh(actor)
    assert actor.history.count() == revisions + 1
    latest = actor.history.first()
    assert latest.history_change_reason == "Facts from the report"
    assert latest.claim_list == "Born: 1953\nBorn: 1954\nDied: 2001-09-09 [no source]"
    assert (actor.born, actor.died) == ("[1953,1954]", "2001-09-09")
    assert (actor.sentence_count, actor.fact_count, actor.fact_sourced_count) == (1, 3, 2)
    assert actor.coverage == 0.75
    claims = Claim.objects.of(actor)
    assert claims.count() == 3
    for claim in claims:
        [record] = claim.history.all()
        assert (record.history_change_reason, record.history_user) == (
            "Facts from the report",
            ed,
        )


def test_page_save_changes_and_deletes_claims_with_the_body(source, ed):
    actor = ActorFactory()
    born = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    died = add(actor, "died", "2001", user=ed)
    born.value, died_pk = "1953-09-02", died.pk
    page_save(
        page=fresh(actor),
        body="Changed.\n",
        user=ed,
        claims=[ClaimEdit(born), ClaimEdit(died, delete=True)],
    )
    actor = fresh(actor)
    assert (actor.body, actor.born, actor.died, actor.fact_count) == (
        "Changed.\n",
        "1953-09-02",
        "",
        1,
    )
    assert not Claim.objects.filter(pk=died_pk).exists()
    assert Claim.history.filter(id=died_pk).first().history_type == "-"


def test_page_save_refuses_all_or_nothing_reporting_body_and_claim_errors_together(source, ed):
    actor = page_save(page=ActorFactory(), body="Before.\n", user=ed)
    kept = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    kept.value = "1954"  # a good change, refused with the rest
    edits = [
        ClaimEdit(kept, form_prefix="born"),
        ClaimEdit(Claim(field="died", value="2001"), form_prefix="died"),  # good
        ClaimEdit(
            Claim(field="died", value="2002", evidence=cite(WRONG_QUOTE)), form_prefix="died_2"
        ),
        ClaimEdit(Claim(field="born", value="sometime"), form_prefix="born_2"),
    ]
    before = rows()
    with pytest.raises(ValidationError) as refused:
        page_save(
            page=fresh(actor),
            body=f"After. {cite('words the report never had')}\n",
            user=ed,
            claims=edits,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"body", "died_2_evidence", "born_2"}
    assert "words the report never had" in errors["body"][0]
    assert "Closest passage: “" in errors["died_2_evidence"][0]
    assert CLOSEST in errors["died_2_evidence"][0].split("Closest passage:")[1]
    assert "is not a date Attest understands" in errors["born_2"][0]
    assert rows() == before


def test_a_good_body_is_not_saved_when_one_of_its_claims_is_refused(source, ed):
    actor = page_save(page=ActorFactory(), body="Before.\n", user=ed)
    before = rows()
    with pytest.raises(ValidationError) as refused:
        page_save(
            page=fresh(actor),
            body="After.\n",
            user=ed,
            claims=[ClaimEdit(Claim(field="born", value="1953", evidence=cite(WRONG_QUOTE)))],
        )
    assert set(refused.value.message_dict) == {"evidence"}
    assert rows() == before


def test_page_save_of_a_new_page_with_claims(source, ed):
    actor = ActorFactory.build(title="New person", slug="new-person")
    page_save(
        page=actor,
        body="",
        user=ed,
        claims=[ClaimEdit(Claim(field="born", value="1953", evidence=cite(ESTABLISHED)))],
    )
    actor = Actor.objects.get(slug="new-person")
    assert actor.born == "1953" and Claim.objects.of(actor).get().value == "1953"
    assert actor.history.count() == 1


# ---------------------------------------------------------------------------------------------
# Deleting a page, correcting a source


def test_page_delete_removes_the_claims_and_history_keeps_them(source, ed, cur):
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(ESTABLISHED), user=ed)
    page_delete(page=fresh(actor), user=cur, change_reason="Duplicate")
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not CitationUse.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim), object_id=claim.pk
    ).exists()
    record = Claim.history.filter(id=claim.pk).first()
    assert (record.history_type, record.value, record.history_user) == ("-", "1953", cur)
    assert record.evidence == cite(ESTABLISHED)


TYPO, FIXED = "head of the Jamiat-e Islamy Party", "head of the Jamiat-e Islami Party"


def test_a_source_correction_rewrites_the_quote_in_a_claims_evidence(ed):
    source = SourceFactory(key=KEY, text=SAMPLE_TEXT.replace(FIXED, TYPO))
    actor = ActorFactory()
    claim = add(actor, "born", "1953", cite(TYPO), user=ed)
    revisions = claim.history.count()

    fixer = editor("fixer")
    source = Source.objects.get(pk=source.pk)
    source.text = SAMPLE_TEXT
    source_save(source=source, user=fixer, change_reason="Typo")

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.evidence == cite(FIXED)
    assert claim.history.count() == revisions + 1
    assert claim.history.first().history_user == fixer
    citation = uses_of(claim).get().citation
    assert citation.quote == FIXED == source.text[citation.start : citation.end]
    assert citation.status == Citation.Status.ANCHORED
