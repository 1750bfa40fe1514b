"""Measure search and the mention index on a synthetic corpus: `manage.py benchmark_search`.

By default 10,000 sources of about 20 KB and 5,000 entries (actors, factions, events) with
aliases, whose names occur in the texts under the spellings texts use: the title, an alias,
another case, a curly apostrophe, an accent, a possessive. `--sources 10000,100000` measures
several archive sizes in one run, one after the other. For each size the run reports how long
the corpus takes to write and to index (search and mentions), the mention task's work after
one alias is added (what the background task does after such a save), page_save with alias
changes among the saves, search latency (median and 95th percentile) over a fixed set of
queries, and how much the database grew.

Texts, names and queries come from seeded random generators, so every run measures the same
work. Each size is written in one transaction that is rolled back at the end: a run leaves the
database as it found it.
"""

import random
import secrets
import time
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from sources.common.permissions import EDITORS
from sources.models import Source
from wiki import names
from wiki.benchmarks.citations import source_text
from wiki.benchmarks.report import Figure, Report, machine_info, rolled_back, timed
from wiki.mentions.index import (
    entry_keys,
    entry_keys_stored,
    mentions_names_changed,
    mentions_rebuild_all,
)
from wiki.models import Actor, Event, Faction, Name
from wiki.search.index import search_index_rebuild
from wiki.search.query import search
from wiki.services import names_rebuild, page_save

SEARCH_TARGET_MS = 100.0  # the target, at the 95th percentile, on PostgreSQL
SAVE_TARGET_MS = 200.0  # page_save, at the 95th percentile, whatever the archive's size
BATCH = 500
PARAGRAPHS = 400  # distinct paragraphs the texts are shuffled from
# fmt: off
_SYLLABLES = (
    "ab", "dul", "ra", "shid", "mas", "oud", "ha", "mid", "ka", "rim", "za", "hir", "nur", "al",
    "din", "ja", "mal", "qa", "sim", "fa", "rid", "ba", "shir", "go", "lam", "sa", "lim", "na",
    "jib", "wa", "hid", "ta", "rik", "mo", "han", "ya", "sin", "khan", "zai", "dos", "tum",
)
_RANKS = ("General", "Commander", "Governor", "Mullah", "Dr", "President", "Minister")
_FACTION_KINDS = ("Front", "Party", "Movement", "Council", "Alliance", "Brigade", "Union")
_EVENT_KINDS = ("Battle of", "Siege of", "Massacre of", "Agreement of", "Fall of")
_ACCENTS = str.maketrans("aeiou", "áéíóú")
# fmt: on


@dataclass(frozen=True)
class Sizes:
    """How much one run measures; the defaults are the issue's. `sources` holds one archive
    size or several, each measured on its own corpus."""

    sources: tuple[int, ...] = (10_000,)
    source_kb: int = 20
    entries: int = 5_000
    mentions: int = 25  # names written into each text
    queries: int = 60  # distinct search queries
    repeat: int = 3  # times each query is run, for each kind of reader
    alias_changes: int = 5  # the mention task timed after each
    saves: int = 20  # page_save timed, every other one adding an alias


@dataclass
class SyntheticEntry:
    """An entry as generated: its names, the spellings texts use, and one more spelling that
    texts use but no name holds yet (the alias the benchmark adds)."""

    model: type
    title: str
    aliases: list[str]
    spellings: list[str]
    hidden: str
    is_public: bool


def _word(rng: random.Random) -> str:
    return "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 3))).capitalize()


def _with_apostrophe(word: str, rng: random.Random) -> str:
    at = rng.randrange(2, max(3, len(word) - 1))
    return word[:at] + rng.choice("'’") + word[at:]


def _actor(rng: random.Random) -> SyntheticEntry:
    given, family = _word(rng), _word(rng)
    title = f"{given} {family}"
    aliases = [f"{rng.choice(_RANKS)} {family}", f"{given} {_with_apostrophe(family, rng)}"]
    spellings = [title, *aliases, title.upper(), title.translate(_ACCENTS), f"{title}’s"]
    return SyntheticEntry(Actor, title, aliases, spellings, family, rng.random() < 0.9)


def _faction(rng: random.Random) -> SyntheticEntry:
    place, kind = _word(rng), rng.choice(_FACTION_KINDS)
    title = f"{place} {kind}"
    aliases = [f"{kind} of {place}", f"{place}-e {_word(rng)}"]
    hidden = f"{place} {rng.choice(_FACTION_KINDS)}s"
    spellings = [title, *aliases, title.lower(), f"the {title}"]
    return SyntheticEntry(Faction, title, aliases, spellings, hidden, rng.random() < 0.9)


def _event(rng: random.Random) -> SyntheticEntry:
    place = _word(rng)
    title = f"{rng.choice(_EVENT_KINDS)} {place}"
    aliases = [f"{place} {rng.randint(1978, 2021)}"]
    spellings = [title, *aliases, title.translate(_ACCENTS)]
    return SyntheticEntry(Event, title, aliases, spellings, f"{place} fighting", rng.random() < 0.9)


