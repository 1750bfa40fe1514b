"""The forms of the relations between pages: memberships, faction relations, participations."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from sources.citations.syntax import parse_evidence
from sources.common.history.merging import ConflictingEdit, latest_history_id, revision_shown
from sources.forms import EDTF_HELP
from wiki.forms.fields import EntryChoiceField, ServiceErrorsMixin, change_reason_field
from wiki.markup.validation import citation_errors
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Participation

EVIDENCE_HELP = 'One or more citations: [@source-key "exact passage"]'
# A datalist offers at most this many titles; any other name still resolves when typed.
DATALIST_LIMIT = 2000
# A relation's evidence names the few passages that state it; each costs a lookup on save.
MAX_EVIDENCE_CITATIONS = 100


class RelationForm(ServiceErrorsMixin, forms.ModelForm):
    """What the forms of memberships, faction relations and participations share.

    `base_revision` carries the revision an edit started from: relation_save merges the edit
    with whatever was saved since, field by field, or refuses it when both changed one field.
    With `can_rank` (curators) it also carries the relation's rank and the reason for it.
    """

    change_reason = change_reason_field()
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    ends: tuple[str, ...] = ()  # the fields naming an actor, faction or event
    service_error_field = "evidence"

    class Meta:
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4, "class": "editor-evidence"})}
        help_texts = {
            "evidence": EVIDENCE_HELP,
            "start": EDTF_HELP,
            "end": EDTF_HELP,
            "rank": "Preferred or deprecated when sources disagree: say why below.",
        }

    def __init__(self, *args, can_rank=False, **kwargs):
        instance = kwargs.get("instance")
        bound = (args[0] if args else kwargs.get("data")) is not None
        base = None
        if instance is not None and instance.pk is not None and not bound:
            # The form carries the revision it shows (a save may come in between).
            base = revision_shown(instance)
        super().__init__(*args, **kwargs)
        self.fields["base_revision"].initial = base
        if not can_rank:  # the row keeps its rank: only curators rank
            del self.fields["rank"], self.fields["rank_reason"]
        else:  # a form posted without it (a script, an old page) keeps the relation's rank
            self.fields["rank"].required = False
        for name in self.ends:
            field = self.fields[name]
            # Show the entry's title, not the id model_to_dict gives (the view loads the ends
            # with the relation, so this costs no query).
            if not isinstance(self.initial.get(name), field.model):
                if getattr(self.instance, f"{name}_id", None):
                    self.initial[name] = getattr(self.instance, name)
                else:
                    self.initial.pop(name, None)
            field.widget.attrs.update(list=f"{name}-names", autocomplete="off")

    @classmethod
    def prefill(cls, params) -> dict:
        """Initial ends from ?actor=<slug>, ?faction=<slug>, ?event=<slug>: one query each."""
        initial = {}
        for name in cls.ends:
            slug = params.get(name, "")
            model = cls.base_fields[name].model
            if not slug or validate_slug.regex.match(slug) is None:
                continue  # a stray or mangled parameter leaves the field empty
            entry = model.objects.filter(slug=slug).defer("body").first()
            if entry is not None:
                initial[name] = entry
        return initial

    def datalists(self) -> list[tuple[str, list[str]]]:
        """The titles each end field suggests as one types: one query per field."""
        return [
            (
                f"{name}-names",
                list(
                    self.fields[name]
                    .model.objects.order_by("title")
                    .values_list("title", flat=True)[:DATALIST_LIMIT]
                ),
            )
            for name in self.ends
        ]

    def conflict_shown(self, conflict: ConflictingEdit) -> None:
        """After a refused save: say what the other save changed, keep the editor's values,
        and start the next save from the revision that stands now (so that it applies them)."""
        changed = "; ".join(self._their_value(conflict, name) for name in conflict.fields)
        self.add_error(
            None,
            f"Nothing was saved: someone else saved this {self._meta.model._meta.verbose_name} "
            f"after you opened it and changed the same: {changed}. Your values are below: save "
            "again to keep them over theirs.",
        )
        self.data = self.data.copy()
        self.data["base_revision"] = latest_history_id(conflict.current)

    def _their_value(self, conflict, attname: str) -> str:
        name = attname.removesuffix("_id")
        label = self[name].label if name in self.fields else name
        theirs = getattr(conflict.current, name, None)
        return f"{label} now reads “{theirs if theirs not in (None, '') else '—'}”"

    def clean_rank(self):
        return self.cleaned_data.get("rank") or self.instance.rank or "normal"

    def clean(self):
        cleaned_data = super().clean()
        rank = cleaned_data.get("rank")
        if rank and rank != "normal" and not (cleaned_data.get("rank_reason") or "").strip():
            self.add_error("rank_reason", f"Say why this relation is {rank}: readers see it.")
        return cleaned_data

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        errors = citation_errors(evidence, parse=parse_evidence, limit=MAX_EVIDENCE_CITATIONS)
        if errors:
            raise ValidationError(errors)
        return evidence


class MembershipForm(RelationForm):
    actor = EntryChoiceField(Actor)
    faction = EntryChoiceField(Faction)
    ends = ("actor", "faction")

    class Meta(RelationForm.Meta):
        model = Membership
        fields = ("actor", "faction", "role", "start", "end", "evidence", "rank", "rank_reason")


class FactionRelationForm(RelationForm):
    faction = EntryChoiceField(Faction, label="This faction")
    other = EntryChoiceField(Faction, label="Other faction")
    ends = ("faction", "other")

    class Meta(RelationForm.Meta):
        model = FactionRelation
        fields = ("faction", "kind", "other", "start", "end", "evidence", "rank", "rank_reason")
        labels = {"kind": "Is, to the other faction"}

    def clean(self):
        cleaned_data = super().clean()
        faction, other = cleaned_data.get("faction"), cleaned_data.get("other")
        if faction is not None and faction == other:
            self.add_error("other", "A faction cannot be related to itself.")
        return cleaned_data


class ParticipationForm(RelationForm):
    event = EntryChoiceField(Event)
    actor = EntryChoiceField(Actor, required=False, help_text="An actor or a faction, not both.")
    faction = EntryChoiceField(
        Faction, required=False, help_text="An actor or a faction, not both."
    )
    ends = ("event", "actor", "faction")

    class Meta(RelationForm.Meta):
        model = Participation
        fields = (
            "event",
            "actor",
            "faction",
            "role",
            "start",
            "end",
            "evidence",
            "rank",
            "rank_reason",
        )


RELATION_FORMS = {
    "membership": MembershipForm,
    "factionrelation": FactionRelationForm,
    "participation": ParticipationForm,
}
