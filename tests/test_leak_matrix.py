"""What the public sees: every URL and listing, anonymous against the team, with leaks planted.

tests/leak_world.py plants unpublished things everywhere, each carrying the word "leak", and a
protected source carrying "shieldword" everywhere, cited from published pages. For each route of
the site (a guard fails when a route has no row here) the public must get 404 for what is
unpublished or for the team only, and no response it gets may contain a planted word, an editor's
name or e-mail address, or an edit control. The same URLs, visited by an editor, must show the
planted things where the team should see them, so that a matrix that sees nothing cannot pass.
"""

import json
import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote, quote_plus, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from tests import leak_world
from tests.factories import UserFactory, editor

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the login form
LEAK = re.compile(r"(?:leak|shieldword)[\w.@-]*", re.IGNORECASE)
# Links the public must never be offered: edit controls and team-only pages.
CONTROL_HREF = re.compile(
    r'href="[^"?]*/(?:edit|lock|publish|delete|history|revert|cite)/'
    r'|href="[^"?]*/new/'
    r'|href="/(?:changes|users|relations|admin)/'
)
POST_FORM = re.compile(r"<form[^>]*method=\"?post", re.IGNORECASE)
# A logged-in reader's own way out: the one form that posts on every page.
LOGOUT_FORM = re.compile(r'<form[^>]*action="/accounts/logout/".*?</form>', re.DOTALL)


def body(response) -> str:
    """What a response says, streamed (an export) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@dataclass(frozen=True)
class Visit:
    """One GET: what the public gets, what an editor gets, and what the editor must see there."""

    route: str
    args: tuple = ()
    query: dict = field(default_factory=dict)
    public: object = 200
    team: object = 200
    team_sees: tuple = ()
    outsider: object = None  # logged in, outside the team: 403 where the public logs in

    def status_for(self, role: str):
        """What this role must get: the outsider reads what the public reads."""
        if role == "anonymous":
            return self.public
        if self.outsider is not None:
            return self.outsider
        return 403 if self.public == LOGIN else self.public

    def params(self, world) -> dict:
        """The query string's values, with {names} from the world filled in."""
        return {key: str(value).format(**world) for key, value in self.query.items()}

    def url(self, world) -> str:
        path = reverse(self.route, args=[world.get(arg, arg) for arg in self.args])
        return f"{path}?{urlencode(self.params(world))}" if self.query else path

    def __str__(self):
        return f"{self.route}{list(self.args)}{self.query or ''}"


def lists(segment, hidden_title, *, pages=3):
    """An entry list with each sort, filter and page the public can ask for."""
    route = "wiki:entry-list"
    queries = [{"sort": sort} for sort in ("title", "-updated", "date", "coverage")]
    queries += [{"coverage": "gaps"}, {"coverage": "complete"}, {"tag": "shared"}]
    queries += [{"page": n} for n in range(2, pages + 2)]  # one past the last page too
    visits = [Visit(route, (segment,), query) for query in queries]
    # Tagged only on unpublished pages: empty for the public, the drafts for the team.
    visits.append(Visit(route, (segment,), {"tag": "leak-entry-tag"}, team_sees=(hidden_title,)))
    return visits


def diff(rev):
    """?diff= from the first revision to the latest (their ids are in the world)."""
    return {"diff": f"{{{rev}0}}..{{{rev}}}"}


def entry(segment, slug, *, hidden, sees=(), rev="prev"):
    """An entry's page and the team's URLs around it."""
    args = (segment, slug)
    return [
        Visit("wiki:entry-detail", args, public=404 if hidden else 200, team_sees=sees),
        Visit("wiki:entry-edit", args, public=404 if hidden else LOGIN),
        Visit("wiki:entry-delete", args, public=404 if hidden else LOGIN, team=403),
        Visit("wiki:entry-history", args, public=404, team_sees=("LEAK", "leak-writer")),
        Visit("wiki:entry-history", args, {"page": 2}, public=404),
        Visit("wiki:entry-history", args, diff(rev), public=404, team_sees=("LEAK",)),
        Visit("wiki:entry-revision", (*args, rev), public=404, team_sees=("LEAK",)),
        Visit("wiki:entry-lock", args, public=405, team=405),
        Visit("wiki:entry-publish", args, public=405, team=405),
        Visit("wiki:entry-revert", (*args, rev), public=405, team=405),
    ]


