"""Forms for editing pages and relations in the browser.

Fields are named after the model fields (title, body, tags, …); the edit summary is
`change_reason` and the revision an edit started from is `base_revision`. The forms validate;
the views save through page_save and relation_save, and add_service_error() puts whatever
those still refuse next to the field it concerns.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    validate_slug,
)
from django.db.models import Q
from django.utils.text import slugify
from taggit.forms import TagField, TagWidget

from sources.citations.syntax import parse_evidence
from sources.common.models import format_tags
from sources.common.permissions import can_change_page
from sources.forms import validate_tags
from wiki import duplicates, names
from wiki.markup.validation import body_errors, citation_errors
from wiki.models import Actor, Event, Faction, FactionRelation, Membership, Name, Participation

BODY_HELP = (
    "Markdown. Link with [[Title]] or [[Title|label]]; cite with "
    '[@source-key "exact passage"], add a locator as [@key, p. 3 "…"].'
)
EDTF_HELP = "EDTF: 1997, 1992-04, 2021-08-15, 1997~ (approximate), 1990/1992 (range)"
EVIDENCE_HELP = 'One or more citations: [@source-key "exact passage"]'
# The history table keeps the edit summary in a varchar(100) column (django-simple-history).
CHANGE_REASON_MAX = 100
# A datalist offers at most this many titles; any other name still resolves when typed.
DATALIST_LIMIT = 2000
# A relation's evidence names the few passages that state it; each costs a lookup on save.
MAX_EVIDENCE_CITATIONS = 100


def change_reason_field():
    return forms.CharField(
        label="Edit summary",
        required=False,
        max_length=CHANGE_REASON_MAX,
        help_text="What you changed and why, in a few words; shown in the history.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ServiceErrorsMixin:
    """Put a ValidationError raised by a save service next to the field it names."""

    # Where an error that names no field belongs (a bad citation, in practice).
    service_error_field = None

    def add_service_error(self, error: ValidationError) -> None:
        """Add the errors a save service raised; those for unknown fields go to the top."""
        if not hasattr(error, "error_dict"):
            self.add_error(self.service_error_field, error)
            return
        for field, errors in error.error_dict.items():
            known = field in self.fields and field != NON_FIELD_ERRORS
            self.add_error(field if known else None, errors)

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """Every error as (field label, id to link to, message), the form's own first."""
        summary = [("", "", message) for message in self.non_field_errors()]
        for field in self:
            for message in field.errors:
                summary.append((field.label, field.id_for_label, message))
        return summary


# ---------------------------------------------------------------------------------------------
# Pages


def body_with(body: str, appended: str) -> str:
    """The body with text appended as a paragraph of its own (after a blank line)."""
    body, appended = body.rstrip(), appended.strip()
    if not appended:
        return body
    return f"{body}\n\n{appended}" if body else appended


