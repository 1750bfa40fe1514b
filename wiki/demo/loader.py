"""The demo: four public documents about the Afghan Northern Alliance and a wiki written on them.

Loading is idempotent: what already matches is left alone, so a second load writes no history.
"""

import datetime
import secrets
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from sources.common.models import format_tags
from sources.common.permissions import CURATORS, EDITORS
from sources.models import Source
from sources.services import source_save
from wiki.demo.claims import claim_edits, wanted_claims
from wiki.mentions.index import mentions_rebuild_sources
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation
from wiki.search.index import search_index_fill_missing
from wiki.services import page_save, relation_save

DEMO_DIR = Path(__file__).resolve().parent
REASON = "Demo data"
ENTRY_MODELS = {"actor": Actor, "faction": Faction, "event": Event}


@dataclass
class LoadReport:
    """What a load created, changed and left alone, per kind."""

    created: dict = field(default_factory=dict)
    changed: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    def count(self, bucket: str, kind: str) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + 1


def _differs(obj, values: dict, tags=None) -> bool:
    if obj._state.adding:
        return True
    if tags is not None and obj.tag_list != format_tags(tags):
        return True
    return any(getattr(obj, name) != value for name, value in values.items())


def _apply(obj, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _record(report: LoadReport, kind: str, obj, changed: bool) -> None:
    bucket = "unchanged" if not changed else ("created" if obj._state.adding else "changed")
    report.count(bucket, kind)


def _load_source(item: dict, report: LoadReport) -> None:
    values = {
        "title": item["title"],
        "kind": item.get("kind", Source.Kind.OTHER),
        "authors": item.get("authors", ""),
        "publisher": item.get("publisher", ""),
        "published": item.get("published", ""),
        "url": item.get("url", ""),
        "document_symbol": item.get("document_symbol", ""),
        "accessed": datetime.date.fromisoformat(item["accessed"]) if item.get("accessed") else None,
        "language": item.get("language", "en"),
        "text": (DEMO_DIR / "corpus" / item["file"]).read_text(encoding="utf-8"),
        "notes": item.get("notes", ""),
        "is_public": True,
        "reliability": item.get("reliability", ""),
        "reliability_reason": item.get("reliability_reason", ""),
    }
    source = Source.objects.filter(key=item["key"]).first() or Source(key=item["key"])
    tags = item.get("tags", [])
    changed = _differs(source, values, tags)
    _record(report, "sources", source, changed)
    if changed:
        _apply(source, values)
        source_save(source=source, user=None, change_reason=REASON, tags=tags)


# The entry's own fields; its facts (born, died, start, place…) come from its claims.
ENTRY_FIELDS = ("summary", "kind", "latitude", "longitude")


def _load_entry(model, item: dict, report: LoadReport) -> None:
    values = {
        "title": item["title"],
        "aliases": "\n".join(item.get("aliases", [])),
        "body": item.get("body", "").strip() + "\n",
        "is_public": True,
    }
    values |= {name: item[name] for name in ENTRY_FIELDS if name in item}
    for name in ("latitude", "longitude"):
        if name in values:  # TOML gives floats; the model stores exact decimals
            values[name] = Decimal(str(values[name]))
    wanted = wanted_claims(item)
    page = model.objects.filter(slug=item["slug"]).first() or model(slug=item["slug"])
    tags = item.get("tags", [])
    edits = claim_edits(page, wanted)
    changed = _differs(page, values, tags) or bool(edits)
    _record(report, model._meta.verbose_name_plural, page, changed)
    _record_claims(report, edits, unchanged=len(wanted) - sum(not e.delete for e in edits))
    if changed:
        _apply(page, values)
        page_save(page=page, user=None, change_reason=REASON, tags=tags, claims=edits)


def _record_claims(report: LoadReport, edits, unchanged: int) -> None:
    for edit in edits:
        report.count("changed" if edit.delete else "created", "claims")
    for _ in range(unchanged):
        report.count("unchanged", "claims")


def _load_relation(model, lookup: dict, values: dict, report: LoadReport) -> None:
    relation = model.objects.filter(**lookup).first() or model(**lookup)
    changed = _differs(relation, values)
    _record(report, model._meta.verbose_name_plural, relation, changed)
    if changed:
        _apply(relation, values)
        relation_save(relation=relation, user=None, change_reason=REASON)


def _relations(data: dict):
    """Each demo relation as (model, identifying fields, other fields)."""
    actors = {a.slug: a for a in Actor.objects.all()}
    factions = {f.slug: f for f in Faction.objects.all()}
    events = {e.slug: e for e in Event.objects.all()}
    for item in data.get("membership", []):
        lookup = {
            "actor": actors[item["actor"]],
            "faction": factions[item["faction"]],
            "role": item["role"],
            "start": item.get("start", ""),
        }
        yield Membership, lookup, {"end": item.get("end", ""), "evidence": item["evidence"]}
    for item in data.get("faction_relation", []):
        lookup = {
            "faction": factions[item["from"]],
            "other": factions[item["to"]],
            "kind": item["kind"],
            "start": item.get("start", ""),
        }
        yield FactionRelation, lookup, {"end": item.get("end", ""), "evidence": item["evidence"]}
    for item in data.get("participation", []):
        lookup = {
            "event": events[item["event"]],
            "role": item["role"],
            "actor": actors.get(item.get("actor")),
            "faction": factions.get(item.get("faction")),
        }
        yield Participation, lookup, {"evidence": item["evidence"]}


@transaction.atomic
def demo_load(path: Path = DEMO_DIR / "demo.toml") -> LoadReport:
    """Load (or bring up to date) the demo sources, pages and relations."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    for item in data.get("source", []):
        _load_source(item, report)
    for kind, model in ENTRY_MODELS.items():
        for item in data.get(kind, []):
            _load_entry(model, item, report)
    for model, lookup, values in _relations(data):
        _load_relation(model, lookup, values, report)
    # Saves index what they write; this catches a database loaded before search existed.
    search_index_fill_missing()
    unindexed = Source.objects.filter(
        key__in=[item["key"] for item in data.get("source", [])], mentions__isnull=True
    )
    mentions_rebuild_sources(unindexed.values_list("pk", flat=True))
    return report


def demo_accounts_ensure(password: str | None) -> tuple[list[str], str | None]:
    """Make the demo accounts editor (Editors) and curator (Curators, staff).

    Returns the usernames created and the password to print: a generated one only when the
    accounts are new and no password was given, so it is shown once.
    """
    generated = None
    if password is None and not User.objects.filter(username__in=["editor", "curator"]).exists():
        password = generated = secrets.token_urlsafe(12)
    created = []
    for username, group, is_staff in [("editor", EDITORS, False), ("curator", CURATORS, True)]:
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"is_staff": is_staff, "email": ""}
        )
        if was_created or password:
            if password:
                user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group))
        if was_created:
            created.append(username)
    return created, generated