def source(key, *, hidden, sees=(), rev="srev", exported=None):
    """A source's viewer, exports and the team's URLs around it."""
    shown = 404 if hidden else 200
    # The exports carry the metadata, never the notes: for the team too.
    if exported is None:
        exported = ("LEAK hidden report", "LEAK Publisher") if hidden else ()
    return [
        Visit("sources:source-detail", (key,), public=shown, team_sees=sees),
        Visit("sources:source-cite-bib", (key,), public=shown, team_sees=exported),
        Visit("sources:source-cite-ris", (key,), public=shown, team_sees=exported),
        Visit("sources:source-cite-json", (key,), public=shown, team_sees=exported),
        Visit("sources:source-edit", (key,), public=LOGIN, team_sees=sees[:1]),
        Visit("sources:source-cite-on", (key,), public=LOGIN),
        Visit("sources:source-history", (key,), public=404, team_sees=("leak-writer",)),
        Visit("sources:source-history", (key,), diff(rev), public=404, team_sees=("LEAK",)),
        Visit("sources:source-revision", (key, rev), public=404, team_sees=("LEAK",)),
        Visit("sources:source-publish", (key,), public=405, team=405),
        Visit("sources:source-delete", (key,), public=LOGIN, team=403),
        # No original file here: test_originals.py serves one to the team.
        Visit("sources:source-original", (key,), public=404, team=404),
        Visit("sources:source-revert", (key, rev), public=405, team=405),
        Visit("sources:passage-grade", (key, "xc"), public=405, team=405),
    ]


HIDDEN = ("LEAK Hidden Actor", "LEAK Hidden Faction", "LEAK Hidden Event")
SHIELD = "Shieldword interview"  # the protected source's title; the public sees only these two:
WITHHELD = '<span class="withheld-source">Withheld source</span>'
GRADED = '<abbr class="grade" title="B: usually reliable; 2: probably true">B2</abbr>'

# The read-only JSON API (wiki.api): the same split as the pages, in every list and record.
API_DRAFTS = ("LEAK actor body", "LEAK Hidden Faction")
API_VISITS = [
    Visit("api:api-root"),
    Visit("api:schema"),
    Visit("api:docs"),
    *[
        Visit(f"api:{kind}-list", (), query, team_sees=(title,))
        for kind, title in (("actor", HIDDEN[0]), ("faction", HIDDEN[1]), ("event", HIDDEN[2]))
        for query in ({}, {"tag": "leak-entry-tag"}, {"page_size": 1})
    ],
    # The hidden event has no date: only the actor (born 1950) and the faction are in the years.
    *[
        Visit(f"api:{kind}-list", (), {"from": 1900, "to": 2100}, team_sees=seen)
        for kind, seen in (("actor", HIDDEN[:1]), ("faction", HIDDEN[1:2]), ("event", ()))
    ],
    Visit("api:actor-list", (), {"updated_since": "2000-01-01T00:00:00Z"}, team_sees=HIDDEN[:1]),
    Visit("api:actor-detail", ("open-person",), team_sees=(*API_DRAFTS[1:], "LEAK hidden report")),
    Visit("api:actor-detail", ("open-witness",), team_sees=(SHIELD, "shieldword p. 9")),
    Visit("api:actor-detail", ("leak-hidden-actor",), public=404, team_sees=API_DRAFTS[:1]),
    Visit("api:actor-detail", ("leak-withdrawn",), public=404, team_sees=("LEAK Withdrawn",)),
    Visit("api:faction-detail", ("open-faction",)),
    Visit("api:faction-detail", ("leak-hidden-faction",), public=404, team_sees=HIDDEN[1:2]),
    Visit("api:event-detail", ("open-event",)),
    Visit("api:event-detail", ("leak-hidden-event",), public=404, team_sees=("LEAK Place",)),
    *[Visit("api:event-list", (), {"type": kind}) for kind in ("other", "battle")],
    Visit("api:source-list", team_sees=("LEAK hidden report", SHIELD)),
    Visit("api:source-list", (), {"tag": "shieldword-tag"}, team_sees=(SHIELD,)),
    Visit("api:source-list", (), {"from": 2001, "to": 2001}, team_sees=(SHIELD,)),
    Visit("api:source-detail", ("open-report",)),
    Visit("api:source-detail", ("leak-hidden-report",), public=404, team_sees=("LEAK hidden",)),
    Visit("api:source-detail", (leak_world.SHIELD_KEY,), public=404, team_sees=(SHIELD,)),
    Visit("api:claim-list", team_sees=("The Shieldword witness was born",)),
    Visit("api:claim-list", (), {"field": "born"}, team_sees=(SHIELD,)),
    Visit("api:claim-detail", (0,), public=404, team=404),
    Visit("api:membership-list", team_sees=(HIDDEN[1], "shieldword para. 3")),
    Visit("api:membership-detail", (0,), public=404, team=404),
    Visit("api:factionrelation-list", team_sees=HIDDEN[1:2]),
    Visit("api:factionrelation-detail", ("hr",), public=404, team_sees=HIDDEN[1:2]),
    Visit("api:participation-list", team_sees=HIDDEN),
    Visit("api:participation-list", (), {"from": 1000}, team_sees=()),
    Visit("api:participation-detail", (0,), public=404, team=404),
    Visit("api:citation-list", team_sees=("LEAK hidden report", SHIELD, "LEAK retracted")),
    Visit("api:citation-detail", ("xc",), public=404, team_sees=("Shieldword said the envoy",)),
]