def synthetic_entries(count: int, *, seed: int) -> list[SyntheticEntry]:
    """count entries: three actors for every faction and every event, roughly."""
    rng = random.Random(seed)
    makers = (_actor, _actor, _actor, _faction, _event)
    return [makers[i % len(makers)](rng) for i in range(count)]


def synthetic_text(paragraphs: list[str], entries, size: int, mentions: int, rng) -> str:
    """About size characters of shuffled prose with `mentions` names written into it."""
    chosen, length = [], 0
    while length < size:
        chosen.append(rng.choice(paragraphs))
        length += len(chosen[-1]) + 2
    words = "\n\n".join(chosen)[:size].split(" ")
    for _ in range(mentions):
        entry = rng.choice(entries)
        spelling = entry.hidden if rng.random() < 0.2 else rng.choice(entry.spellings)
        words[rng.randrange(len(words))] += " " + spelling
    return " ".join(words)


def _entries_write(generated: list[SyntheticEntry], tag: str) -> list[tuple]:
    """The entries and their Name rows, in bulk; returns (entry, what it was made from)."""
    entries = []
    for model in (Actor, Faction, Event):
        items = [item for item in generated if item.model is model]
        rows = [
            model(
                title=item.title,
                slug=f"bench-{tag}-{model.url_segment}-{i}",
                aliases="\n".join(item.aliases),
                is_public=item.is_public,
                summary=f"A synthetic {model._meta.verbose_name}.",
            )
            for i, item in enumerate(items)
        ]
        entries += zip(model.objects.bulk_create(rows, batch_size=BATCH), items, strict=True)
    name_rows = []
    for entry, _ in entries:
        content_type = ContentType.objects.get_for_model(entry)
        name_rows += [
            Name(
                content_type=content_type,
                object_id=entry.pk,
                name=name,
                normalised=names.normalise(name),
                is_title=is_title,
                slug=entry.slug,
                is_public=entry.is_public,
            )
            for name, is_title in names.names_of(entry.title, entry.alias_list)
        ]
    Name.objects.bulk_create(name_rows, batch_size=2000)
    return entries


def _sources_write(sizes: Sizes, count: int, generated: list[SyntheticEntry], tag: str) -> None:
    rng = random.Random(7)
    paragraphs = source_text(PARAGRAPHS * 600, seed=11).split("\n\n")
    for first in range(0, count, BATCH):
        Source.objects.bulk_create(
            Source(
                key=f"bench-{tag}-{n}",
                title=f"Synthetic report {n}",
                text=synthetic_text(
                    paragraphs, generated, sizes.source_kb * 1024, sizes.mentions, rng
                ),
                is_public=rng.random() < 0.9,
            )
            for n in range(first, min(first + BATCH, count))
        )


def search_queries(generated: list[SyntheticEntry], count: int, *, seed: int) -> list[str]:
    """Queries as readers type them: names, aliases, misspellings, words, phrases."""
    rng = random.Random(seed)
    kinds = [
        lambda e: e.title,
        lambda e: rng.choice(e.aliases),
        lambda e: e.title.lower()[:-2] + e.title.lower()[-1:],  # a letter dropped
        lambda e: e.title.split()[-1],
        lambda e: rng.choice(["alliance", "government forces", "Taliban", "province"]),
        lambda e: f'"{e.title}"',
    ]
    return [kinds[i % len(kinds)](rng.choice(generated)) for i in range(count)]


@dataclass
class Corpus:
    """What a run wrote, for the measurements to use."""

    sources: int
    generated: list[SyntheticEntry]
    entries: list[tuple] = field(default_factory=list)  # (entry, what it was made from)

    @property
    def section(self) -> str:
        return f"{self.sources:,} sources"


def corpus_figures(sizes: Sizes, count: int, tag: str) -> tuple[Corpus, list[Figure]]:
    """Write the synthetic corpus and build both indexes; how long each took."""
    corpus = Corpus(count, synthetic_entries(sizes.entries, seed=3))
    section = f"{corpus.section}: corpus of ~{sizes.source_kb} KB texts, indexes built"
    ms_entries, corpus.entries = timed(_entries_write, corpus.generated, tag)
    ms_sources, _ = timed(_sources_write, sizes, count, corpus.generated, tag)
    ms_search, documents = timed(search_index_rebuild)
    cpu, (ms_mentions, rows) = _cpu(timed, mentions_rebuild_all)
    note = f"{rows:,} mention rows; {cpu:,.0f} ms of this process's CPU"
    return corpus, [
        Figure(section, f"writing {sizes.entries:,} entries and their names", [ms_entries]),
        Figure(section, f"writing {count:,} sources", [ms_sources]),
        Figure(section, "search index, whole corpus", [ms_search], note=f"{documents} documents"),
        Figure(section, "mention index, whole corpus", [ms_mentions], note=note),
    ]


def _alias_add(entry, alias: str) -> None:
    entry.aliases = "\n".join([*entry.alias_list, alias])


def _cpu(call, *args, **kwargs) -> tuple[float, object]:
    """The milliseconds of this process's CPU a call took (the database's work not included):
    unlike the wall clock, not inflated by other work on a busy machine."""
    start = time.process_time()
    result = call(*args, **kwargs)
    return (time.process_time() - start) * 1000, result


