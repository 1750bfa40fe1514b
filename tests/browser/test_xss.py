"""No script from content: known XSS payloads in every field a user types, on every page.

The payloads (xss_payloads.txt) sit in titles, aliases, summaries, tags, lock reasons, event
places and fatalities, page bodies (as text, [[link]] targets and labels, quotes, locators),
relation evidence, every field of a source, edit summaries, usernames and names. Each page that
shows them is loaded in Chromium with the Content Security Policy bypassed, so that escaping
and sanitising are tested on their own: no dialog may open, window.__xss stays unset, and the
served HTML holds no event handler, script URL, foreign script, frame or style from content.
Then, with the policy on, our own scripts and the admin must work without a violation.
"""

import re
from html import escape
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from taggit.models import Tag

from tests.browser.test_citing import select_with_mouse
from tests.browser.xss_audit import Sweep
from tests.browser.xss_corpus import KEY, PASSWORD, PAYLOADS, cite, corpus_build, packed
from tests.factories import ActorFactory, SourceFactory, curator, editor
from wiki.models import Actor
from wiki.services import page_save

pytestmark = pytest.mark.django_db(transaction=True)


def _history_ids(obj) -> list[int]:
    return list(obj.history.order_by("history_id").values_list("history_id", flat=True))


def public_pages(corpus) -> list[tuple[str, list[str]]]:
    """(path, values it must show) for every page the public sees payloads on."""
    actors, events, sources = corpus.actors, corpus.events, corpus.sources
    first = corpus.actors[0]
    tags = list(Tag.objects.filter(name__contains="<").order_by("pk"))
    pages = [
        ("/", []),
        ("/actors/", [a.title for a in actors] + [a.summary for a in actors if a.summary]),
        ("/factions/", [f.title for f in corpus.factions]),
        ("/events/", [e.summary for e in events if e.summary]),
        ("/sources/", [s.title for s in sources] + [s.publisher for s in sources if s.publisher]),
        (
            first.get_absolute_url(),
            [*PAYLOADS, *(t.name for t in first.tags.all()), corpus.relations[0].role],
        ),
        *((a.get_absolute_url(), [a.title, *(t.name for t in a.tags.all())]) for a in actors[1:]),
        *((f.get_absolute_url(), [f.title]) for f in corpus.factions),
        *((e.get_absolute_url(), [e.place, e.fatalities, e.kind]) for e in events),
        (corpus.main.get_absolute_url(), PAYLOADS),
        *(
            (s.get_absolute_url(), [v for v in (s.authors, s.document_symbol, s.url, s.kind) if v])
            for s in sources
        ),
        # Each tag page shows one name; every name shows on the actors' pages above.
        *((f"/tags/{tag.slug}/", [tag.name]) for tag in tags[:: len(tags) // 5]),
        (f"/actors/?tag={tags[0].slug}", [tags[0].name]),
    ]
    # What a reader types into the address: searches, list filters, where to go after login.
    pages += [(f"/search/?q={quote(payload)}", []) for payload in PAYLOADS[:3]]
    pages += [
        (f"/events/?tag={quote(PAYLOADS[0])}&sort={quote(PAYLOADS[1])}", []),
        (f"/accounts/login/?next={quote(PAYLOADS[-1])}", []),
        (f"/accounts/login/?next={quote('javascript:alert(1)')}", []),
    ]
    return pages


def team_pages(corpus) -> list[tuple[str, list[str]]]:
    """Pages only the team sees: history, diffs, revisions, changes, contributions, forms."""
    first, event, main = corpus.actors[0], corpus.events[0], corpus.main
    pages = [
        ("/", []),
        ("/changes/", []),
        ("/changes/?type=event", packed(100)),
        ("/changes/?type=relation", []),
        (f"/changes/?user={quote(corpus.writers[0].username)}", [corpus.writers[0].username]),
        *((f"/users/{quote(user.username)}/", [user.username]) for user in corpus.writers),
        (main.get_absolute_url(), [main.notes]),
        (corpus.sources[1].get_absolute_url(), [corpus.sources[1].title]),
        (f"{main.get_absolute_url()}history/", []),
        (f"{main.get_absolute_url()}edit/", [main.title, main.notes]),
        (f"/sources/{KEY}/cite/?passage={quote(PAYLOADS[0])}", [PAYLOADS[0]]),
        (f"/sources/{corpus.sources[1].key}/edit/", [corpus.sources[1].title]),
        (f"/new/?title={quote(PAYLOADS[1])}", []),
        (f"/actors/new/?title={quote(PAYLOADS[2])}", []),
        (f"{first.get_absolute_url()}edit/", [first.title]),
        (f"{event.get_absolute_url()}edit/", [event.place, event.fatalities]),
        (corpus.actors[1].get_absolute_url(), [corpus.actors[1].lock_reason]),
        *((f"/relations/{r._meta.model_name}/{r.pk}/edit/", []) for r in corpus.relations),
    ]
    for obj, base in [(first, first.get_absolute_url()), (event, event.get_absolute_url())]:
        ids = _history_ids(obj)
        pages += [
            (f"{base}history/", []),
            (f"{base}history/?diff={ids[0]}..{ids[-1]}", []),
            (f"{base}history/{ids[-2]}/", []),
        ]
    ids = _history_ids(main)
    pages += [
        (f"{main.get_absolute_url()}history/?diff={ids[0]}..{ids[-1]}", PAYLOADS),
        (f"{main.get_absolute_url()}history/{ids[-1]}/", PAYLOADS),
    ]
    return pages


def admin_pages(corpus) -> list[tuple[str, list[str]]]:
    """The admin pages a curator works in: change lists, change forms, history."""
    first, main, writer = corpus.actors[0], corpus.main, corpus.writers[0]
    citation = main.citations.first()
    pages = [("/admin/", [])]
    for obj in [first, corpus.factions[0], corpus.events[0], main, *corpus.relations, citation]:
        meta = obj._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        pages += [(base, []), (f"{base}{obj.pk}/change/", []), (f"{base}{obj.pk}/history/", [])]
    history_id = first.history.order_by("-history_id").first().history_id
    pages += [
        (f"/admin/wiki/actor/{first.pk}/history/{history_id}/", []),
        (f"/admin/wiki/actor/?q={quote(PAYLOADS[0])}", []),
        (
            "/admin/auth/user/",
            [n for u in corpus.writers for n in (u.first_name, u.last_name) if n],
        ),
        (f"/admin/auth/user/{writer.pk}/change/", [writer.username, writer.last_name]),
        ("/admin/taggit/tag/", [tag.name for tag in first.tags.all()[:5]]),
    ]
    return pages


def typed_bodies(corpus) -> list[tuple[str, str]]:
    """(button, body) for forms that echo what was typed: a preview, and two refused saves."""
    missing = "\n\n".join(f"{p} {cite(p + ' (not in the text)')}" for p in PAYLOADS)
    unclosed = f'{PAYLOADS[0]} {PAYLOADS[1]} [@{KEY} "{PAYLOADS[0]}'
    return [
        ("Preview", Actor.objects.get(pk=corpus.actors[0].pk).body),
        ("Save changes", missing),  # every quote refused, each with its closest passage
        ("Save changes", unclosed),  # a syntax error that quotes the citation
    ]


def document() -> bytes:
    """An HTML file whose metadata and text are payloads (escaped, as a page shows them)."""
    text = "".join(f"<p>{escape(p)}</p><script>alert(1)</script>" for p in PAYLOADS)
    return (
        f"<html><head><title>{escape(PAYLOADS[0])}</title>"
        f'<meta name="author" content="{escape(PAYLOADS[1])}"></head>'
        f"<body><article><h1>{escape(PAYLOADS[0])}</h1>{text}</article></body></html>"
    ).encode()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def sweep(new_context, live_server, *, user=None, enforce_policy=False) -> Sweep:
    """A fresh browser (logged in as user), with the policy bypassed unless enforce_policy."""
    tab = Sweep(new_context(bypass_csp=not enforce_policy).new_page(), live_server.url)
    if user is not None:
        log_in(tab.page, live_server.url, user.username)
        expect(tab.page.locator(".account__name")).to_have_text(user.username)
    return tab


def test_no_payload_runs_on_any_page(new_context, live_server):
    corpus = corpus_build()
    public = sweep(new_context, live_server)
    for path, shows in public_pages(corpus):
        public.visit(path, shows=shows)
    public.visit(f"/actors/{quote(PAYLOADS[0])}/", status=404)

    team = sweep(new_context, live_server, user=corpus.writers[0])
    for path, shows in public_pages(corpus)[:6] + team_pages(corpus):
        team.visit(path, shows=shows)
    for name, body in typed_bodies(corpus):
        team.page.goto(f"{live_server.url}{corpus.events[1].get_absolute_url()}edit/")
        team.page.get_by_label("Text", exact=True).fill(body)
        team.page.get_by_role("button", name=name).click()
        team.check(None, where=f"{name}: {body[:40]}", shows=PAYLOADS[:2])
    # A saved edit names the page in its message.
    team.page.goto(f"{live_server.url}{corpus.events[1].get_absolute_url()}edit/")
    team.page.get_by_label("Title", exact=True).fill(PAYLOADS[0])
    team.page.get_by_label("Edit summary").fill(PAYLOADS[1])
    team.page.get_by_role("button", name="Save changes").click()
    expect(team.page.get_by_role("status")).to_contain_text(PAYLOADS[0])
    team.check(None, where="saved", shows=PAYLOADS[:1])
    team.page.goto(f"{live_server.url}/sources/new/")
    team.page.get_by_label("Upload a file").set_input_files(
        files=[{"name": f"{PAYLOADS[0]}.html", "mimeType": "text/html", "buffer": document()}]
    )
    team.page.get_by_role("button", name="Read the document").click()
    team.check(None, where="import", shows=PAYLOADS[:2])

    curator = sweep(new_context, live_server, user=corpus.curator)
    for path, shows in admin_pages(corpus):
        curator.visit(path, shows=shows)

    # With the policy on, pages full of payloads ask nothing of it: nothing inline to refuse.
    enforced = sweep(new_context, live_server, user=corpus.curator, enforce_policy=True)
    for path, _ in [*public_pages(corpus)[:6], *team_pages(corpus)[:8], *admin_pages(corpus)[:7]]:
        enforced.visit(path)

    sweeps = (public, team, curator, enforced)
    assert [dialog for tab in sweeps for dialog in tab.dialogs] == []
    assert [problem for tab in sweeps for problem in tab.problems] == []
    assert enforced.violations == []
    assert public.loads > 50 and team.loads > 30 and curator.loads > 20


def test_our_scripts_work_under_the_policy(new_context, live_server):
    SourceFactory(key="ric", title="Background on the Northern Alliance")
    tab = sweep(new_context, live_server, user=editor(), enforce_policy=True)
    page = tab.page

    # editor.js: a quote not in the source offers the closest passage, and a button uses it.
    page.goto(f"{live_server.url}/actors/new/")
    page.get_by_label("Title", exact=True).fill("Northern Alliance founders")
    body = page.get_by_label("Text", exact=True)
    body.fill('Formed in 1992. [@ric "the Northern Alliance was founded in opposition"]')
    page.get_by_role("button", name="Create page").click()
    page.get_by_role("button", name="Use this passage").click()
    expect(body).to_have_value(
        'Formed in 1992. [@ric "the Northern Alliance was established in opposition"]'
    )
    tab.check(None, where="editor.js")

    # cite.js: selecting words of a source's text enables "Cite selected passage on…".
    page.goto(f"{live_server.url}/sources/ric/")
    select_with_mouse(page, page.locator(".stored-text"), "head of the Jamiat-e Islami Party")
    button = page.get_by_role("button", name="Cite selected passage on…")
    expect(button).to_have_attribute("aria-disabled", "false")
    tab.check(None, where="cite.js")

    assert tab.violations == []
    assert tab.problems == []


def test_the_admin_works_under_the_policy(new_context, live_server):
    actor = page_save(page=ActorFactory(title="Ahmad Shah Massoud"), body="", user=None)
    tab = sweep(new_context, live_server, user=curator(), enforce_policy=True)
    page = tab.page

    tab.visit("/admin/wiki/actor/add/")  # prepopulate.js: the slug follows the title
    page.get_by_label("Title").press_sequentially("Abdul Rashid Dostum")
    expect(page.locator("#id_slug")).to_have_value("abdul-rashid-dostum")

    tab.visit("/admin/wiki/actor/")  # actions.js: select every row at once
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    page.locator(".theme-toggle").first.click()  # theme.js
    expect(page.locator("html")).to_have_attribute("data-theme", re.compile(r"^(light|dark)$"))

    tab.visit(f"/admin/wiki/actor/{actor.pk}/change/")  # inlines.js adds a relation row
    memberships = page.locator("#memberships-group")
    memberships.get_by_text("Add another Membership").click()
    expect(memberships.locator("tr.form-row.dynamic-memberships")).to_have_count(1)
    tab.check(None, where="change form")

    tab.visit(f"/admin/wiki/actor/{actor.pk}/history/")  # django-simple-history's list
    tab.visit("/admin/sources/source/add/")
    assert tab.violations == []
    assert tab.problems == []