# Exports and feeds (wiki.exports): the team's CSV and JSON-LD hold drafts and every passage;
# the public's what the pages show. Feeds and the sitemap are the public's for everyone.
EXPORT_VISITS = [
    Visit("wiki:exports"),
    Visit("wiki:export-csv", ("actors",), team_sees=(HIDDEN[0], "shieldword p. 9: “Shieldword")),
    Visit("wiki:export-csv", ("factions",), team_sees=HIDDEN[1:2]),
    Visit("wiki:export-csv", ("events",), team_sees=("LEAK Place",)),
    Visit("wiki:export-csv", ("sources",), team_sees=("LEAK hidden report", SHIELD)),
    Visit(
        "wiki:export-csv", ("relations",), team_sees=("leak-hidden-faction", "shieldword para. 3")
    ),
    Visit("wiki:export-csv", ("leak",), public=404, team=404),
    Visit("wiki:export-jsonld", team_sees=(*HIDDEN, SHIELD, "The Shieldword witness was born")),
    Visit("wiki:changes-feed"),
    Visit("wiki:sitemap"),
    Visit("wiki:entry-cite-bib", ("actors", "open-witness"), team_sees=(leak_world.SHIELD_KEY,)),
    Visit("wiki:entry-cite-ris", ("actors", "open-person"), team_sees=("LEAK hidden report",)),
    Visit("wiki:entry-cite-json", ("factions", "open-faction"), team_sees=(SHIELD,)),
    Visit("wiki:entry-cite-bib", ("actors", "leak-hidden-actor"), public=404, team_sees=("LEAK",)),
    Visit("wiki:entry-changes-feed", ("actors", "open-person")),
    Visit("wiki:entry-changes-feed", ("actors", "open-witness")),
    Visit("wiki:entry-changes-feed", ("actors", "leak-hidden-actor"), public=404, team=404),
    Visit("wiki:entry-changes-feed", ("actors", "leak-withdrawn"), public=404, team=404),
]