class EntryForm(ServiceErrorsMixin, forms.ModelForm):
    """What the forms of actors, factions and events share; each adds its own fields."""

    tags = TagField(
        required=False,
        help_text="Comma-separated, e.g. northern-alliance, 1990s.",
        widget=TagWidget(attrs={"autocomplete": "off"}),
    )
    change_reason = change_reason_field()
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    own_fields: tuple[str, ...] = ()
    service_error_field = "body"
    similar_pages: tuple[duplicates.Duplicate, ...] = ()  # pages a new page's names are close to

    class Meta:
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "slug": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "aliases": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.TextInput(attrs={"autocomplete": "off"}),
            "body": forms.Textarea(
                attrs={"rows": 22, "class": "editor-body", "data-editor": "body"}
            ),
            "latitude": forms.NumberInput(attrs={"step": "any", "min": -90, "max": 90}),
            "longitude": forms.NumberInput(attrs={"step": "any", "min": -180, "max": 180}),
        }
        labels = {"body": "Text", "aliases": "Other names"}
        help_texts = {
            "body": BODY_HELP,
            "summary": "One line, shown under the title and in lists.",
            "place": "As the sources name it.",
            **dict.fromkeys(("born", "died", "founded", "dissolved", "start", "end"), EDTF_HELP),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].strip = False  # leading spaces are markup (an indented block)
        segment = self._meta.model.url_segment
        if self.instance.pk is None:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = (
                f"The page's address, /{segment}/<slug>/: lower-case letters, digits and "
                "hyphens. Leave it blank to make it from the title."
            )
            # Shown, with the pages it names, once a name is close to an existing page's.
            self.fields["not_a_duplicate"] = forms.BooleanField(
                label="Similar name", required=False
            )
        else:
            # The prefetched tags (for_detail()): no query. TagWidget writes them as one line.
            self.initial.setdefault("tags", list(self.instance.tags.all()))
            self.fields["slug"].help_text = (
                f"The page's address, /{segment}/<slug>/. Changing it breaks old bookmarks; "
                "[[links]] go by title and keep working."
            )
        for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            if name in self.fields:
                self.fields[name].validators += [MinValueValidator(low), MaxValueValidator(high)]

    @property
    def facts(self) -> list:
        """The bound fields of this type's own facts (dates, place…), in order."""
        return [self[name] for name in self.own_fields]

    def clean_body(self):
        # Browsers post a textarea's lines ending in CRLF; the saved text and the three-way
        # merge of concurrent edits work line by line with LF.
        body = self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")
        errors = body_errors(body)
        if errors:
            raise ValidationError(errors)
        return body

    def clean_tags(self):
        return validate_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("slug") and cleaned_data.get("title") and "slug" not in self.errors:
            slug = slugify(cleaned_data["title"])[:200].strip("-")
            if slug:
                cleaned_data["slug"] = slug
            else:
                self.add_error(
                    "slug", "The title has no letters a–z or digits to make an address from."
                )
        if cleaned_data.get("slug"):
            self._check_slug_free(cleaned_data["slug"])
        if "not_a_duplicate" in self.fields:
            self._check_not_a_duplicate(cleaned_data)
        return cleaned_data

    def _check_not_a_duplicate(self, cleaned_data) -> None:
        """A new page named like an existing one waits until the editor says it is another."""
        aliases = (cleaned_data.get("aliases") or "").splitlines()
        self.similar_pages = duplicates.page_duplicates(
            title=cleaned_data.get("title") or "", aliases=aliases
        )
        if self.similar_pages and not cleaned_data.get("not_a_duplicate"):
            self.add_error("not_a_duplicate", duplicates.warning(self.similar_pages[0]))

    def _check_slug_free(self, slug: str) -> None:
        model = self._meta.model
        taken = model.objects.filter(slug=slug).exclude(pk=self.instance.pk).only("title").first()
        if taken is None:
            return
        used = set(model.objects.filter(slug__startswith=f"{slug}-").values_list("slug", flat=True))
        free = next(f"{slug}-{n}" for n in range(2, len(used) + 3) if f"{slug}-{n}" not in used)
        self.add_error(
            "slug",
            f"The address /{model.url_segment}/{slug}/ is taken by the {model._meta.verbose_name} "
            f"“{taken.title}”. If this is another {model._meta.verbose_name}, give it its own "
            f"slug, e.g. {free}.",
        )

    def their_and_our_values(self, current, fields) -> list[tuple[str, str, str]]:
        """For a conflict: each field both editors changed, as (label, theirs, ours)."""
        rows = []
        for name in fields:
            if name == "tag_list":
                rows.append(
                    ("Tags", current.tag_list, format_tags(self.cleaned_data.get("tags") or []))
                )
            elif name in self.fields:
                ours = self.instance.serializable_value(name)
                rows.append((self[name].label, current.serializable_value(name), ours))
        return rows


ENTRY_FIELDS = ("title", "slug", "aliases", "summary", "body")
ACTOR_FIELDS = ("born", "died")
FACTION_FIELDS = ("founded", "dissolved")
EVENT_FIELDS = ("kind", "start", "end", "place", "latitude", "longitude", "fatalities")


class ActorForm(EntryForm):
    own_fields = ACTOR_FIELDS

    class Meta(EntryForm.Meta):
        model = Actor
        fields = (*ENTRY_FIELDS, *ACTOR_FIELDS)