def _p95_note(figure: Figure, target: float) -> str:
    return f"target p95 < {target:g} ms: {'PASS' if figure.p95 < target else 'over'}"


def mention_figures(sizes: Sizes, corpus: Corpus) -> list[Figure]:
    """The mention task's work after an alias is added, and page_save with alias changes.

    The task runs after the save commits (wiki.tasks), so a save in this rolled-back
    transaction leaves it out: it is timed alone, as the task runs it.
    """
    names_count = Name.objects.count()
    section = f"{corpus.section}: alias changes, {names_count:,} names"
    picks = random.Random(5).sample(range(len(corpus.entries)), sizes.alias_changes + sizes.saves)
    alone, rematched, cpus = [], [], []
    for i in picks[: sizes.alias_changes]:
        entry, made_from = corpus.entries[i]
        before = entry_keys_stored(entry)
        _alias_add(entry, made_from.hidden)
        names_rebuild(entry)
        after = entry_keys(entry)
        cpu, (ms, count) = _cpu(
            timed, mentions_names_changed, entry=entry, before=before, after=after
        )
        alone.append(ms)
        rematched.append(count)
        cpus.append(cpu)
    saves = []
    for n, i in enumerate(picks[sizes.alias_changes :]):
        entry, made_from = corpus.entries[i]
        if n % 2:
            entry.summary = f"A synthetic entry, edited ({n})."
        else:
            _alias_add(entry, made_from.hidden)
        ms, _ = timed(page_save, page=entry, user=None, change_reason="benchmark")
        saves.append(ms)
    task = Figure(section, "mention task after an alias is added", alone)
    task.note = (
        f"sources rematched: {', '.join(map(str, rematched))}; CPU of this process: "
        f"{', '.join(f'{cpu:,.0f}' for cpu in cpus)} ms"
    )
    save = Figure(section, "page_save, every other one adding an alias", saves)
    save.note = _p95_note(save, SAVE_TARGET_MS)
    return [task, save]


def search_figures(sizes: Sizes, corpus: Corpus) -> list[Figure]:
    """search() over the queries, as the public and as the team."""
    queries = search_queries(corpus.generated, sizes.queries, seed=9)
    team = _team_user()
    section = f"{corpus.section}: search, {sizes.queries} queries, each run {sizes.repeat} times"
    figures = []
    for label, user in (("anonymous", AnonymousUser()), ("team", team)):
        search(queries[0], user=user)  # the first query warms connections and caches
        samples, found = [], 0
        for _ in range(sizes.repeat):
            for query in queries:
                ms, results = timed(search, query, user=user)
                samples.append(ms)
                found += results.total > 0
        figure = Figure(section, f"search(), {label}", samples)
        figure.note = (
            f"{_p95_note(figure, SEARCH_TARGET_MS)}; {found}/{len(samples)} found something"
        )
        figures.append(figure)
    return figures


def _team_user():
    user = User.objects.create(username=f"bench-{secrets.token_hex(4)}")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def _database_mb() -> float | None:
    """How much disk the database takes (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 2**20


def size_figures(sizes: Sizes, count: int) -> list[Figure]:
    """Everything measured at one archive size, written in a transaction then rolled back."""
    tag = secrets.token_hex(3)  # keys and slugs no real row can share
    before = _database_mb()
    figures = []
    started = time.perf_counter()
    with rolled_back():
        corpus, written = corpus_figures(sizes, count, tag)
        figures += written
        figures += mention_figures(sizes, corpus)
        figures += search_figures(sizes, corpus)
        grown = _database_mb()
        rollback_started = time.perf_counter()
    ms_rollback = (time.perf_counter() - rollback_started) * 1000
    ms_vacuum, _ = timed(_vacuum)
    ms_total = (time.perf_counter() - started) * 1000
    section = f"{corpus.section}: the run"
    note = "" if before is None else f"database {before:,.0f} MB before, {grown:,.0f} MB at most"
    after = _database_mb()
    return figures + [
        Figure(section, "rolling back what the run wrote", [ms_rollback], note=note),
        Figure(
            section,
            "vacuum: the rolled-back rows' space given back",
            [ms_vacuum],
            note="" if after is None else f"database {after:,.0f} MB after",
        ),
        Figure(section, "the whole size, written, measured, rolled back", [ms_total]),
    ]


def _vacuum() -> None:
    """On PostgreSQL, outside a transaction: the pages the rolled-back rows took at the end of
    each table go back to the disk (indexes keep their size until reindexed)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")


def benchmarks_run(sizes: Sizes) -> Report:
    """Build the corpus of each size in turn, measure, roll everything back."""
    report = Report(machine_info(), sizes)
    started = time.perf_counter()
    for count in sizes.sources:
        report.figures += size_figures(sizes, count)
    ms = (time.perf_counter() - started) * 1000
    sizes_run = ", ".join(f"{count:,}" for count in sizes.sources)
    report.figures.append(Figure("The whole run", f"sources: {sizes_run}", [ms]))
    return report
