"""The cited relations between entries: memberships, faction relations, participations."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sources.common.models import (
    DatedModel,
    EDTFField,
    TrackedModel,
    bound_fields,
)
from sources.models import CitationUse
from wiki.models.claims import Rank
from wiki.models.entries import Actor, Event, Faction

EVIDENCE_HELP = (
    'One or more citations: [@source-key "exact passage"]; add a locator as [@key, p. 3 "…"]. '
    "Quote the passage that states the relation: at least 3 words and 12 characters, never a "
    "lone name."
)


class RelationQuerySet(models.QuerySet):
    def public_ends(self, *ends):
        """Relations whose named ends are all published (what the public may see)."""
        return self.filter(**{f"{end}__is_public": True for end in ends})


class Relation(DatedModel, TrackedModel):
    """A cited statement that links two things: its evidence is citation markup."""

    start = EDTFField()
    start_earliest, start_latest = bound_fields()
    end = EDTFField()
    end_earliest, end_latest = bound_fields()
    evidence = models.TextField(help_text=EVIDENCE_HELP)
    # Ranked as claims are: a deprecated relation is one the team judges wrong, kept with why.
    rank = models.CharField(max_length=12, choices=Rank.choices, default=Rank.NORMAL)
    rank_reason = models.CharField(
        max_length=300, blank=True, help_text="Why this relation is preferred or deprecated."
    )
    citation_uses = GenericRelation(CitationUse)

    history = HistoricalRecords(inherit=True)
    objects = RelationQuerySet.as_manager()

    # The fields that hold the pages a relation joins; the first is the page it is shown from.
    end_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def ends(self) -> list:
        """The pages this relation joins (blank optional ends left out)."""
        return [end for name in self.end_fields if (end := getattr(self, name)) is not None]


class Membership(Relation):
    """An actor's place in a faction."""

    class Role(models.TextChoices):
        LEADER = "leader", "Leader"
        FOUNDER = "founder", "Founder"
        COMMANDER = "commander", "Commander"
        MEMBER = "member", "Member"
        SPOKESPERSON = "spokesperson", "Spokesperson"
        OTHER = "other", "Other"

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="memberships")
    faction = models.ForeignKey(Faction, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    end_fields = ("actor", "faction")

    class Meta:
        ordering = ["start_earliest", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "faction", "role", "start"], name="membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.actor} — {self.get_role_display().lower()} of {self.faction}"


class FactionRelation(Relation):
    """How one faction stands to another."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", "Alliance"
        RIVALRY = "rivalry", "Rivalry"
        PART_OF = "part of", "Part of"
        SPLIT_FROM = "split from", "Split from"
        MERGED_INTO = "merged into", "Merged into"
        SUCCESSOR_OF = "successor of", "Successor of"

    faction = models.ForeignKey(Faction, on_delete=models.CASCADE, related_name="relations_out")
    other = models.ForeignKey(Faction, on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    end_fields = ("faction", "other")

    class Meta:
        ordering = ["start_earliest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(faction=models.F("other")), name="faction_relation_not_self"
            ),
            models.UniqueConstraint(
                fields=["faction", "other", "kind", "start"], name="faction_relation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.faction} — {self.get_kind_display().lower()} — {self.other}"


class Participation(Relation):
    """An actor's or a faction's part in an event (exactly one of the two)."""

    class Role(models.TextChoices):
        PERPETRATOR = "perpetrator", "Perpetrator"
        TARGET = "target", "Target"
        PARTY = "party", "Party"
        MEDIATOR = "mediator", "Mediator"
        COMMANDER = "commander", "Commander"
        WITNESS = "witness", "Witness"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(
        Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    faction = models.ForeignKey(
        Faction, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTY)

    end_fields = ("event", "actor", "faction")

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(actor__isnull=False, faction__isnull=True)
                    | Q(actor__isnull=True, faction__isnull=False)
                ),
                name="participation_exactly_one_participant",
                violation_error_message="Name exactly one participant: an actor or a faction.",
            ),
        ]

    def __str__(self):
        return f"{self.participant} — {self.get_role_display().lower()} — {self.event}"

    @property
    def participant(self):
        return self.actor if self.actor_id else self.faction