class FactionForm(EntryForm):
    own_fields = FACTION_FIELDS

    class Meta(EntryForm.Meta):
        model = Faction
        fields = (*ENTRY_FIELDS, *FACTION_FIELDS)


class EventForm(EntryForm):
    own_fields = EVENT_FIELDS

    class Meta(EntryForm.Meta):
        model = Event
        fields = (*ENTRY_FIELDS, *EVENT_FIELDS)


ENTRY_FORMS = {Actor: ActorForm, Faction: FactionForm, Event: EventForm}


class LockForm(forms.Form):
    """Lock a page with the reason editors will see, or unlock it."""

    action = forms.ChoiceField(choices=[("lock", "Lock"), ("unlock", "Unlock")])
    lock_reason = forms.CharField(max_length=300, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") == "lock" and not cleaned_data.get("lock_reason"):
            self.add_error("lock_reason", "Say why the page is locked: editors will see it.")
        return cleaned_data

    @property
    def locking(self) -> bool:
        return self.cleaned_data["action"] == "lock"

    @property
    def change_reason(self) -> str:
        """The history's summary of this lock, within the history column's length."""
        if not self.locking:
            return "Unlocked"
        reason = f"Locked: {self.cleaned_data['lock_reason']}"
        return reason if len(reason) <= CHANGE_REASON_MAX else reason[: CHANGE_REASON_MAX - 1] + "…"


class DeleteForm(forms.Form):
    """Confirm a deletion; the summary goes into the history's record of it."""

    change_reason = change_reason_field()


# ---------------------------------------------------------------------------------------------
# Relations


def entry_named(model, text: str):
    """The actor, faction or event that text names by slug, title or any alias."""
    content_type = ContentType.objects.get_for_model(model)
    by_name = Name.objects.filter(content_type=content_type, normalised=names.normalise(text))
    found = list(
        model.objects.filter(
            Q(slug=text) | Q(title__iexact=text) | Q(pk__in=by_name.values("object_id"))
        ).defer("body")[:20]
    )
    kind = model._meta.verbose_name
    if len(found) > 1:  # the slug is unique; then a title beats an alias
        found = (
            [e for e in found if e.slug == text]
            or [e for e in found if e.title.casefold() == text.casefold()]
            or found
        )
    if not found:
        raise ValidationError(
            f"There is no {kind} called “{text}”. Type its title, another name or its slug; "
            "a page that does not exist yet must be created first.",
            code="unknown",
        )
    if len(found) > 1:
        choices = "; ".join(f"{entry.title} ({entry.slug})" for entry in found)
        raise ValidationError(
            f"“{text}” names several {model._meta.verbose_name_plural}: {choices}. "
            "Type the slug of the one you mean.",
            code="ambiguous",
        )
    return found[0]


class EntryChoiceField(forms.Field):
    """An actor, faction or event, typed as its title, another name or its slug."""

    widget = forms.TextInput

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("help_text", "Type its title, another name or its slug.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.title if isinstance(value, self.model) else value

    def to_python(self, value):
        value = (value or "").strip()
        # Before the lookup: PostgreSQL refuses to compare a string holding a NUL character.
        ProhibitNullCharactersValidator()(value)
        return entry_named(self.model, value) if value else None


class RelationForm(ServiceErrorsMixin, forms.ModelForm):
    """What the forms of memberships, faction relations and participations share."""

    change_reason = change_reason_field()

    ends: tuple[str, ...] = ()  # the fields naming an actor, faction or event
    service_error_field = "evidence"

    class Meta:
        widgets = {"evidence": forms.Textarea(attrs={"rows": 4, "class": "editor-evidence"})}
        help_texts = {"evidence": EVIDENCE_HELP, "start": EDTF_HELP, "end": EDTF_HELP}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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

    def clean(self):
        cleaned_data = super().clean()
        for name in self.ends:
            entry = cleaned_data.get(name)
            if entry is not None and not can_change_page(self.user, entry):
                self.add_error(
                    name,
                    f"“{entry}” is locked by the curators: only they can change its relations.",
                )
        return cleaned_data


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