VISITS = [
    Visit("wiki:home", team_sees=("LEAK Withdrawn Actor", "LEAK text summary", "by leak-writer")),
    Visit(
        "wiki:page-new",
        (),
        {"title": "Secret Name"},
        public=LOGIN,
        team_sees=('href="/actors/leak-hidden-actor/"',),
    ),
    Visit("wiki:tag-detail", ("shared",), team_sees=HIDDEN[:1]),
    Visit("wiki:tag-detail", ("open-tag",)),
    Visit("wiki:tag-detail", ("leak-entry-tag",), public=404, team_sees=HIDDEN),
    Visit("wiki:tag-detail", ("leak-source-tag",), public=404, team_sees=("LEAK hidden report",)),
    Visit("wiki:changes", public=404, team_sees=("LEAK relation summary", "leak-curator")),
    Visit("wiki:changes", (), {"user": "leak-writer"}, public=404, team_sees=HIDDEN),
    Visit("wiki:changes", (), {"type": "relation"}, public=404, team_sees=HIDDEN[1:2]),
    Visit("wiki:user-contributions", ("writer",), public=404, team_sees=HIDDEN),
    Visit("wiki:user-contributions", ("nobody",), public=404, team=404),
    *[Visit("wiki:disputes", public=404), Visit("wiki:claim-rank", (0,), public=405, team=405)],
    Visit("wiki:relation-create", ("membership",), {"actor": "leak-hidden-actor"}, public=LOGIN),
    Visit("wiki:relation-edit", ("factionrelation", "hr"), public=LOGIN, team_sees=HIDDEN[1:2]),
    Visit("wiki:relation-delete", ("factionrelation", "hr"), public=LOGIN, team=403),
    Visit("wiki:entry-create", ("actors",), public=LOGIN),
    *lists("actors", HIDDEN[0]),
    *lists("factions", HIDDEN[1], pages=1),
    *lists("events", HIDDEN[2], pages=1),
    *entry(
        "actors",
        "open-person",
        hidden=False,
        sees=(
            'href="/factions/leak-hidden-faction/"',  # the body's link and the membership
            'href="/actors/leak-hidden-actor/"',  # "Secret Name", and "what links here"
            "LEAK lock reason",
            "LEAK hidden report",
            "by leak-curator",
        ),
    ),
    *entry("factions", "open-faction", hidden=False, sees=HIDDEN[1:2], rev="frev"),
    *entry("events", "open-event", hidden=False, sees=HIDDEN[:2], rev="erev"),
    *entry(
        "actors",
        "leak-hidden-actor",
        hidden=True,
        sees=("LEAK actor body", "LEAK Alias"),
        rev="hrev",
    ),
    Visit(
        "wiki:entry-detail", ("factions", "leak-hidden-faction"), public=404, team_sees=HIDDEN[1:2]
    ),
    Visit(
        "wiki:entry-detail", ("events", "leak-hidden-event"), public=404, team_sees=("LEAK Place",)
    ),
    Visit(
        "wiki:entry-detail", ("actors", "leak-withdrawn"), public=404, team_sees=("LEAK Withdrawn",)
    ),
    Visit("wiki:entry-detail", ("actors", "leak-deleted"), public=404, team=404),
    # Published pages citing the protected source: in the body, for a fact, in a relation.
    Visit("wiki:entry-detail", ("actors", "open-witness"), team_sees=(SHIELD, "shieldword p. 9")),
    Visit("wiki:entry-detail", ("factions", "open-faction"), team_sees=("shieldword para. 3",)),
    Visit("wiki:entry-history", ("actors", "open-witness"), public=404, team_sees=("LEAK",)),
    # The timeline: drafts' dates and their passages for the team; the protected passage
    # withheld from the public (the witness's birth).
    Visit("wiki:timeline", team_sees=(*HIDDEN[:2], "The Shieldword witness was born")),
    Visit("wiki:timeline", (), {"zoom": "month", "from": 1950, "to": 1950}, team_sees=HIDDEN[:1]),
    Visit("wiki:timeline", (), {"tag": "leak-entry-tag"}, team_sees=HIDDEN[:2]),
    Visit("wiki:timeline", (), {"actor": "open-witness"}, team_sees=("Shieldword witness",)),
    Visit("wiki:timeline", (), {"faction": "open-faction", "from": 1900}),
    Visit("wiki:timeline", (), {"actor": "leak-hidden-actor"}, public=404, team_sees=HIDDEN[:1]),
    Visit(
        "wiki:timeline", (), {"faction": "leak-hidden-faction"}, public=404, team_sees=HIDDEN[1:2]
    ),
    # The network: drafts as nodes and their ties for the team; the protected passage of a
    # published membership withheld from the public. The exports for Gephi alike.
    Visit("wiki:graph", team_sees=(*HIDDEN, SHIELD, "Shieldword commander crossed")),
    Visit("wiki:graph", (), {"year": 1990}),
    Visit("wiki:graph", (), {"tag": "leak-entry-tag"}, team_sees=HIDDEN[:1]),
    Visit("wiki:graph", (), {"kind": "membership"}, team_sees=HIDDEN[1:2]),
    Visit("wiki:graph", (), {"kind": "participation"}, team_sees=(HIDDEN[0], HIDDEN[2])),
    Visit("wiki:entry-graph", ("factions", "open-faction"), team_sees=(*HIDDEN[1:2], SHIELD)),
    Visit("wiki:entry-graph", ("actors", "open-witness"), team_sees=(SHIELD,)),
    Visit("wiki:entry-graph", ("events", "open-event"), team_sees=HIDDEN[:2]),
    Visit("wiki:entry-graph", ("actors", "leak-hidden-actor"), public=404, team_sees=HIDDEN[:1]),
    Visit("wiki:export-gexf", team_sees=(*HIDDEN, "shieldword-interview")),
    Visit("wiki:export-gexf", (), {"year": 1990, "kind": "membership"}),
    Visit("wiki:export-graphml", team_sees=(*HIDDEN, "Shieldword commander crossed")),
    Visit("sources:source-list", team_sees=("LEAK hidden report",)),
    *[Visit("sources:source-list", (), {"sort": sort}) for sort in ("title", "-updated", "date")],
    *[Visit("sources:source-list", (), {"page": n}) for n in (2, 3)],
    Visit("sources:source-list", (), {"kind": "report"}),
    Visit("sources:source-list", (), {"tag": "open-tag"}),
    Visit("sources:source-list", (), {"tag": "leak-source-tag"}, team_sees=("LEAK hidden report",)),
    Visit("sources:source-create", public=LOGIN),
    # A fetch is its editor's alone: a ticket that names none of theirs is 404 to the team too.
    Visit("sources:source-fetch", ("not-a-ticket",), public=LOGIN, team=404),
    *source(
        "open-report",
        hidden=False,
        # The notes, the drafts that cite it, and the draft its text names ("Quiet Group").
        sees=("LEAK internal notes", *HIDDEN[:2], 'href="/factions/leak-hidden-faction/"'),
    ),
    *source(
        "leak-hidden-report",
        hidden=True,
        sees=("LEAK hidden report", "LEAK hidden text"),
        rev="hsrev",
    ),
    *source(
        "shieldword-interview",
        hidden=True,
        sees=(SHIELD, "Shieldword said the envoy", "Shieldword reason", "Open Witness"),
        rev="xsrev",
        exported=(SHIELD, "Shieldword Press"),
    ),
    Visit("sources:source-list", (), {"reliability": "B"}, team_sees=(SHIELD,)),
    Visit("wiki:tag-detail", ("shieldword-tag",), public=404, team_sees=(SHIELD,)),
    *[
        Visit("wiki:search", (), {"q": q, "go": "0"}, team_sees=(SHIELD,))
        for q in ("shieldword", "envoy was paid in gold", "Shieldword Press")
    ],
    Visit("wiki:search", (), {"q": "interview", "reliability": "B"}, team_sees=(SHIELD,)),
    Visit("wiki:search-suggest", (), {"q": "Shieldword"}),
    # Search: the queries name planted things; the public finds none of them. A name that is a
    # page's goes straight to that page, for the team; the public gets results.
    *[
        Visit("wiki:search", (), {"q": q}, team=302, team_sees=("/actors/leak-hidden-actor/",))
        for q in ("LEAK Hidden Actor", "Secret Name")
    ],
    *[
        Visit("wiki:search", (), {"q": q, "go": "0"}, team_sees=HIDDEN[:1])
        for q in ("LEAK Hidden Actor", "Hidden Actor", "Secret Name", "actor body")
    ],
    *[
        Visit("wiki:search", (), {"q": q}, team_sees=("LEAK hidden report",))
        for q in ("envoy", "Kunduz", "hidden text")
    ],
    Visit("wiki:search", (), {"q": "Quiet Group", "go": "0"}, team_sees=HIDDEN[1:2]),
    Visit("wiki:search", (), {"q": "hidden", "kind": "source"}, team_sees=("LEAK hidden report",)),
    Visit("wiki:search", (), {"q": "hidden", "tag": "leak-entry-tag"}, team_sees=HIDDEN[:1]),
    Visit("wiki:search", (), {"q": "open", "page": 2}),
    *[
        Visit("wiki:search-suggest", (), {"q": q}, team_sees=HIDDEN[:1])
        for q in ("LEAK Hid", "Hidden", "Secret", "Secret Name")
    ],
    Visit("wiki:search-suggest", (), {"q": "Quiet"}, team_sees=HIDDEN[1:2]),
    # Django's account pages and the admin: nothing of the wiki on them.
    Visit("login", public=200),
    Visit("logout", public=405, team=405),
    Visit("password_change", public=LOGIN, outsider=200),
    Visit("password_change_done", public=LOGIN, outsider=200),
    # Password reset is off unless mail can be sent (as here): its pages do not exist.
    Visit("password_reset", public=404, team=404),
    Visit("password_reset_done", public=404, team=404),
    Visit("password_reset_confirm", ("x", "y"), public=404, team=404),
    Visit("password_reset_complete", public=404, team=404),
    Visit("admin:index", public=LOGIN, team=LOGIN, outsider=LOGIN),
    Visit("admin:wiki_actor_changelist", public=LOGIN, team=LOGIN, outsider=LOGIN),
    *API_VISITS,
    *EXPORT_VISITS,
]

