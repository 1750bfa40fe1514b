"""Editing in the browser: page forms, preview, merges and conflicts, locks, relations."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from sources.models import Citation, CitationUse
from tests.factories import (
    ActorFactory,
    EventFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
)
from wiki.models import Actor, Claim, Event, Faction, Membership, Name, Participation
from wiki.services import claim_save, page_save, relation_save
from wiki.views.edit import MERGED

pytestmark = pytest.mark.django_db

QUOTE = "the Northern Alliance was established"
CITED = f'The alliance formed in 1992. [@src "{QUOTE}"]'
# A quote that is not in the source, and the passage the source has instead.
WRONG_QUOTE = "Ahmad Shah Massoud, head of the Jamiat Islami Party"
CLOSEST = "head of the Jamiat-e Islami Party"
BASE = f'First paragraph. [@src "{QUOTE}"]\n\nSecond paragraph. [@src "{QUOTE}"]\n\nThird.\n'


@pytest.fixture
def source():
    return SourceFactory(key="src", title="The background report")


def create_url(segment, **params):
    url = reverse("wiki:entry-create", args=[segment])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def edit_url(entry):
    return reverse("wiki:entry-edit", args=[entry.url_segment, entry.slug])


def action_url(name, entry):
    return reverse(f"wiki:{name}", args=[entry.url_segment, entry.slug])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def page(body=BASE, **kwargs):
    """A page saved through page_save, as the browser would have saved it."""
    return page_save(page=ActorFactory(**kwargs), body=body, user=None)


def form_data(response, **changes):
    """What the browser posts back: the form's fields as rendered, with some changed."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if field.name == "tags":
            value = (
                ", ".join(tag.name for tag in value or []) if not isinstance(value, str) else value
            )
        data[field.name] = "" if value is None else value
    data.update(changes)
    return data


def latest_revision(entry):
    return entry.history.values_list("history_id", flat=True).first()


# ---------------------------------------------------------------------------------------------
# Creating pages

TYPE_FIELDS = {
    "actors": (Actor, {"born": "1953", "died": "2001-09-09"}),
    "factions": (Faction, {"founded": "1992", "dissolved": "2001~"}),
    "events": (
        Event,
        {
            "kind": "battle",
            "start": "1996-09",
            "end": "",
            "place": "Kabul",
            "latitude": "34.555300",
            "longitude": "69.207500",
            "fatalities": "at least 40",
        },
    ),
}


@pytest.mark.parametrize("segment", TYPE_FIELDS)
def test_each_type_is_created_through_its_form(editor_client, source, segment):
    model, own = TYPE_FIELDS[segment]
    data = {
        "title": "Northern Alliance test",
        "slug": "",
        "aliases": "United Front\nShura-e Nezar",
        "summary": "One line.",
        "body": CITED,
        "tags": "northern-alliance, 1990s",
        "change_reason": "First draft",
        **own,
    }
    response = editor_client.post(create_url(segment), data)
    entry = model.objects.get(slug="northern-alliance-test")
    assert response.status_code == 302 and response.url == entry.get_absolute_url()
    for name, value in own.items():
        assert str(getattr(entry, name) or "") == value
    assert entry.alias_list == ["United Front", "Shura-e Nezar"]
    assert sorted(entry.tags.names()) == ["1990s", "northern-alliance"]
    assert entry.created_by.username == "editor" and not entry.is_public
    record = entry.history.get()
    assert record.history_change_reason == "First draft"
    assert record.tag_list == "1990s, northern-alliance"
    assert record.history_user.username == "editor"
    assert Name.objects.filter(normalised="united front").exists()  # saved by page_save
    assert any("Created the" in message for message in messages_of(response))


def test_the_slug_is_made_from_the_title(editor_client):
    editor_client.post(create_url("actors"), {"title": "Ahmad Shāh Mas’ud", "body": ""})
    assert Actor.objects.filter(slug="ahmad-shah-masud").exists()


def test_a_typed_slug_is_kept(editor_client):
    editor_client.post(create_url("actors"), {"title": "Massoud", "slug": "lion-of-panjshir"})
    assert Actor.objects.filter(slug="lion-of-panjshir", title="Massoud").exists()


