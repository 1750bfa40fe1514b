"""The forms of actors, factions and events, and of locking and deleting a page."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import slugify
from taggit.forms import TagField, TagWidget

from sources.common.models import format_tags
from sources.forms import validate_tags
from wiki import duplicates
from wiki.forms.facts import FactFieldsMixin
from wiki.forms.fields import CHANGE_REASON_MAX, ServiceErrorsMixin, change_reason_field
from wiki.markup.validation import body_errors
from wiki.models import Actor, Event, Faction

BODY_HELP = (
    "Markdown. Link with [[Title]] or [[Title|label]]; cite with "
    '[@source-key "exact passage"], add a locator as [@key, p. 3 "…"]. A double quote inside '
    'the passage is written \\" (or put the passage in “curly quotes”). A quote is a passage: '
    "at least 3 words and 12 characters. A citation backs the sentence it stands in or directly "
    "follows, not the sentences before it: give each sentence its own. Numbers, dates and linked "
    "names that the sentence's quotes do not contain are marked as unsupported details."
)


def body_with(body: str, appended: str) -> str:
    """The body with text appended as a paragraph of its own (after a blank line)."""
    body, appended = body.rstrip(), appended.strip()
    if not appended:
        return body
    return f"{body}\n\n{appended}" if body else appended


class EntryForm(FactFieldsMixin, ServiceErrorsMixin, forms.ModelForm):
    """What the forms of actors, factions and events share; each adds its own fields, and its
    facts come as claims (wiki.forms.facts)."""

    tags = TagField(
        required=False,
        help_text="Comma-separated, e.g. northern-alliance, 1990s.",
        widget=TagWidget(attrs={"autocomplete": "off"}),
    )
    change_reason = change_reason_field()
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

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
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_fact_fields(self.data if self.is_bound else None)
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
    def details(self) -> list:
        """The bound fields of this type's own details that are not facts (an event's kind and
        coordinates)."""
        return [self[name] for name in self.detail_fields]

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
        self._clean_facts(cleaned_data)
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
EVENT_DETAILS = ("kind", "latitude", "longitude")


class ActorForm(EntryForm):
    detail_fields = ()

    class Meta(EntryForm.Meta):
        model = Actor
        fields = ENTRY_FIELDS


class FactionForm(EntryForm):
    detail_fields = ()

    class Meta(EntryForm.Meta):
        model = Faction
        fields = ENTRY_FIELDS


class EventForm(EntryForm):
    detail_fields = EVENT_DETAILS

    class Meta(EntryForm.Meta):
        model = Event
        fields = (*ENTRY_FIELDS, *EVENT_DETAILS)


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
