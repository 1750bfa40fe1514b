"""The mention index follows source texts and entry names, whichever of them changes."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from sources.models import Mention, Source
from sources.services import source_save
from tests.factories import ActorFactory, FactionFactory
from wiki.mentions.index import mentions_rebuild_all
from wiki.models import Actor, Faction
from wiki.services import page_delete, page_save

pytestmark = pytest.mark.django_db


def save_source(key: str, text: str, **fields) -> Source:
    source = Source.objects.filter(key=key).first() or Source(key=key, title=key, **fields)
    source.text = text
    return source_save(source=source, user=None)


def save_entry(model, title: str, aliases: str = "", entry=None):
    entry = entry or model(title=title, slug=title.lower().replace(" ", "-"), is_public=True)
    entry.title, entry.aliases = title, aliases
    return page_save(page=entry, user=None)


def index() -> dict[tuple[str, str], list[list[int]]]:
    """The whole index as {(source key, entry title): positions}."""
    rows = Mention.objects.select_related("source", "content_type")
    return {(m.source.key, m.entry.title): m.positions for m in rows}


def passages(source_key: str, title: str) -> list[str]:
    source = Source.objects.get(key=source_key)
    return [source.text[start:end] for start, end in index()[(source_key, title)]]


def test_a_new_source_is_matched_against_every_name():
    save_entry(Actor, "Ahmad Shah Massoud", "Mas'ud")
    save_source("ric", "Ahmad Shah Massoud met Dostum. Later Mas’ud left.")
    assert passages("ric", "Ahmad Shah Massoud") == ["Ahmad Shah Massoud", "Mas’ud"]
    mention = Mention.objects.get()
    assert (mention.count, mention.first_start) == (2, 0)


def test_a_changed_text_is_matched_again_and_an_unchanged_save_leaves_the_rows():
    save_entry(Actor, "Dostum")
    source = save_source("ric", "Dostum spoke.")
    first = Mention.objects.get()
    source.title = "Renamed"
    source_save(source=source, user=None)
    assert Mention.objects.get().pk == first.pk  # the text did not change: nothing rebuilt
    save_source("ric", "Then, at last, DOSTUM spoke.")
    assert passages("ric", "Dostum") == ["DOSTUM"]
    save_source("ric", "Nobody spoke.")
    assert index() == {}


def test_a_new_alias_indexes_the_sources_that_use_it_and_a_removed_one_forgets_them():
    save_source("a", "Ahmad Shah Massoud and Mas'ud")
    save_source("b", "Only Masud here.")
    save_source("c", "Nothing to see.")
    actor = save_entry(Actor, "Ahmad Shah Massoud")
    assert set(index()) == {("a", "Ahmad Shah Massoud")}
    save_entry(Actor, "Ahmad Shah Massoud", "Masud", entry=actor)
    assert passages("a", "Ahmad Shah Massoud") == ["Ahmad Shah Massoud", "Mas'ud"]
    assert passages("b", "Ahmad Shah Massoud") == ["Masud"]
    save_entry(Actor, "Ahmad Shah Massoud", "", entry=actor)
    assert set(index()) == {("a", "Ahmad Shah Massoud")}


def test_a_renamed_entry_is_found_under_its_new_title_only():
    save_source("a", "The Northern Alliance and the United Front.")
    faction = save_entry(Faction, "Northern Alliance")
    save_entry(Faction, "United Front", entry=faction)
    assert passages("a", "United Front") == ["United Front"]
    assert len(index()) == 1


def test_a_longer_new_name_takes_the_text_from_a_shorter_one_and_gives_it_back_on_delete():
    save_source("a", "Ahmad Shah Massoud, called Massoud.")
    short = save_entry(Actor, "Massoud")
    assert passages("a", "Massoud") == ["Massoud", "Massoud"]
    longer = save_entry(Actor, "Ahmad Shah Massoud")
    assert passages("a", "Massoud") == ["Massoud"]
    assert passages("a", "Ahmad Shah Massoud") == ["Ahmad Shah Massoud"]
    page_delete(page=longer, user=None)
    assert passages("a", "Massoud") == ["Massoud", "Massoud"]
    assert len(index()) == 1
    page_delete(page=short, user=None)
    assert index() == {}


def test_a_save_that_keeps_the_names_rematches_nothing():
    for n in range(5):
        save_source(f"s{n}", "Dostum")
    actor = save_entry(Actor, "Dostum")
    actor.summary = "A general."
    before = set(Mention.objects.values_list("pk", flat=True))
    page_save(page=actor, body="Edited.", user=None)
    assert set(Mention.objects.values_list("pk", flat=True)) == before


def test_one_name_of_two_entries_is_a_mention_of_each():
    save_source("a", "Ali arrived.")
    save_entry(Actor, "Ali")
    save_entry(Actor, "Ali Ahmad", "Ali")
    assert set(index()) == {("a", "Ali"), ("a", "Ali Ahmad")}


def test_the_full_rebuild_gives_what_the_incremental_updates_gave():
    save_source("a", "Ahmad Shah Massoud, Dostum and the Taliban’s leaders.")
    save_source("b", "Dostum and Massoud; then Mas’ud.")
    save_entry(Actor, "Massoud", "Mas'ud")
    save_entry(Actor, "Ahmad Shah Massoud")
    dostum = save_entry(Actor, "Abdul Rashid Dostum", "Dostum")
    save_entry(Faction, "Taliban")
    save_entry(Actor, "General Dostum", "Dostum Khan", entry=dostum)
    incremental = index()
    mentions_rebuild_all()
    assert index() == incremental
    assert ("a", "Taliban") in incremental and ("b", "General Dostum") not in incremental


def test_the_command_rebuilds_everything_and_says_how_much():
    save_source("a", "Dostum and Noor")
    actor, faction = ActorFactory(title="Dostum"), FactionFactory(title="Noor")
    for entry in (actor, faction):  # written by the factory: no names, no mentions yet
        page_save(page=entry, user=None)
    Mention.objects.all().delete()
    out = StringIO()
    call_command("rebuild_mentions", stdout=out)
    assert set(index()) == {("a", "Dostum"), ("a", "Noor")}
    assert "2 mention rows in 1 sources" in out.getvalue()


def test_a_deleted_source_takes_its_mentions_with_it():
    source = save_source("a", "Dostum")
    save_entry(Actor, "Dostum")
    Source.objects.filter(pk=source.pk).delete()
    assert not Mention.objects.exists()


def test_the_demo_sources_mention_the_demo_entries():
    call_command("load_demo", no_accounts=True, stdout=StringIO(), stderr=StringIO())
    massoud = Actor.objects.get(slug="ahmad-shah-massoud")
    alliance = Faction.objects.get(title="Northern Alliance")
    named = {
        (m.content_type_id, m.object_id)
        for m in Mention.objects.filter(source__key__startswith="uscis")
    }
    for entry in (massoud, alliance):
        assert (ContentType.objects.get_for_model(entry).pk, entry.pk) in named
    # Loading again, with the index emptied meanwhile, builds it again.
    Mention.objects.all().delete()
    call_command("load_demo", no_accounts=True, stdout=StringIO(), stderr=StringIO())
    assert Mention.objects.filter(source__key__startswith="uscis").count() == len(named)
