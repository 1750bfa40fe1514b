"""Creating, importing, editing and publishing sources in the browser; citing passages on pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from sources.citations.syntax import CitationRef, parse_group
from sources.models import Citation, Source
from sources.services import source_save
from tests.factories import (
    ActorFactory,
    FactionFactory,
    MembershipFactory,
    SourceFactory,
    UserFactory,
    curator,
)
from wiki.services import page_save, relation_save

pytestmark = pytest.mark.django_db

RIC_HEADER = """Last Updated: Friday, 27 May 2016, 08:49 GMT

Afghanistan: Background on the Anti-Taliban group, the Northern Alliance

Publisher United States Bureau of Citizenship and Immigration Services
Author Resource Information Center
Publication Date 14 December 1999
Citation / Document Symbol AFG00001.REF

In 1992, the Northern Alliance was established in opposition of the communist government.
"""

ARTICLE_HTML = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Dostum and Noor announce new alliance</title>
<meta name="author" content="Waheed Orya">
<meta property="article:published_time" content="2015-07-21T09:00:00+00:00">
</head><body><nav>Home | Our other projects</nav><article>
<p>A renewed alliance between Governor Noor and Vice President Dostum to oust the Taliban in the
north has raised eyebrows in Afghanistan.</p>
<p>Late last month, Governor Noor and First Vice President Dostum set aside old feuds.</p>
</article><footer>Republish this article</footer></body></html>"""

NEW = reverse("sources:source-create")


def form_data(**overrides):
    """A complete source form as the browser posts it."""
    data = {
        "key": "ric-1999",
        "title": "Background on the Northern Alliance",
        "kind": "report",
        "authors": "Resource Information Center",
        "publisher": "USCIS",
        "published": "1999-12-14",
        "url": "",
        "document_symbol": "AFG00001.REF",
        "accessed": "",
        "language": "en",
        "text": "In 1992, the Northern Alliance was established.",
        "notes": "",
        "tags": "taliban, 1990s",
        "change_reason": "Imported from Refworld",
    }
    return data | overrides


def upload(name, content: bytes, **extra):
    return {"read": "1", "file": SimpleUploadedFile(name, content), **extra}


def proposed(response) -> dict:
    """The values the step-2 form was prefilled with."""
    return response.context["form"].initial


# ---------------------------------------------------------------------------------------------
# Who may do what