def test_a_taken_slug_is_a_clear_error_that_suggests_a_free_one(editor_client):
    ActorFactory(title="Abdul Haq", slug="abdul-haq")
    response = editor_client.post(create_url("actors"), {"title": "Abdul Haq", "body": ""})
    assert response.status_code == 200
    [error] = response.context["form"].errors["slug"]
    assert "/actors/abdul-haq/" in error and "“Abdul Haq”" in error and "abdul-haq-2" in error
    assert Actor.objects.count() == 1


def test_an_invalid_edtf_date_is_shown_next_to_its_field(editor_client):
    response = editor_client.post(
        create_url("actors"), {"title": "Someone", "born": "sometime in 1953"}
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["born"]
    assert "Use an EDTF date such as 1997" in error
    html = response.content.decode()
    field = html[html.index('id="field-born"') : html.index('id="field-died"')]
    assert "Use an EDTF date such as 1997" in field and "field--error" in html
    assert not Actor.objects.exists()


def test_a_latitude_out_of_range_is_a_field_error(editor_client):
    response = editor_client.post(
        create_url("events"), {"title": "Battle", "kind": "battle", "latitude": "123"}
    )
    assert "latitude" in response.context["form"].errors
    assert not Event.objects.exists()


def test_a_missing_quote_names_the_quote_and_the_closest_passage_and_saves_nothing(
    editor_client, source
):
    body = f'Massoud led the party. [@src "{WRONG_QUOTE}"]'
    citations = Citation.objects.count()
    response = editor_client.post(create_url("actors"), {"title": "Massoud", "body": body})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["body"])
    assert "“src”" in errors and WRONG_QUOTE in errors and "Closest passage" in errors
    assert CLOSEST in errors
    [suggestion] = response.context["suggestions"]
    assert CLOSEST in suggestion.closest and suggestion.suggestion.startswith('[@src "')
    html = response.content.decode()
    assert "Use this passage" in html and "Nothing was saved" in html
    assert not Actor.objects.exists() and Citation.objects.count() == citations


def test_an_unknown_source_key_is_a_body_error(editor_client):
    response = editor_client.post(
        create_url("actors"), {"title": "Massoud", "body": 'He led. [@nowhere "x"]'}
    )
    assert "nowhere" in " ".join(response.context["form"].errors["body"])


def test_unreadable_citation_markup_is_a_body_error(editor_client):
    response = editor_client.post(
        create_url("actors"), {"title": "Massoud", "body": 'He led. [@src "unclosed]'}
    )
    assert response.context["form"].errors["body"]
    assert not Actor.objects.exists()


def test_the_title_prefills_the_create_form(editor_client):
    response = editor_client.get(create_url("factions", title="Hezb-e Wahdat"))
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Hezb-e Wahdat"
    assert 'value="Hezb-e Wahdat"' in response.content.decode()


def test_the_markup_help_and_edtf_help_are_on_the_form(editor_client):
    html = editor_client.get(create_url("actors")).content.decode()
    assert "Link with [[Title]] or [[Title|label]]" in html
    assert "EDTF: 1997, 1992-04, 2021-08-15, 1997~ (approximate), 1990/1992 (range)" in html
    for name in ("title", "slug", "aliases", "summary", "body", "born", "died", "tags"):
        assert f'name="{name}"' in html
    assert 'name="change_reason"' in html and 'name="preview"' in html


# ---------------------------------------------------------------------------------------------
# Editing pages


def test_an_edit_records_tags_and_change_reason_in_exactly_one_history_row(editor_client, source):
    entry = page()
    form = editor_client.get(edit_url(entry))
    assert form.context["form"]["base_revision"].value() == latest_revision(entry)
    before = entry.history.count()
    data = form_data(form, summary="A new summary", tags="panjshir, jamiat", change_reason="Tags")
    response = editor_client.post(edit_url(entry), data)
    assert response.status_code == 302
    assert entry.history.count() == before + 1
    record = entry.history.first()
    assert record.history_change_reason == "Tags" and record.summary == "A new summary"
    assert record.tag_list == "jamiat, panjshir"
    assert sorted(Actor.objects.get(pk=entry.pk).tags.names()) == ["jamiat", "panjshir"]
    assert f"Saved “{entry.title}”." in messages_of(response)


