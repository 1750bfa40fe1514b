"""Warning before a duplicate page is made: the name matcher as a table, then the forms."""

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, EventFactory, FactionFactory
from wiki.duplicates import (
    Candidate,
    close_keys,
    close_names,
    name_score,
    page_duplicates,
    skeleton,
)
from wiki.models import Actor, Faction
from wiki.names import normalise
from wiki.services import page_save

# ---------------------------------------------------------------------------------------------
# The matcher (pure)


@pytest.mark.parametrize(
    ("typed", "existing"),
    [
        ("Masood", "Massoud"),
        ("Mas'ud", "Massoud"),
        ("Ahmed Shah Masoud", "Ahmad Shah Massoud"),
        ("Mazar-e Sharif", "Mazar-i-Sharif"),
        ("Hezb-e Wahdat", "Hizb-i Wahdat"),
        ("Gulbuddin Hekmatyar", "Gulbuddin Hikmatyar"),
        ("Taliban", "Taleban"),
        ("Dostum", "Dostam"),
        ("Massoud, Ahmad Shah", "Ahmad Shah Massoud"),  # words in another order
        ("AHMAD SHAH MASSOUD", "Ahmad Shah Massoud"),
    ],
)
def test_spelling_variants_of_one_name_match(typed, existing):
    [match] = close_names([typed], [Candidate(existing, normalise(existing), "page")])
    assert match.candidate.name == existing


@pytest.mark.parametrize(
    ("typed", "existing"),
    [
        ("Abdul Haq", "Abdul Qadir"),
        ("Dostum", "Massoud"),
        ("Kabul", "Kunduz"),
        ("Hezb-e Islami", "Hezb-e Wahdat"),
        ("Hezb-e Islami Gulbuddin", "Hezb-e Islami Khalis"),
        ("Abdul Rashid Dostum", "Abdul Rasul Sayyaf"),
        ("Battle of Kabul", "Battle of Kunduz"),
        ("Ismail Khan", "Ismail Khel"),
        ("Taliban", "Pakistani Taliban"),
        ("Jamiat-e Islami", "Jamiat Ulema-e-Islam"),
        ("Ali", "Ola"),  # too short for skeletons to mean anything
        ("Omar", "Amir"),
    ],
)
def test_unrelated_names_do_not_match(typed, existing):
    assert close_names([typed], [Candidate(existing, normalise(existing), "page")]) == []


def test_the_same_name_in_another_form_is_exact_and_scores_100():
    [match] = close_names(
        ["ahmad shah mas’ud"], [Candidate("Ahmad Shah Mas'ud", "ahmad shah masud", 1)]
    )
    assert match.exact and match.score == 100 == name_score(
        "ahmad shah mas’ud", "Ahmad Shah Mas'ud"
    )


def test_a_close_name_is_not_exact():
    [match] = close_names(["Masood"], [Candidate("Massoud", "massoud", 1)])
    assert not match.exact and 85 <= match.score < 100


@pytest.mark.parametrize(
    ("name", "expected"),
    [("massoud", "masad"), ("masood", "masad"), ("mazar i sharif", "mazar a sharaf")],
)
def test_a_skeleton_keeps_consonants_and_folds_vowels_and_doubles(name, expected):
    assert skeleton(name) == expected


def test_one_match_per_page_exact_names_first_then_closest():
    candidates = [
        Candidate("Ahmad Shah Massoud", "ahmad shah massoud", "massoud", is_title=True),
        Candidate("Massoud", "massoud", "massoud", is_title=False),
        Candidate("Masood", "masood", "masood", is_title=True),
        Candidate("Abdul Haq", "abdul haq", "haq", is_title=True),
    ]
    matches = close_names(["Masood"], candidates)
    assert [(m.candidate.page, m.candidate.name, m.exact) for m in matches] == [
        ("masood", "Masood", True),
        ("massoud", "Massoud", False),
    ]


def test_blank_names_match_nothing():
    assert close_names(["", "  ", "—"], [Candidate("A", "a", 1)]) == []


# ---------------------------------------------------------------------------------------------
# Loading candidates from the name index


@pytest.mark.django_db
@pytest.mark.parametrize("others", [1, 20])
def test_page_duplicates_reads_titles_and_aliases_in_two_queries(django_assert_num_queries, others):
    page_save(
        page=ActorFactory(title="Ahmad Shah Massoud", slug="massoud", aliases="Massoud"),
        body="",
        user=None,
    )
    for n in range(others):
        page_save(page=FactionFactory(title=f"Front {n}", slug=f"f-{n}"), body="", user=None)
    with django_assert_num_queries(2):  # every distinct name; the pages with a close one
        [duplicate] = page_duplicates(title="Masood", aliases=["Someone else"])
    assert duplicate.title == "Ahmad Shah Massoud" and duplicate.alias == "Massoud"
    assert duplicate.url == "/actors/massoud/" and duplicate.kind == "actor"
    assert duplicate.typed == "Masood" and not duplicate.exact