@pytest.mark.parametrize(
    "url",
    [
        NEW,
        reverse("sources:source-edit", args=["a-source"]),
        reverse("sources:source-cite-on", args=["a-source"]),
    ],
)
def test_the_public_is_sent_to_log_in(client, url):
    SourceFactory(key="a-source")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_publishing_sends_the_public_to_log_in(client):
    SourceFactory(key="a-source")
    response = client.post(reverse("sources:source-publish", args=["a-source"]), {"publish": "0"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Source.objects.get().is_public


def test_an_account_outside_the_team_is_refused(client):
    client.force_login(UserFactory(username="stranger"))
    assert client.get(NEW).status_code == 403


def test_editors_may_open_the_forms(editor_client):
    SourceFactory(key="a-source")
    assert editor_client.get(NEW).status_code == 200
    assert editor_client.get(f"{NEW}?manual=1").status_code == 200
    assert editor_client.get(reverse("sources:source-edit", args=["a-source"])).status_code == 200


def test_editors_may_not_publish(editor_client):
    SourceFactory(key="a-source", is_public=False)
    url = reverse("sources:source-publish", args=["a-source"])
    assert editor_client.post(url, {"publish": "1"}).status_code == 403
    assert not Source.objects.get().is_public


def test_publishing_is_post_only(curator_client):
    SourceFactory(key="a-source")
    url = reverse("sources:source-publish", args=["a-source"])
    assert curator_client.get(url).status_code == 405


# ---------------------------------------------------------------------------------------------
# Creating: paste or upload, then confirm


def test_pasted_text_is_read_into_a_prefilled_form(editor_client):
    response = editor_client.post(NEW, {"read": "1", "pasted": RIC_HEADER})
    assert response.status_code == 200
    assert response.templates[0].name == "sources/source_form.html"
    initial = proposed(response)
    assert initial["title"] == (
        "Afghanistan: Background on the Anti-Taliban group, the Northern Alliance"
    )
    assert initial["publisher"] == "United States Bureau of Citizenship and Immigration Services"
    assert initial["authors"] == "Resource Information Center"
    assert initial["published"] == "1999-12-14"
    assert initial["document_symbol"] == "AFG00001.REF"
    assert initial["key"] == "usbcis-1999-afg00001"
    assert initial["text"].startswith("Last Updated")
    assert initial["change_reason"] == "Imported from pasted text"
    html = response.content.decode()
    assert "the line “Publication Date 14 December 1999”" in html
    assert Source.objects.count() == 0  # nothing is saved before the person confirms


def test_confirming_saves_one_revision_with_tags_and_summary(editor_client):
    response = editor_client.post(NEW, form_data())
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert sorted(tag.name for tag in source.tags.all()) == ["1990s", "taliban"]
    (revision,) = source.history.all()
    assert revision.history_change_reason == "Imported from Refworld"
    assert revision.tag_list == "1990s, taliban"
    assert revision.history_user.username == "editor"


def test_a_proposed_key_already_taken_gets_a_number(editor_client):
    SourceFactory(key="usbcis-1999-afg00001")
    response = editor_client.post(NEW, {"read": "1", "pasted": RIC_HEADER})
    assert proposed(response)["key"] == "usbcis-1999-afg00001-2"


def test_a_key_in_use_is_an_error_next_to_the_key(editor_client):
    SourceFactory(key="ric-1999", title="The first report")
    response = editor_client.post(NEW, form_data())
    assert response.status_code == 200
    (error,) = response.context["form"].errors["key"]
    assert "“ric-1999” is already used by “The first report”" in error
    assert "ric-1999-2" in error
    assert 'id="id_key_error"' in response.content.decode()
    assert Source.objects.count() == 1


def test_a_key_is_lower_cased_and_checked_against_the_pattern(editor_client):
    editor_client.post(NEW, form_data(key="RIC-1999"))
    assert Source.objects.get().key == "ric-1999"
    response = editor_client.post(NEW, form_data(key="bad key!"))
    assert "Use lower-case letters" in response.context["form"].errors["key"][0]


def test_a_bad_date_is_an_error_next_to_the_field(editor_client):
    response = editor_client.post(NEW, form_data(published="14 December 1999"))
    assert "EDTF" in response.context["form"].errors["published"][0]
    assert Source.objects.count() == 0


def test_an_uploaded_text_file(editor_client):
    response = editor_client.post(NEW, upload("ric.txt", RIC_HEADER.encode()))
    assert proposed(response)["published"] == "1999-12-14"
    assert proposed(response)["change_reason"] == "Imported from “ric.txt”"


def test_an_uploaded_markdown_file_is_stored_as_plain_text(editor_client):
    markdown = b"---\ntitle: Field notes\n---\n# Kabul\n\nIt *rained* all day."
    response = editor_client.post(NEW, upload("notes.md", markdown))
    assert proposed(response)["text"] == "Kabul\n\nIt rained all day."
    assert proposed(response)["title"] == "Field notes"


def test_an_uploaded_html_page_proposes_its_declared_metadata(editor_client):
    response = editor_client.post(NEW, upload("article.html", ARTICLE_HTML))
    initial = proposed(response)
    assert initial["title"] == "Dostum and Noor announce new alliance"
    assert initial["authors"] == "Waheed Orya"
    assert initial["published"] == "2015-07-21"
    assert initial["kind"] == "webpage"
    assert "A renewed alliance between Governor Noor" in initial["text"]
    assert "Republish this article" not in initial["text"]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin.txt", "Mas'ud, Café".encode("latin-1"), "is not UTF-8 text"),
        ("picture.txt", PNG, "is a PNG file (image/png), not text"),
        ("data.txt", b"abc\x00\x00def", "holds binary data"),
        ("report.pdf", b"%PDF-1.4 ...", "could not be read as a PDF"),
        ("report.doc", b"\xd0\xcf\x11\xe0", "upload a .txt, .md, .html, .pdf or .docx file"),
    ],
)
def test_an_unreadable_upload_is_refused_next_to_the_file_field(
    editor_client, name, content, message
):
    response = editor_client.post(NEW, upload(name, content))
    assert response.status_code == 200
    assert response.templates[0].name == "sources/source_import.html"
    (error,) = response.context["form"].errors["file"]
    assert message in error
    assert 'id="id_file_error"' in response.content.decode()
    assert Source.objects.count() == 0