ROUTES = sorted({visit.route for visit in VISITS})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Planted once for the module (it takes seconds): each test's writes roll back to here."""
    blocker, patcher = django_db_blocker.unblock(), pytest.MonkeyPatch.context()
    with blocker, patcher as patch, transaction.atomic():
        yield leak_world.build(patch)
        transaction.set_rollback(True)


def status_matches(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and "/login/?next=" in response["Location"]
    return response.status_code == expected


def echoes(visit, world) -> list[str]:
    """Where a page repeats what the visitor typed (the URL, the query): not a leak there.

    Only the echo itself is set aside, never every occurrence of a typed word, so a query that
    names a planted thing still fails when the results show it.
    """
    url = visit.url(world)
    forms = [escape(url), quote(url, safe="/"), url]
    for word in visit.params(world).values():
        shown = escape(word)
        forms += [f'value="{shown}"', f"“{shown}”", f"<title>{shown} ", f">{shown}<"]
        forms += [
            f"={quote_plus(word)}",
            f"={quote(word, safe='/')}",
            f'"query": {json.dumps(word)}',
        ]
    return sorted(forms, key=len, reverse=True)


def in_context(text: str) -> list[str]:
    """Each planted word found, with a little of the text around it."""
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in LEAK.finditer(text)]


def public_problems(response, visit, world) -> list[str]:
    """What is wrong with what the public got: a planted word, a name, an edit control."""
    content = LOGOUT_FORM.sub("", body(response))
    for echo in echoes(visit, world):
        content = content.replace(echo, "")
    problems = [f"shows {found!r}" for found in sorted(set(in_context(content)))]
    headers = " ".join(f"{key}: {value}" for key, value in response.items())
    for echo in echoes(visit, world):
        headers = headers.replace(echo, "")
    problems += [f"header shows {found!r}" for found in set(LEAK.findall(headers))]
    if not visit.route.startswith(("login", "password_")):  # the log-in and reset forms post
        problems += [f"offers {m!r}" for m in CONTROL_HREF.findall(content)]
        problems += [f"offers a form that posts: {m!r}" for m in POST_FORM.findall(content)]
        problems += ["carries a CSRF token"] if "csrfmiddlewaretoken" in content else []
    return problems


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_the_public_gets_404_and_nothing_planted(client, world, role, route):
    if role == "outsider":  # an account outside the team reads what the public reads
        client.force_login(UserFactory(username="outsider"))
    team = Client()
    team.force_login(editor("viewer"))
    failures = []
    for visit in [v for v in VISITS if v.route == route]:
        team.get(visit.url(world))  # whatever a cache keeps of the team's page must not show
        response = client.get(visit.url(world))
        expected = visit.status_for(role)
        if not status_matches(response, expected):
            failures.append(f"{visit}: {response.status_code}, expected {expected}")
        failures += [f"{visit}: {problem}" for problem in public_problems(response, visit, world)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", ROUTES)
def test_the_team_sees_what_was_planted(client, world, route):
    client.force_login(editor("viewer"))
    failures = []
    for visit in [v for v in VISITS if v.route == route]:
        response = client.get(visit.url(world))
        if not status_matches(response, visit.team):
            failures.append(f"{visit}: {response.status_code}, expected {visit.team}")
            continue
        content = body(response) + response.get("Location", "")
        missing = [want for want in visit.team_sees if want not in content]
        failures += [f"{visit}: does not show {want!r}" for want in missing]
    assert not failures, "\n".join(failures)


def test_every_route_has_a_row():
    """A route added to the site without a row here fails: the matrix must keep up."""
    resolver = get_resolver()
    named = {name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace, (_, sub) in resolver.namespace_dict.items():
        if namespace != "admin":  # the admin is for curators: its door is checked above
            named |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    rows = {route for route in ROUTES if not route.startswith("admin:")}
    assert named == rows, f"without a row: {named - rows}; rows of no route: {rows - named}"


@pytest.mark.parametrize(  # the witness's body and fact (footnotes, markers); the relation
    ("path", "withheld", "markers"),
    [
        ("/actors/open-witness/", 2, 2),
        ("/factions/open-faction/", 1, 0),
        ("/timeline/?actor=open-witness", 1, 0),
        ("/graph/", 1, 0),
        ("/factions/open-faction/graph/", 1, 0),
    ],
)
def test_the_public_sees_a_protected_source_withheld_with_its_grade(
    client, world, path, withheld, markers
):
    html = client.get(path).content.decode()
    assert html.count(WITHHELD) >= withheld and GRADED in html and not LEAK.findall(html)
    assert html.count('title="Withheld source">[') == markers


def test_the_team_sees_a_protected_source_by_name_with_its_grade(client, world):
    client.force_login(editor("viewer"))
    html = client.get("/actors/open-witness/").content.decode()
    assert WITHHELD not in html and SHIELD in html and "Shieldword said the envoy" in html
    assert GRADED in html and 'href="/sources/shieldword-interview/#c' in html


def test_links_to_unpublished_pages_are_plain_text_for_the_public(client, world):
    html = client.get("/actors/open-person/").content.decode()
    assert '<span class="wikilink-plain">an armed group</span>' in html
    assert '<span class="wikilink-plain">Secret Name</span>' in html
    assert "What links here" not in html  # only a draft links to this page


def test_links_to_unpublished_pages_are_links_for_the_team(client, world):
    client.force_login(editor("viewer"))
    html = client.get("/actors/open-person/").content.decode()
    assert re.search(r'<a href="/factions/leak-hidden-faction/"[^>]*>an armed group</a>', html)
    assert re.search(r'<a href="/actors/leak-hidden-actor/"[^>]*>Secret Name</a>', html)
    links_here = html.split("What links here", 1)[1]
    assert '<a href="/actors/leak-hidden-actor/">LEAK Hidden Actor</a>' in links_here


def test_the_public_api_gives_a_protected_passage_only_as_withheld_with_its_grade(client, world):
    witness = client.get("/api/actors/open-witness/").json()
    assert witness["citations"] == [{"withheld": True, "grade": "B2"}]
    assert witness["facts"][0]["citations"] == [{"withheld": True, "grade": "B2"}]
    memberships = client.get("/api/relations/memberships/").json()["results"]
    cited = [m["citations"] for m in memberships if m["actor"]["slug"] == "open-witness"]
    assert cited == [[{"withheld": True, "grade": "B2"}]]


def test_the_team_api_gives_a_protected_passage_whole(client, world):
    client.force_login(editor("viewer"))
    witness = client.get("/api/actors/open-witness/").json()
    passage = witness["citations"][0]
    assert passage["source"]["key"] == leak_world.SHIELD_KEY and passage["grade"] == "B2"
    assert passage["locator"] == "shieldword p. 9" and passage["selector"]
