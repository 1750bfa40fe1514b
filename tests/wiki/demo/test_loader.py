"""load_demo: the demo corpus and wiki, every relation cited with a verified quote; idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from sources.models import Citation, CitationUse, Source
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation

pytestmark = pytest.mark.django_db
RELATIONS = (Membership, FactionRelation, Participation)


def load(**options):
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def history_rows():
    models = (Source, Citation, Actor, Faction, Event, *RELATIONS)
    return sum(model.history.count() for model in models)


def log_in(**credentials):
    """Authenticate as the login form does: login throttling needs the request."""
    return authenticate(RequestFactory().post("/accounts/login/"), **credentials)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo without accounts, loaded once for the class (it takes seconds) and rolled back
    after it; each test runs in a transaction of its own on top of it. One test below loads
    into an empty database with the accounts, as `make run` does the first time."""
    with django_db_blocker.unblock(), transaction.atomic():
        load(no_accounts=True)
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    def test_the_demo_is_large_enough_and_published(self):
        assert Source.objects.count() == 4
        assert Actor.objects.published().count() >= 8
        assert Faction.objects.published().count() >= 8
        assert Event.objects.published().count() >= 6
        assert sum(model.objects.count() for model in RELATIONS) >= 10

    def test_every_demo_relation_is_cited_with_a_verified_quote(self):
        for model in RELATIONS:
            for relation in model.objects.prefetch_related("citation_uses__citation__source"):
                citations = [use.citation for use in relation.citation_uses.all()]
                assert citations, f"{relation} has no citation"
                for citation in citations:
                    assert citation.status == Citation.Status.ANCHORED
                    assert citation.source.text[citation.start : citation.end] == citation.quote

    def test_demo_sources_carry_the_metadata_their_documents_state(self):
        ric = Source.objects.get(document_symbol="AFG00001.REF")
        assert ric.published == "1999-12-14"
        assert "Citizenship and Immigration" in ric.publisher
        assert ric.authors == "Resource Information Center"
        assert ric.text.startswith("Last Updated")
        news = Source.objects.get(published="2015-07-21")
        assert news.authors == "Waheed Orya"

    def test_loading_twice_changes_nothing(self):
        counts = (history_rows(), Citation.objects.count(), CitationUse.objects.count())
        out, _ = load(no_accounts=True)
        assert (history_rows(), Citation.objects.count(), CitationUse.objects.count()) == counts
        assert "Created" not in out and "Changed" not in out

    def test_every_demo_page_is_fully_sourced_and_links_only_to_existing_pages(self):
        from wiki.models import Name, PageLink

        for model in (Actor, Faction, Event):
            for page in model.objects.all():
                assert page.sentence_count >= 3, page
                assert page.coverage == 1.0, f"{page}: {page.sourced_count}/{page.sentence_count}"
        known = set(Name.objects.values_list("normalised", flat=True))
        assert PageLink.objects.exists()
        assert set(PageLink.objects.values_list("normalised", flat=True)) <= known
        assert not Citation.objects.exclude(status=Citation.Status.ANCHORED).exists()

    # The accounts, on top of the loaded demo: the content loads again unchanged, in a second.
    def test_a_generated_demo_password_is_printed_once(self, monkeypatch, settings):
        settings.DEBUG = True
        monkeypatch.delenv("ATTEST_DEMO_PASSWORD", raising=False)
        first, _ = load()
        password = first.split("password ")[1].split()[0]
        assert log_in(username="curator", password=password)
        second, _ = load()
        assert password not in second

    def test_demo_accounts_are_refused_when_debug_is_off(self, settings):
        settings.DEBUG = False
        _, err = load()
        assert "not created" in err
        assert not User.objects.filter(username__in=["editor", "curator"]).exists()


def test_demo_accounts_use_the_password_from_the_environment(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setenv("ATTEST_DEMO_PASSWORD", "a demo password")
    load()
    editor = log_in(username="editor", password="a demo password")
    curator = log_in(username="curator", password="a demo password")
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert curator.is_staff and curator.groups.filter(name="Curators").exists()
    assert not editor.is_staff