def test_an_oversized_upload_is_refused(editor_client, settings):
    settings.ATTEST_MAX_UPLOAD_BYTES = 1000
    response = editor_client.post(NEW, upload("long.txt", b"word " * 300))
    (error,) = response.context["form"].errors["file"]
    assert "“long.txt” is 1.5\xa0KB; the largest file Attest accepts is 1000\xa0bytes" in error
    assert Source.objects.count() == 0


def test_upload_or_paste_but_not_nothing(editor_client):
    response = editor_client.post(NEW, {"read": "1", "pasted": "  "})
    assert response.context["form"].non_field_errors() == ["Upload a file or paste the text."]


# ---------------------------------------------------------------------------------------------
# Editing


def edit(browser, source, **overrides):
    """Post the edit form as the browser would after opening it."""
    page = browser.get(reverse("sources:source-edit", args=[source.key]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "tags"}
    data["tags"] = ", ".join(tag.name for tag in source.tags.all())
    data["base_revision"] = form.next_base_revision
    data["accessed"] = ""
    return browser.post(
        reverse("sources:source-edit", args=[source.key]), data | overrides, follow=True
    )


def test_editing_the_text_re_anchors_its_citations(editor_client):
    source = SourceFactory(key="ric", text="The Northern Alliance was established in 1992.")
    page_save(page=ActorFactory(), body='A. [@ric "Northern Alliance was established"]', user=None)
    response = edit(editor_client, source, text="Briefly: The Northern Alliance was established.")
    citation = Citation.objects.get()
    assert (citation.start, citation.status) == (13, Citation.Status.ANCHORED)
    messages = [str(message) for message in response.context["messages"]]
    assert "The text changed, so Attest anchored its citation again: 1 moved." in messages


def test_text_that_loses_a_passage_orphans_it_and_says_so(editor_client):
    source = SourceFactory(key="ric", text="The Northern Alliance was established in 1992.")
    page_save(page=ActorFactory(), body='A. [@ric "Northern Alliance was established"]', user=None)
    response = edit(editor_client, source, text="Something else entirely.")
    assert Citation.objects.get().status == Citation.Status.ORPHANED
    assert "1 orphaned" in response.content.decode()


def test_line_endings_from_the_browser_change_nothing(editor_client):
    source = SourceFactory(key="ric", text="First line.\nThe second line here.")
    page_save(page=ActorFactory(), body='A. [@ric "The second line here"]', user=None)
    response = edit(editor_client, source, text="First line.\r\nThe second line here.")
    source.refresh_from_db()
    assert source.text == "First line.\nThe second line here."
    assert "anchored again" not in response.content.decode()
    assert Citation.objects.get().history.count() == 1


def test_the_key_cannot_change_on_edit(editor_client):
    source = SourceFactory(key="ric")
    edit(editor_client, source, key="other")
    assert Source.objects.get().key == "ric"


def test_an_edit_that_crossed_another_save_of_the_same_field_is_not_applied(editor_client):
    source = SourceFactory(key="ric", title="Old title")
    source_save(source=source, user=None, change_reason="created")
    page = editor_client.get(reverse("sources:source-edit", args=["ric"]))
    started_from = page.context["form"].next_base_revision
    source.title = "Someone else's title"
    source_save(source=source, user=curator(), change_reason="meanwhile")
    data = form_data(key="ric", title="My title", base_revision=started_from)
    response = editor_client.post(reverse("sources:source-edit", args=["ric"]), data)
    assert response.status_code == 409
    assert "curator saved this source" in response.context["form"].non_field_errors()[0]
    assert ("Title", "Someone else's title", "My title") in response.context["field_conflicts"]
    assert 'value="My title"' in response.content.decode()
    assert Source.objects.get().title == "Someone else's title"
    # Told, the editor may save their version on top.
    data["base_revision"] = response.context["form"].next_base_revision
    editor_client.post(reverse("sources:source-edit", args=["ric"]), data)
    assert Source.objects.get().title == "My title"


PARAGRAPHS = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph."


def open_edit(browser, key):
    """The edit form as the browser holds it once opened: the data it would post back."""
    form = browser.get(reverse("sources:source-edit", args=[key])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "tags"}
    return data | {"tags": "", "accessed": "", "base_revision": form.next_base_revision}


def test_edits_of_different_paragraphs_of_the_text_are_merged_and_said_so(editor_client):
    source = source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)
    mine = open_edit(editor_client, "ric")
    theirs = Source.objects.get(pk=source.pk)
    theirs.text, theirs.title = PARAGRAPHS.replace("Third", "Their third"), "Their title"
    source_save(source=theirs, user=curator())
    mine["text"] = PARAGRAPHS.replace("First", "My first").replace("\n", "\r\n")
    response = editor_client.post(reverse("sources:source-edit", args=["ric"]), mine, follow=True)
    saved = Source.objects.get(pk=source.pk)
    assert saved.text == "My first paragraph.\n\nSecond paragraph.\n\nTheir third paragraph."
    assert saved.title == "Their title"
    messages = [str(message) for message in response.context["messages"]]
    assert any("merged" in message for message in messages)


