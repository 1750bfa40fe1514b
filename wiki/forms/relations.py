"""The forms of the relations between pages: memberships, faction relations, participations."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from sources.citations.syntax import parse_evidence
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
    """What the forms of memberships, faction relations and participations share."""

    change_reason = change_reason_field()

    ends: tuple[str, ...] = ()  # the fields naming an actor, faction or event
    service_error_field = "evidence"

    class Meta:
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4, "class": "editor-evidence"})}
        help_texts = {"evidence": EVIDENCE_HELP, "start": EDTF_HELP, "end": EDTF_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
        fields = ("actor", "faction", "role", "start", "end", "evidence")


class FactionRelationForm(RelationForm):
    faction = EntryChoiceField(Faction, label="This faction")
    other = EntryChoiceField(Faction, label="Other faction")
    ends = ("faction", "other")

    class Meta(RelationForm.Meta):
        model = FactionRelation
        fields = ("faction", "kind", "other", "start", "end", "evidence")
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
        fields = ("event", "actor", "faction", "role", "start", "end", "evidence")


RELATION_FORMS = {
    "membership": MembershipForm,
    "factionrelation": FactionRelationForm,
    "participation": ParticipationForm,
}
