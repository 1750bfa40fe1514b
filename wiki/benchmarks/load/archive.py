"""What the load test works on: the demo, a generated archive, the people, and their plan.

The archive is made as the search benchmark makes its corpus (wiki.benchmarks.search): seeded
entries with aliases, and sources whose texts name them, then the search and mention indexes.
The plan is plain JSON for the locust process, which loads no Django: the pages, sources and
queries readers ask for, the pages editors share, the pages curators publish and unpublish,
and the accounts.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from sources.common.permissions import CURATORS, EDITORS
from sources.models import Source
from wiki.benchmarks import search as corpus
from wiki.benchmarks.citations import source_text
from wiki.demo.loader import demo_load
from wiki.mentions.index import mentions_rebuild_all
from wiki.models import Actor, Event, Faction
from wiki.search.index import search_index_rebuild

TAG = "load"  # in the generated keys and slugs
SHARED_PAGES = 3  # demo pages every editor may edit: their saves cross
EDITED_PAGES = 200  # generated pages editors spread the rest of their edits over
CURATED_PAGES = 40  # unpublished pages curators publish and unpublish (readers never ask for them)
SOURCE_KB = 8
QUERIES = 60


@dataclass(frozen=True)
class Sizes:
    """The archive's size, and how many people use it."""

    sources: int = 2_000
    readers: int = 200
    editors: int = 20
    curators: int = 3

    @property
    def entries(self) -> int:
        return max(50, self.sources // 2)


def archive_create(sizes: Sizes, *, say=print) -> dict:
    """The demo and the generated archive, written and indexed; returns what it holds."""
    say("Loading the demo…")
    demo_load()
    say(f"Generating {sizes.entries:,} entries and {sizes.sources:,} sources of ~{SOURCE_KB} KB…")
    generated = corpus.synthetic_entries(sizes.entries, seed=3)
    written = corpus._entries_write(generated, TAG)
    for model in (Actor, Faction, Event):
        # A first revision, as a page saved in the browser has: the editors' edits start from it.
        rows = [entry for entry, _ in written if type(entry) is model]
        model.history.bulk_history_create(rows, default_change_reason="Generated")
    _sources_write(sizes.sources, generated)
    say("Building the search index and the mention index…")
    search_index_rebuild()
    mentions_rebuild_all()
    return {
        "entries": sum(m.objects.count() for m in (Actor, Faction, Event)),
        "generated": generated,
    }


def _sources_write(count: int, generated) -> None:
    """count sources whose texts name the generated entries, nine in ten published."""
    rng = random.Random(7)
    paragraphs = source_text(400 * 600, seed=11).split("\n\n")
    for first in range(0, count, corpus.BATCH):
        Source.objects.bulk_create(
            Source(
                key=f"bench-{TAG}-{n}",
                title=f"Synthetic report {n}",
                text=corpus.synthetic_text(paragraphs, generated, SOURCE_KB * 1024, 25, rng),
                is_public=rng.random() < 0.9,
            )
            for n in range(first, min(first + corpus.BATCH, count))
        )


def accounts_create(sizes: Sizes, password: str) -> tuple[list[str], list[str]]:
    """Editors and curators for the run, all with one password (hashed once: hashing is slow
    on purpose)."""
    hashed = make_password(password)
    made = {}
    for group, count, staff in ((EDITORS, sizes.editors, False), (CURATORS, sizes.curators, True)):
        people = [
            User(username=f"load-{group.lower()[:-1]}-{i}", password=hashed, is_staff=staff)
            for i in range(count)
        ]
        User.objects.bulk_create(people)
        Group.objects.get(name=group).user_set.add(
            *User.objects.filter(username__in=[p.username for p in people])
        )
        made[group] = [person.username for person in people]
    return made[EDITORS], made[CURATORS]


def _path(entry) -> list[str]:
    return [entry.url_segment, entry.slug]


def plan_make(sizes: Sizes, generated, *, password: str, editors, curators, saves: str) -> dict:
    """What each kind of person asks for, as the locust process reads it."""
    rng = random.Random(17)
    entries = [e for model in (Actor, Faction, Event) for e in model.objects.order_by("pk")]
    public = [entry for entry in entries if entry.is_public]
    demo = [entry for entry in public if not entry.slug.startswith(f"bench-{TAG}-")]
    shared = sorted(demo, key=lambda entry: -len(entry.body))[:SHARED_PAGES]
    generated_pages = [entry for entry in entries if entry.slug.startswith(f"bench-{TAG}-")]
    unpublished = [entry for entry in generated_pages if not entry.is_public]
    edited = rng.sample(generated_pages, min(EDITED_PAGES, len(generated_pages)))
    queries = corpus.search_queries(generated, QUERIES, seed=9)
    queries += ["Northern Alliance", "Massoud", "Taliban", "Kabul 1996"]
    return {
        "readers": sizes.readers,
        "editor_count": sizes.editors,
        "curator_count": sizes.curators,
        "password": password,
        "editors": editors,
        "curators": curators,
        "pages": [_path(entry) for entry in public],
        "sources": list(Source.objects.filter(is_public=True).values_list("key", flat=True)),
        "queries": queries,
        "shared": [_path(entry) for entry in shared],
        "edited": [_path(entry) for entry in edited],
        "curated": [_path(entry) for entry in unpublished[:CURATED_PAGES]],
        "saves": saves,
    }
