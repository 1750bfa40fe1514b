"""load_demo: the demo corpus and wiki, every relation and fact cited with a verified quote, the
sources graded; idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from sources.models import Citation, CitationUse, Source
from wiki.claims import values
from wiki.demo.claims import DemoDataError, wanted_claims
from wiki.demo.loader import DEMO_DIR, demo_load
from wiki.models import Actor, Claim, Event, Faction, FactionRelation, Membership, Participation

pytestmark = pytest.mark.django_db
RELATIONS = (Membership, FactionRelation, Participation)
ENTRIES = (Actor, Faction, Event)
# Where the four documents disagree on a fact: the Resource Information Center dates the
# alliance's founding to 1992 and, drawing on The Economist, to after the Taliban's emergence in
# late 1994. The other disagreements of the corpus (force sizes, the alliance's formal name, who
# leads the Panjshir holdout) are not facts an entry states beside its body.
DISPUTED = {
    ("northern-alliance", "founded"),
    ("founding-of-the-northern-alliance", "start"),
    ("dostum-joins-the-northern-alliance", "start"),
}


def load(**options):
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def history_rows():
    models = (Source, Citation, *ENTRIES, Claim, *RELATIONS)
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

    def test_every_demo_fact_is_a_claim_cited_with_verified_quotes(self):
        claims = list(Claim.objects.prefetch_related("citation_uses__citation__source"))
        assert len(claims) >= 30
        for claim in claims:
            citations = [use.citation for use in claim.citation_uses.all()]
            assert citations, f"{claim.subject}: {claim} cites no passage"
            for citation in citations:
                assert citation.status == Citation.Status.ANCHORED
                assert citation.source.text[citation.start : citation.end] == citation.quote
        for model in ENTRIES:
            for entry in model.objects.all():
                stated = {name for name in entry.claim_fields if getattr(entry, name)}
                assert stated == {c.field for c in claims if c.subject == entry}, entry
                assert entry.fact_sourced_count == entry.fact_count, entry

    def test_the_demo_shows_where_its_sources_disagree(self):
        disputed = set()
        for model in ENTRIES:
            for entry in model.objects.all():
                for name in entry.claim_fields:
                    if values.is_disputed(name, list(Claim.objects.of(entry).filter(field=name))):
                        disputed.add((entry.slug, name))
        assert disputed == DISPUTED
        founded = Claim.objects.of(Faction.objects.get(slug="northern-alliance"))
        assert {(claim.value, claim.rank) for claim in founded} == {
            ("1992", Claim.Rank.NORMAL),
            ("1994/..", Claim.Rank.NORMAL),
        }

    def test_every_demo_source_is_graded_with_a_reason(self):
        for source in Source.objects.all():
            assert source.reliability in "ABCDEF" and source.reliability, source
            assert 20 <= len(source.reliability_reason) <= 300, source

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

        for model in ENTRIES:
            for page in model.objects.all():
                assert page.sentence_count >= 3, page
                assert page.coverage == 1.0, f"{page}: {page.statement_coverage}"
        known = set(Name.objects.values_list("normalised", flat=True))
        assert PageLink.objects.exists()
        assert set(PageLink.objects.values_list("normalised", flat=True)) <= known
        assert not Citation.objects.exclude(status=Citation.Status.ANCHORED).exists()

    def test_a_claim_changed_in_the_toml_is_replaced_and_the_others_left_alone(self, tmp_path):
        text = (DEMO_DIR / "demo.toml").read_text(encoding="utf-8")
        fatalities = '{ field = "fatalities", value = "3", '
        assert text.count(fatalities) == 1 and text.count('value = "1998-05"') == 1
        path = tmp_path / "demo.toml"
        edited = text.replace('value = "1998-05"', 'value = "1998"')
        path.write_text(edited.replace(fatalities, "# " + fatalities), encoding="utf-8")
        claims, history = Claim.objects.count(), Claim.history.count()
        report = demo_load(path)
        assert report.created == {"claims": 1}
        assert report.changed == {"events": 2, "claims": 2}
        assert Claim.objects.count() == claims - 1
        assert Claim.history.count() == history + 3  # one added, two removed
        assert Event.objects.get(slug="taliban-northern-alliance-peace-talks").end == "1998"
        assert Event.objects.get(slug="jalalabad-flag-protest-2021").fatalities == ""

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


def test_a_bare_fact_in_the_demo_data_is_refused():
    with pytest.raises(DemoDataError, match="born"):
        wanted_claims({"slug": "someone", "born": "1953"})
    with pytest.raises(DemoDataError, match="cites no passage"):
        wanted_claims({"slug": "someone", "claims": [{"field": "born", "value": "1953"}]})