def test_edits_of_the_same_lines_show_the_conflict_page_keeping_the_editors_text(editor_client):
    source = source_save(source=SourceFactory.build(key="ric", text=PARAGRAPHS), user=None)
    mine = open_edit(editor_client, "ric")
    theirs = Source.objects.get(pk=source.pk)
    theirs.text = PARAGRAPHS.replace("Second", "Their second")
    source_save(source=theirs, user=curator())
    mine["text"] = PARAGRAPHS.replace("Second", "My second")
    response = editor_client.post(reverse("sources:source-edit", args=["ric"]), mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Edit conflict" in html and "Their second" in html and "My second" in html
    assert response.context["form"]["text"].value() == mine["text"]
    assert "the same lines of its text" in response.context["form"].non_field_errors()[0]
    assert Source.objects.get(pk=source.pk).text == theirs.text


def test_an_edit_leaves_the_published_flag_as_it_stands(editor_client):
    source = source_save(source=SourceFactory.build(key="ric", is_public=False), user=None)
    mine = open_edit(editor_client, "ric")
    publisher = Source.objects.get(pk=source.pk)
    publisher.is_public = True
    source_save(source=publisher, user=curator(), change_reason="Published")
    mine["title"] = "Retitled"
    editor_client.post(reverse("sources:source-edit", args=["ric"]), mine)
    saved = Source.objects.get(pk=source.pk)
    assert (saved.title, saved.is_public) == ("Retitled", True)


@pytest.mark.parametrize("revisions", [2, 200])
def test_the_edit_form_query_count_is_fixed(editor_client, django_assert_num_queries, revisions):
    source = SourceFactory(key="ric")
    source.tags.add("taliban")
    for n in range(revisions):
        source.title = f"Title {n}"
        source_save(source=source, user=None, change_reason=f"edit {n}")
    # session, user, groups, source, latest revision, citation count, tags
    with django_assert_num_queries(7):
        response = editor_client.get(reverse("sources:source-edit", args=["ric"]))
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------
# Publishing


def test_curators_publish_and_unpublish_with_a_revision(curator_client):
    SourceFactory(key="ric", is_public=False)
    url = reverse("sources:source-publish", args=["ric"])
    curator_client.post(url, {"publish": "1"})
    source = Source.objects.get()
    assert source.is_public
    assert source.history.first().history_change_reason == "Published"
    curator_client.post(url, {"publish": "0"})
    assert not Source.objects.get().is_public


def test_unpublishing_is_refused_while_a_public_page_cites_it(curator_client):
    SourceFactory(key="ric")
    actor = ActorFactory(title="Ahmad Shah Massoud", slug="ahmad-shah-massoud")
    page_save(page=actor, body='A. [@ric "the Northern Alliance was established"]', user=None)
    url = reverse("sources:source-publish", args=["ric"])
    response = curator_client.post(url, {"publish": "0"}, follow=True)
    assert Source.objects.get().is_public
    (message,) = [str(m) for m in response.context["messages"]]
    assert "cannot be unpublished while public pages cite it" in message
    assert "Ahmad Shah Massoud (actor, /actors/ahmad-shah-massoud/)" in message


def test_a_relation_between_public_pages_also_holds_the_source(curator_client):
    SourceFactory(key="ric")
    relation = MembershipFactory.build(
        actor=ActorFactory(title="Dostum"),
        faction=FactionFactory(title="Junbish"),
        evidence='[@ric "the Northern Alliance was established"]',
    )
    relation_save(relation=relation, user=None)
    response = curator_client.post(
        reverse("sources:source-publish", args=["ric"]), {"publish": "0"}, follow=True
    )
    assert Source.objects.get().is_public
    assert "Dostum — member of Junbish" in response.content.decode()


def test_a_draft_page_does_not_hold_the_source(curator_client):
    SourceFactory(key="ric")
    page = ActorFactory(is_public=False)
    page_save(page=page, body='A. [@ric "the Northern Alliance was established"]', user=None)
    curator_client.post(reverse("sources:source-publish", args=["ric"]), {"publish": "0"})
    assert not Source.objects.get().is_public


def test_the_actions_include_is_for_the_team(rf):
    source = SourceFactory(key="ric", is_public=True)
    request = rf.get("/")
    request.user = AnonymousUser()
    team = {"source": source, "is_team": True, "request": request}
    html = render_to_string("includes/source_actions.html", {**team, "can_publish": True})
    assert 'href="/sources/ric/edit/"' in html and 'href="/sources/ric/history/"' in html
    assert 'action="/sources/ric/publish/"' in html and 'value="0"' in html and "Unpublish" in html
    assert 'href="/sources/ric/cite/"' in html and "js/cite.js" in html
    assert "Unpublish" not in render_to_string("includes/source_actions.html", team)
    assert render_to_string("includes/source_actions.html", {"source": source}).strip() == ""


# ---------------------------------------------------------------------------------------------
# Citing a passage on a page


def cite(browser, key="ric", **data):
    return browser.post(reverse("sources:source-cite-on", args=[key]), data)


def test_the_form_works_without_javascript(editor_client):
    SourceFactory(key="ric")
    html = editor_client.get(reverse("sources:source-cite-on", args=["ric"])).content.decode()
    assert '<textarea name="passage"' in html
    assert 'name="target" value="new-actors"' in html and 'list="page-titles"' in html


def test_a_selection_arrives_as_one_line_and_focuses_the_page_field(editor_client):
    SourceFactory(key="ric")
    url = reverse("sources:source-cite-on", args=["ric"])
    response = editor_client.get(url, {"passage": "the  Northern\n Alliance"})
    form = response.context["form"]
    assert form.initial["passage"] == "the Northern Alliance"
    assert "autofocus" in form.fields["page"].widget.attrs


def test_a_passage_is_cited_on_an_existing_page(editor_client):
    SourceFactory(key="ric")
    ActorFactory(title="Ahmad Shah Massoud", slug="ahmad-shah-massoud")
    response = cite(
        editor_client,
        passage="Ahmad Shah  Mas'ud,\nhead of the Jamiat-e Islami Party",
        locator="para. 1",
        target="page",
        page="ahmad shah massoud",
    )
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert url.path == "/actors/ahmad-shah-massoud/edit/"
    # The source's own words (its apostrophe), on one line.
    assert parse_qs(url.query)["append"] == [
        '[@ric, para. 1 "Ahmad Shah Mas’ud, head of the Jamiat-e Islami Party"]'
    ]


def test_a_passage_is_cited_on_a_new_page(editor_client):
    SourceFactory(key="ric")
    response = cite(
        editor_client,
        passage="the Northern Alliance was established",
        target="new-factions",
        page="Northern Alliance",
    )
    url = urlsplit(response["Location"])
    assert url.path == "/factions/new/"
    assert parse_qs(url.query) == {
        "title": ["Northern Alliance"],
        "append": ['[@ric "the Northern Alliance was established"]'],
    }


def test_quote_marks_in_a_passage_are_escaped_for_the_markup(editor_client):
    SourceFactory(key="ric", text='He said "we will fight; [all] of us" and left.')
    ActorFactory(title="Dostum", slug="dostum")
    passage = 'said "we will fight; [all] of us"'
    response = cite(editor_client, passage=passage, target="page", page="Dostum")
    (append,) = parse_qs(urlsplit(response["Location"]).query)["append"]
    assert append == '[@ric "said \\"we will fight; [all] of us\\""]'
    assert parse_group(append) == [CitationRef("ric", quote=passage)]


def test_a_passage_not_in_the_source_names_the_closest_one(editor_client):
    SourceFactory(key="ric")
    ActorFactory(title="Dostum", slug="dostum")
    response = cite(
        editor_client,
        passage="the Northern Alliance was founded in opposition",
        target="page",
        page="Dostum",
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["passage"]
    assert error.startswith("These words are not in “ric”")
    assert "Closest passage: “" in error and "Northern Alliance was established" in error
    assert 'id="id_passage_error"' in response.content.decode()


def test_an_unknown_page_is_an_error_next_to_the_page_field(editor_client):
    SourceFactory(key="ric")
    response = cite(editor_client, passage="Northern Alliance", target="page", page="Nobody at all")
    assert "No page is titled “Nobody at all”" in response.context["form"].errors["page"][0]


def test_a_new_page_that_exists_already_is_an_error(editor_client):
    SourceFactory(key="ric")
    FactionFactory(title="Northern Alliance")
    response = cite(
        editor_client, passage="Northern Alliance", target="new-factions", page="Northern Alliance"
    )
    assert "There is already a faction titled" in response.context["form"].errors["page"][0]


def test_a_title_two_pages_share_is_resolved_by_address(editor_client):
    SourceFactory(key="ric")
    ActorFactory(title="Wahdat", slug="wahdat-person")
    FactionFactory(title="Wahdat", slug="wahdat")
    response = cite(editor_client, passage="Northern Alliance", target="page", page="Wahdat")
    assert "Several pages are titled “Wahdat”" in response.context["form"].errors["page"][0]
    response = cite(
        editor_client, passage="Northern Alliance", target="page", page="/factions/wahdat/"
    )
    assert urlsplit(response["Location"]).path == "/factions/wahdat/edit/"


def test_a_locator_cannot_break_the_markup(editor_client):
    SourceFactory(key="ric")
    ActorFactory(title="Dostum")
    response = cite(
        editor_client, passage="Northern Alliance", locator='p. 3"]', target="page", page="Dostum"
    )
    assert "A locator cannot hold" in response.context["form"].errors["locator"][0]