def test_the_edit_form_shows_the_current_tags(editor_client, source):
    entry = page()
    page_save(page=entry, user=None, tags=["panjshir", "jamiat"])
    html = editor_client.get(edit_url(entry)).content.decode()
    assert 'value="jamiat, panjshir"' in html


def test_append_adds_a_paragraph_and_puts_the_caret_before_it(editor_client, source):
    entry = page()
    cite = f'[@src "{QUOTE}"]'
    response = editor_client.get(edit_url(entry), {"append": cite})
    body = response.context["form"]["body"].value()
    assert body == BASE.rstrip() + "\n\n" + cite
    html = response.content.decode()
    assert "autofocus" in html and f'data-caret="{len(BASE.rstrip()) + 2}"' in html


def test_append_on_an_empty_page_is_the_whole_body(editor_client):
    entry = page(body="")
    response = editor_client.get(edit_url(entry), {"append": '[@src "x"]'})
    assert response.context["form"]["body"].value() == '[@src "x"]'


def test_preview_renders_the_body_and_saves_nothing(editor_client, source):
    entry = page()
    form = editor_client.get(edit_url(entry))
    body = f'Unsourced claim. Sourced claim. [@src "{QUOTE}"] See [[Nobody Yet]].\n'
    before, citations = entry.history.count(), Citation.objects.count()
    response = editor_client.post(edit_url(entry), form_data(form, body=body, preview="1"))
    assert response.status_code == 200
    preview = response.context["preview"]
    html = str(preview.html)
    assert "citation-needed" in html and 'class="footnote-ref"' in html
    assert 'class="wikilink new"' in html and "/new/?title=Nobody+Yet" in html
    assert preview.coverage.total == 3 and preview.coverage.sourced == 1
    [reference] = preview.references
    assert reference.check.status == "anchored" and reference.check.passage == QUOTE
    page_html = response.content.decode()
    assert "It is not saved yet" in page_html and "Unsourced claim." in page_html
    assert entry.history.count() == before and Citation.objects.count() == citations
    assert Actor.objects.get(pk=entry.pk).body == BASE


def test_preview_resolves_links_to_existing_pages(editor_client, source):
    page_save(page=FactionFactory(title="Jamiat-e Islami", slug="jamiat"), body="", user=None)
    response = editor_client.post(
        create_url("actors"),
        {"title": "X", "body": "Member of [[Jamiat-e Islami]].", "preview": "1"},
    )
    html = str(response.context["preview"].html)
    assert 'href="/factions/jamiat/"' in html and "wikilink new" not in html


def test_preview_marks_a_quote_that_is_not_in_the_source(editor_client, source):
    response = editor_client.post(
        create_url("actors"),
        {"title": "X", "body": f'He led. [@src "{WRONG_QUOTE}"]', "preview": "1"},
    )
    preview = response.context["preview"]
    assert "missing" in str(preview.html)
    [reference] = preview.references
    assert reference.check.status == "missing" and CLOSEST in reference.check.closest
    assert not Actor.objects.exists()


def test_preview_works_with_an_empty_title(editor_client):
    response = editor_client.post(
        create_url("actors"), {"title": "", "body": "Hi.", "preview": "1"}
    )
    assert response.status_code == 200 and response.context["preview"].coverage.total == 1


def test_an_edit_that_crossed_another_is_merged_and_said_so(editor_client, source):
    entry = page()
    form = editor_client.get(edit_url(entry))
    theirs = Actor.objects.get(pk=entry.pk)
    page_save(page=theirs, body=BASE.replace("First", "Their first"), user=None)
    data = form_data(form, body=BASE.replace("Third.", "Our third."))
    response = editor_client.post(edit_url(entry), data)
    assert response.status_code == 302
    assert MERGED in messages_of(response)
    body = Actor.objects.get(pk=entry.pk).body
    assert "Their first" in body and "Our third." in body