@pytest.mark.django_db
def test_page_duplicates_without_a_close_name_asks_once(django_assert_num_queries):
    page_save(page=ActorFactory(title="Ahmad Shah Massoud", slug="massoud"), body="", user=None)
    with django_assert_num_queries(1):
        assert page_duplicates(title="Abdul Haq") == []


def test_close_keys_names_the_close_names_among_many():
    existing = ["massoud", "ahmad shah massoud", "abdul haq", "mazar i sharif"]
    assert close_keys(["masood", "mazar e sharif"], existing) == {"massoud", "mazar i sharif"}


@pytest.mark.django_db
def test_page_duplicates_includes_drafts_and_leaves_out_the_page_itself():
    draft = page_save(
        page=EventFactory(title="Battle of Kabul", slug="kabul", is_public=False),
        body="",
        user=None,
    )
    [duplicate] = page_duplicates(title="Battle of Kabul")
    assert duplicate.exact and not duplicate.is_public and duplicate.alias == ""
    assert page_duplicates(title="Battle of Kabul", exclude=draft) == []


# ---------------------------------------------------------------------------------------------
# The new-page form: warn, then create once the editor confirms


@pytest.fixture
def massoud(db):
    return page_save(
        page=ActorFactory(title="Ahmad Shah Massoud", slug="ahmad-shah-massoud", aliases="Massoud"),
        body="",
        user=None,
    )


def create(client, segment="actors", **data):
    return client.post(reverse("wiki:entry-create", args=[segment]), {"body": "", **data})


def test_a_close_title_is_not_saved_and_asks_did_you_mean(editor_client, massoud):
    response = create(editor_client, title="Ahmed Shah Masoud")
    assert response.status_code == 200
    assert Actor.objects.count() == 1
    [error] = response.context["form"].errors["not_a_duplicate"]
    assert error.startswith("Did you mean the actor “Ahmad Shah Massoud”?")
    html = response.content.decode()
    assert 'Did you mean <a href="/actors/ahmad-shah-massoud/">Ahmad Shah Massoud</a>?' in html
    assert "This is a different person: create it anyway" in html
    assert 'name="not_a_duplicate"' in html and "Nothing was saved" in html


def test_confirming_a_different_page_creates_it(editor_client, massoud):
    response = create(editor_client, title="Ahmed Shah Masoud", not_a_duplicate="on")
    created = Actor.objects.get(slug="ahmed-shah-masoud")
    assert response.status_code == 302 and response.url == created.get_absolute_url()


def test_a_close_alias_warns_too(editor_client, massoud):
    response = create(editor_client, title="The Lion of Panjshir", aliases="Commander\nMasood")
    assert "not_a_duplicate" in response.context["form"].errors
    [duplicate] = response.context["form"].similar_pages
    assert duplicate.typed == "Masood" and duplicate.alias == "Massoud"
    assert "also called “Massoud”" in response.content.decode()
    assert Actor.objects.count() == 1


def test_an_exact_name_is_the_strongest_warning(editor_client, massoud):
    response = create(editor_client, "factions", title="Massoud")
    [error] = response.context["form"].errors["not_a_duplicate"]
    assert error.startswith("“Massoud” is already a name of the actor “Ahmad Shah Massoud”.")
    html = response.content.decode()
    assert "duplicate-warning--exact" in html and "A page with this name exists already" in html
    assert "This is a different faction: create it anyway" in html
    assert not Faction.objects.exists()


def test_an_unrelated_name_saves_at_once(editor_client, massoud):
    response = create(editor_client, title="Abdul Rashid Dostum")
    assert response.status_code == 302
    assert Actor.objects.filter(slug="abdul-rashid-dostum").exists()


def test_editing_a_page_does_not_ask(editor_client, massoud):
    url = reverse("wiki:entry-edit", args=["actors", massoud.slug])
    response = editor_client.post(url, {"title": "Ahmad Shah Massoud", "slug": massoud.slug})
    assert response.status_code == 302
    assert "not_a_duplicate" not in editor_client.get(url).context["form"].fields


# ---------------------------------------------------------------------------------------------
# The red-link chooser


def test_the_chooser_offers_pages_with_close_names(editor_client, massoud):
    response = editor_client.get(reverse("wiki:page-new"), {"title": "Ahmed Shah Masoud"})
    html = response.content.decode()
    assert 'Did you mean <a href="/actors/ahmad-shah-massoud/">Ahmad Shah Massoud</a>?' in html
    assert 'href="/actors/new/?title=Ahmed+Shah+Masoud"' in html  # creating stays one click


def test_the_chooser_lists_an_exact_name_once(editor_client, massoud):
    response = editor_client.get(reverse("wiki:page-new"), {"title": "massoud"})
    assert response.context["similar"] == []
    assert [name.name for name in response.context["existing"]] == ["Massoud"]


def test_the_chooser_without_a_close_name_shows_no_list(editor_client, massoud):
    response = editor_client.get(reverse("wiki:page-new"), {"title": "Abdul Haq"})
    assert response.context["similar"] == [] and "similar-pages" not in response.content.decode()
