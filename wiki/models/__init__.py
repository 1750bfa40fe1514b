"""Actors, factions and events (the entries), the cited relations between them, and the tables
derived from them."""

from wiki.models.claims import CLAIM_EVIDENCE_HELP, Claim, ClaimQuerySet, Rank
from wiki.models.derived import Name, PageLink, SearchDocument
from wiki.models.entries import (
    ENTRY_MODEL_BY_SEGMENT,
    ENTRY_MODELS,
    Actor,
    Entry,
    EntryQuerySet,
    Event,
    Faction,
)
from wiki.models.relations import (
    EVIDENCE_HELP,
    FactionRelation,
    Membership,
    Participation,
    Relation,
    RelationQuerySet,
)

__all__ = [
    "CLAIM_EVIDENCE_HELP",
    "Claim",
    "ClaimQuerySet",
    "Rank",
    "ENTRY_MODELS",
    "ENTRY_MODEL_BY_SEGMENT",
    "EVIDENCE_HELP",
    "Actor",
    "Entry",
    "EntryQuerySet",
    "Event",
    "Faction",
    "FactionRelation",
    "Membership",
    "Name",
    "PageLink",
    "Participation",
    "Relation",
    "RelationQuerySet",
    "SearchDocument",
]