def test_a_form_opened_while_another_save_lands_shows_that_save_and_its_tags(
    editor_client, source, monkeypatch
):
    """The page is loaded, then a save lands before the form reads its revision: the form
    shows the newer revision, its tags written in their input (the load test met this as a
    500 when the tags were given as plain names)."""
    from wiki.views import edit

    entry = page()
    reading = edit.revision_shown

    def a_save_lands_first(shown):
        theirs = Actor.objects.get(pk=entry.pk)
        theirs.summary = "Theirs"
        page_save(page=theirs, tags=["panjshir", "north east"], user=None)
        return reading(shown)

    monkeypatch.setattr(edit, "revision_shown", a_save_lands_first)
    response = editor_client.get(edit_url(entry))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["summary"].value() == "Theirs"
    assert int(form["base_revision"].value()) == latest_revision(entry)
    assert 'value="&quot;north east&quot;, panjshir"' in response.content.decode()


def test_a_conflicting_edit_shows_both_versions_keeps_the_editors_text_and_saves_nothing(
    editor_client, source
):
    entry = page()
    form = editor_client.get(edit_url(entry))
    page_save(page=Actor.objects.get(pk=entry.pk), body=BASE.replace("Second", "Theirs"), user=None)
    before = entry.history.count()
    ours = BASE.replace("Second", "Ours")
    response = editor_client.post(edit_url(entry), form_data(form, body=ours))
    assert response.status_code == 409
    assert response.context["their_body"] == BASE.replace("Second", "Theirs")
    assert response.context["our_body"] == ours
    rebound = response.context["form"]
    assert rebound["body"].value() == ours
    assert int(rebound["base_revision"].value()) == latest_revision(entry)
    html = response.content.decode()
    assert "Edit conflict" in html and "<ins>Ours</ins>" in html and "<del>Theirs</del>" in html
    assert "Nothing was saved" in html
    assert entry.history.count() == before
    assert "Theirs" in Actor.objects.get(pk=entry.pk).body


def test_a_browser_posting_crlf_lines_merges_with_a_concurrent_edit(editor_client, source):
    entry = page()
    form = editor_client.get(edit_url(entry))
    page_save(page=Actor.objects.get(pk=entry.pk), body=BASE.replace("First", "Theirs"), user=None)
    ours = BASE.replace("Third.", "Ours.").replace("\n", "\r\n")
    response = editor_client.post(edit_url(entry), form_data(form, body=ours))
    assert response.status_code == 302
    body = Actor.objects.get(pk=entry.pk).body
    assert body == BASE.replace("First", "Theirs").replace("Third.", "Ours.")


def test_saving_again_after_a_conflict_applies_the_editors_text(editor_client, source):
    entry = page()
    form = editor_client.get(edit_url(entry))
    page_save(page=Actor.objects.get(pk=entry.pk), body=BASE.replace("Second", "Theirs"), user=None)
    conflict = editor_client.post(
        edit_url(entry), form_data(form, body=BASE.replace("Second", "Ours"))
    )
    response = editor_client.post(edit_url(entry), form_data(conflict))
    assert response.status_code == 302
    assert "Ours" in Actor.objects.get(pk=entry.pk).body


def test_a_field_both_editors_changed_is_listed_on_the_conflict_page(editor_client):
    entry = page(body="", summary="Base")
    form = editor_client.get(edit_url(entry))
    theirs = Actor.objects.get(pk=entry.pk)
    theirs.summary = "Their summary"
    page_save(page=theirs, user=None)
    response = editor_client.post(edit_url(entry), form_data(form, summary="Our summary"))
    assert response.status_code == 409
    assert ("Summary", "Their summary", "Our summary") in response.context["field_conflicts"]


# ---------------------------------------------------------------------------------------------
# Locking


def locked_page(reason="Under legal review"):
    entry = page(body="Plain text.")
    entry.is_locked, entry.lock_reason = True, reason
    return page_save(page=entry, user=None)


def test_a_locked_page_is_read_only_for_editors(editor_client):
    entry = locked_page()
    response = editor_client.get(edit_url(entry))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Under legal review" in html and "Plain text." in html
    assert "Save changes" not in html and 'name="body"' not in html


def test_an_editors_save_to_a_locked_page_is_refused_and_changes_nothing(editor_client):
    entry = locked_page()
    before = entry.history.count()
    response = editor_client.post(edit_url(entry), {"title": entry.title, "body": "Vandalism."})
    assert response.status_code == 403
    assert "locked" in " ".join(messages_of(response))
    assert response.context["unsaved_body"] == "Vandalism."  # shown, to copy: never lost
    assert entry.history.count() == before and Actor.objects.get(pk=entry.pk).body == "Plain text."


def test_a_page_locked_while_an_editor_edits_refuses_the_save_and_shows_their_text(
    editor_client,
):
    entry = page(body="Plain text.")
    form = editor_client.get(edit_url(entry))
    locked = Actor.objects.get(pk=entry.pk)
    locked.is_locked, locked.lock_reason = True, "Edit war"
    page_save(page=locked, user=None)
    response = editor_client.post(edit_url(entry), form_data(form, body="My careful edit."))
    assert response.status_code == 403
    assert "My careful edit." in response.content.decode()
    assert Actor.objects.get(pk=entry.pk).body == "Plain text."


def test_a_lock_that_lands_during_the_save_is_refused_by_page_save(editor_client, monkeypatch):
    entry = locked_page()
    # As if the lock had landed after the view's own check: page_save has the last word.
    monkeypatch.setattr("wiki.views.edit.can_edit", lambda user, page=None: True)
    form = editor_client.get(edit_url(entry))
    response = editor_client.post(edit_url(entry), form_data(form, body="My careful edit."))
    assert response.status_code == 403 and response.context["unsaved_body"] == "My careful edit."
    assert "Under legal review" in " ".join(messages_of(response))
    assert Actor.objects.get(pk=entry.pk).body == "Plain text."


def test_a_locked_page_is_editable_for_curators(curator_client):
    entry = locked_page()
    form = curator_client.get(edit_url(entry))
    assert "Save changes" in form.content.decode()
    response = curator_client.post(edit_url(entry), form_data(form, body="Curated."))
    assert response.status_code == 302 and Actor.objects.get(pk=entry.pk).body == "Curated."


def test_curators_lock_with_a_reason_and_unlock(curator_client):
    entry = page(body="Text.")
    response = curator_client.post(
        action_url("entry-lock", entry), {"action": "lock", "lock_reason": "Edit war"}
    )
    assert response.status_code == 302
    locked = Actor.objects.get(pk=entry.pk)
    assert locked.is_locked and locked.lock_reason == "Edit war"
    assert locked.history.first().history_change_reason == "Locked: Edit war"
    curator_client.post(action_url("entry-lock", entry), {"action": "unlock"})
    unlocked = Actor.objects.get(pk=entry.pk)
    assert not unlocked.is_locked and unlocked.lock_reason == ""
    assert unlocked.history.first().history_change_reason == "Unlocked"


def test_locking_needs_a_reason(curator_client):
    entry = page(body="Text.")
    response = curator_client.post(action_url("entry-lock", entry), {"action": "lock"})
    assert response.status_code == 302 and not Actor.objects.get(pk=entry.pk).is_locked
    assert any("editors will see it" in message for message in messages_of(response))


def test_a_long_lock_reason_fits_the_history(curator_client):
    entry = page(body="Text.")
    curator_client.post(
        action_url("entry-lock", entry), {"action": "lock", "lock_reason": "r" * 300}
    )
    locked = Actor.objects.get(pk=entry.pk)
    assert locked.lock_reason == "r" * 300
    assert len(locked.history.first().history_change_reason) <= 100


# ---------------------------------------------------------------------------------------------
# Publishing and deleting


def test_a_publish_refusal_lists_what_blocks_it(curator_client, source):
    entry = page(body="An unsourced sentence.", is_public=False)
    response = curator_client.post(action_url("entry-publish", entry), {"action": "publish"})
    assert response.status_code == 302
    shown = messages_of(response)
    assert "This page cannot be published yet." in shown
    assert any("have no citation" in message for message in shown)
    assert not Actor.objects.get(pk=entry.pk).is_public


def test_curators_publish_and_unpublish(curator_client, source):
    entry = page(body=CITED, is_public=False)
    curator_client.post(action_url("entry-publish", entry), {"action": "publish"})
    assert Actor.objects.get(pk=entry.pk).is_public
    curator_client.post(action_url("entry-publish", entry), {"action": "unpublish"})
    assert not Actor.objects.get(pk=entry.pk).is_public


def test_delete_asks_first_then_deletes_and_history_keeps_the_record(curator_client, source):
    entry = page(body=CITED, aliases="The Lion")
    relation_save(
        relation=MembershipFactory.build(
            actor=entry, faction=FactionFactory(), evidence=f'[@src "{QUOTE}"]'
        ),
        user=None,
    )
    confirm = curator_client.get(action_url("entry-delete", entry))
    assert confirm.status_code == 200 and "1 membership" in confirm.content.decode()
    assert Actor.objects.filter(pk=entry.pk).exists()
    response = curator_client.post(action_url("entry-delete", entry), {"change_reason": "Dup"})
    assert response.status_code == 302 and response.url == reverse(
        "wiki:entry-list", args=["actors"]
    )
    assert not Actor.objects.filter(pk=entry.pk).exists()
    assert not Membership.objects.exists() and not CitationUse.objects.exists()
    assert not Name.objects.filter(object_id=entry.pk, name="The Lion").exists()
    record = Actor.history.filter(id=entry.pk).first()
    assert record.history_type == "-" and record.history_change_reason == "Dup"


# ---------------------------------------------------------------------------------------------
# Relations


def membership_built():
    return MembershipFactory.build(
        actor=ActorFactory(), faction=FactionFactory(), evidence=f'[@src "{QUOTE}"]'
    )


def relation_url(name, kind, pk=None, **params):
    url = reverse(f"wiki:{name}", args=[kind] + ([pk] if pk else []))
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_a_relation_form_opened_from_a_page_has_that_page_filled_in(editor_client):
    actor = ActorFactory(title="Ahmad Shah Massoud", slug="massoud")
    response = editor_client.get(relation_url("relation-create", "membership", actor="massoud"))
    assert response.status_code == 200
    assert response.context["form"]["actor"].value() == actor.title
    html = response.content.decode()
    assert 'value="Ahmad Shah Massoud"' in html and 'list="faction-names"' in html
    assert "One or more citations: [@source-key" in html


def test_a_relation_is_saved_with_its_evidence_and_returns_to_the_page(editor_client, source):
    actor = ActorFactory(slug="massoud")
    faction = FactionFactory(title="Jamiat-e Islami", slug="jamiat")
    url = relation_url(
        "relation-create", "membership", actor="massoud", next=actor.get_absolute_url()
    )
    response = editor_client.post(
        url,
        {
            "actor": "massoud",
            "faction": "Jamiat-e Islami",  # a title resolves as well as a slug
            "role": "leader",
            "start": "1992",
            "end": "",
            "evidence": f'[@src "{QUOTE}"]',
            "change_reason": "From the RIC report",
        },
    )
    assert response.status_code == 302 and response.url == actor.get_absolute_url()
    membership = Membership.objects.get()
    assert (membership.actor, membership.faction, membership.role) == (actor, faction, "leader")
    assert membership.citation_uses.count() == 1
    assert membership.history.get().history_change_reason == "From the RIC report"


def test_invalid_evidence_is_a_field_error_and_nothing_is_saved(editor_client, source):
    ActorFactory(slug="massoud")
    FactionFactory(slug="jamiat")
    citations = Citation.objects.count()
    response = editor_client.post(
        relation_url("relation-create", "membership"),
        {
            "actor": "massoud",
            "faction": "jamiat",
            "role": "member",
            "evidence": f'[@src "{WRONG_QUOTE}"]',
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["evidence"])
    assert WRONG_QUOTE in errors and "Closest passage" in errors
    assert not Membership.objects.exists() and Citation.objects.count() == citations


def test_evidence_must_be_citations(editor_client, source):
    ActorFactory(slug="massoud")
    FactionFactory(slug="jamiat")
    response = editor_client.post(
        relation_url("relation-create", "membership"),
        {"actor": "massoud", "faction": "jamiat", "role": "member", "evidence": "Trust me."},
    )
    assert "Evidence may hold only citations" in " ".join(
        response.context["form"].errors["evidence"]
    )


def test_an_unknown_entry_name_is_a_field_error(editor_client, source):
    ActorFactory(slug="massoud")
    response = editor_client.post(
        relation_url("relation-create", "membership"),
        {
            "actor": "massoud",
            "faction": "Nobody",
            "role": "member",
            "evidence": f'[@src "{QUOTE}"]',
        },
    )
    assert "There is no faction called “Nobody”" in response.context["form"].errors["faction"][0]


def test_a_participation_names_exactly_one_participant(editor_client, source):
    EventFactory(slug="battle")
    ActorFactory(slug="massoud")
    FactionFactory(slug="jamiat")
    data = {"event": "battle", "role": "party", "evidence": f'[@src "{QUOTE}"]'}
    response = editor_client.post(
        relation_url("relation-create", "participation"),
        {**data, "actor": "massoud", "faction": "jamiat"},
    )
    assert "exactly one participant" in " ".join(response.context["form"].non_field_errors())
    editor_client.post(
        relation_url("relation-create", "participation"), {**data, "actor": "massoud"}
    )
    assert Participation.objects.get().actor.slug == "massoud"


def test_a_faction_cannot_relate_to_itself(editor_client, source):
    FactionFactory(slug="jamiat")
    response = editor_client.post(
        relation_url("relation-create", "factionrelation"),
        {
            "faction": "jamiat",
            "other": "jamiat",
            "kind": "alliance",
            "evidence": f'[@src "{QUOTE}"]',
        },
    )
    assert "cannot be related to itself" in response.context["form"].errors["other"][0]


def test_a_relation_is_edited(editor_client, source):
    membership = relation_save(relation=membership_built(), user=None)
    url = relation_url("relation-edit", "membership", membership.pk)
    form = editor_client.get(url)
    assert form.context["form"]["faction"].value() == membership.faction.title
    assert f'value="{membership.faction.title}"' in form.content.decode()
    data = {
        "actor": membership.actor.slug,
        "faction": membership.faction.slug,
        "role": "commander",
        "start": "",
        "end": "",
        "evidence": membership.evidence,
        "change_reason": "Role",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "commander" and membership.history.count() == 2


def test_relations_of_a_locked_page_are_refused_to_editors(editor_client, source):
    entry = locked_page()
    response = editor_client.post(
        relation_url("relation-create", "membership"),
        {
            "actor": entry.slug,
            "faction": FactionFactory().slug,
            "role": "member",
            "evidence": f'[@src "{QUOTE}"]',
        },
    )
    # relation_save refuses it (a view might forget); the form shows why, nothing is saved.
    assert "locked by the curators" in response.context["form"].non_field_errors()[0]
    assert not Membership.objects.exists()


def test_a_relation_is_deleted_by_a_curator_after_confirmation(curator_client, source):
    membership = relation_save(relation=membership_built(), user=None)
    url = relation_url("relation-delete", "membership", membership.pk)
    assert curator_client.get(url).status_code == 200
    response = curator_client.post(url, {"change_reason": "Wrong person"})
    assert response.status_code == 302 and response.url == membership.actor.get_absolute_url()
    assert not Membership.objects.exists()
    record = Membership.history.first()
    assert record.history_type == "-" and record.history_change_reason == "Wrong person"


def test_an_unknown_relation_kind_is_404(editor_client):
    assert editor_client.get(relation_url("relation-create", "friendship")).status_code == 404


# ---------------------------------------------------------------------------------------------
# The red-link chooser


def test_a_red_link_offers_the_three_create_forms(editor_client):
    response = editor_client.get(reverse("wiki:page-new"), {"title": "Abdul Haq"})
    html = response.content.decode()
    for segment in ("actors", "factions", "events"):
        assert f'href="/{segment}/new/?title=Abdul+Haq"' in html


def test_the_chooser_names_a_page_written_since(editor_client):
    page_save(page=ActorFactory(title="Abdul Haq", slug="abdul-haq"), body="", user=None)
    html = editor_client.get(reverse("wiki:page-new"), {"title": "abdul haq"}).content.decode()
    assert 'href="/actors/abdul-haq/"' in html


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("revisions", [2, 200])
def test_the_edit_form_runs_a_fixed_number_of_queries(
    editor_client, django_assert_num_queries, revisions
):
    entry = ActorFactory(tags=["a", "b"], born="1953", died="2001")
    for n in range(revisions):
        page_save(page=entry, body=f"Revision {n}.", user=None)
    for claim in Claim.objects.of(entry):
        for n in range(revisions // 2):
            claim_save(claim=claim, user=None, change_reason=f"Revision {n}")
    # session, user, groups, the page, its tags, its latest revision, its claims (the facts)
    # and their latest revisions
    with django_assert_num_queries(8):
        response = editor_client.get(edit_url(entry))
    assert response.status_code == 200
