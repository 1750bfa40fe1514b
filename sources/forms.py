"""Forms for sources: the source form, and the field helpers every form of sources shares.

The import form lives with importing (sources/importing/forms.py) and the cite-on form with the
citations (sources/citations/forms.py); both are still found here under their old names.
"""

from copy import copy

from django import forms
from taggit.models import Tag

from sources import importing
from sources.common.models import format_tags
from sources.importing.duplicates import find_duplicates, normalise_url
from sources.importing.keys import distinct_key
from sources.models import Source
from sources.services import protection_errors

EDTF_HELP = "EDTF: 1997, 1992-04, 2021-08-15, 1997~ (approximate), 1990/1992 (range)"
# A tag is a word or two. Longer ones could outgrow taggit's 100-character slug column once it
# appends "_1" to make a slug unique (a database error on PostgreSQL), and a tag whose name has
# no letter or digit gets an empty slug, which no /tags/<slug>/ address can hold.
TAG_MAX_LENGTH = 50
TAG_LIST_MAX_LENGTH = Source._meta.get_field("tag_list").max_length


def validate_tags(names: list[str]) -> list[str]:
    """A form's tags; ValidationError naming each that could not be stored or linked to."""
    errors = []
    for name in names:
        if len(name) > TAG_MAX_LENGTH:
            errors.append(
                f"The tag “{name[:TAG_MAX_LENGTH]}…” is {len(name):,} characters long; a tag "
                f"may have {TAG_MAX_LENGTH} at most."
            )
        elif not Tag().slugify(name):
            errors.append(f"The tag “{name}” has no letter or digit to make its address from.")
    together = len(format_tags(names))
    if together > TAG_LIST_MAX_LENGTH:
        errors.append(
            f"Together these tags come to {together:,} characters; the history keeps "
            f"{TAG_LIST_MAX_LENGTH:,} at most: use fewer tags."
        )
    if errors:
        raise forms.ValidationError(errors, code="bad_tag")
    return names


class FocusFirstErrorMixin:
    """Put the keyboard focus on the first field with an error when the form comes back."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["autofocus"] = True
                break


# ---------------------------------------------------------------------------------------------
# The source form (step 2 of a new source, and editing)


def unique_key(base: str) -> str:
    """base, or base-2, base-3… whichever no source uses yet."""
    taken = set(Source.objects.filter(key__startswith=base).values_list("key", flat=True))
    return distinct_key(base, taken)


class SourceForm(FocusFirstErrorMixin, forms.ModelForm):
    """A source's metadata, text and tags, with an edit summary.

    Editing: the key is fixed (pages cite the source by it), and `base_revision` carries the
    revision the edit started from: source_save merges a save that crossed someone else's, or
    refuses it when both changed the same, and the view then shows the conflict (`conflict`).
    """

    FIELDSETS = (
        ("Document", ("key", "title", "kind", "authors", "publisher", "published")),
        ("Identifiers", ("document_symbol", "url", "accessed", "language")),
        ("Text", ("text",)),
        ("Grading", ("reliability", "reliability_reason")),
        ("For the team", ("is_protected", "notes", "tags")),
    )

    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text="The full text that citations anchor into. Changing it re-anchors them.",
    )
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    change_reason = forms.CharField(
        label="Edit summary",
        required=False,
        max_length=100,
        help_text="What you changed and why; shown in the history.",
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A new source read from a file: the signed token of the file kept for it (importing.originals).
    original_token = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Source
        fields = [
            "key",
            "title",
            "kind",
            "authors",
            "publisher",
            "published",
            "document_symbol",
            "url",
            "accessed",
            "language",
            "text",
            "reliability",
            "reliability_reason",
            "is_protected",
            "notes",
            "tags",
        ]
        labels = {
            "key": "Key",
            "published": "Date published",
            "reliability_reason": "Why",
            "is_protected": "Protected",
        }
        help_texts = {
            "key": 'Short unique name used in citations, e.g. [@ric-1999-afg00001 "…"]: '
            "lower-case letters, digits, dots and hyphens.",
            "published": EDTF_HELP,
            "tags": "Comma-separated, e.g. taliban, 1990s.",
        }
        widgets = {
            "accessed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args,
        base_revision=None,
        current_revision=None,
        citation_count=0,
        evidence=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.current_revision = current_revision
        self.evidence = evidence or {}
        self.conflict = None
        self.duplicates = []  # sources this one seems to repeat (find_duplicates)
        if not self.instance.pk:
            self._ask_kind(kwargs.get("initial") or {})
        # Ticked once the form has shown the sources this one seems to repeat.
        self.fields["not_a_duplicate"] = forms.BooleanField(
            label="Save anyway: this is a different document", required=False
        )
        if self.instance.pk:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = "Fixed: pages cite the source by its key."
        if citation_count:
            point = "citation points" if citation_count == 1 else "citations point"
            self.fields["text"].help_text = (
                f"{citation_count} {point} into this text. "
                "If you change it, each is found again; a passage that is no longer there "
                "becomes orphaned and is listed for the curators."
            )
        if base_revision is None and current_revision is not None:
            base_revision = current_revision.history_id
        self.fields["base_revision"].initial = base_revision

    @classmethod
    def from_import(
        cls, document: importing.ImportedDocument, original_token: str = ""
    ) -> "SourceForm":
        """An unbound form holding the document's text and the metadata it states (and the
        token of its file, kept with its page starts until the source is saved)."""
        proposal = document.proposal
        initial = {**proposal.values(), "text": document.text, "original_token": original_token}
        initial["key"] = unique_key(importing.propose_key(proposal))
        origin = f"“{document.filename}”" if document.filename else "pasted text"
        if getattr(document, "content_type", "") and proposal.url:  # fetched (importing.url)
            origin = proposal.url
        initial["change_reason"] = f"Imported from {origin}"[:100]
        form = cls(initial=initial, evidence=proposal.field_evidence())
        # Shown before anything is saved: the sources this document seems to repeat.
        form.duplicates = find_duplicates(text=document.text, url=proposal.url)
        return form

    def _ask_kind(self, initial: dict) -> None:
        # The kind is asked, not assumed: the model's default ("report") is no evidence.
        self.fields["kind"].choices = [("", "Choose a kind…"), *Source.Kind.choices]
        self.initial["kind"] = initial.get("kind", "")

    def _check_duplicates(self, cleaned) -> None:
        """A new source, or an edit giving a source another text or URL, that repeats one in
        the archive waits until the editor says it is another document."""
        text, url = cleaned.get("text") or "", cleaned.get("url") or ""
        if self.instance.pk:  # an edit asks only about what it changes
            text = "" if text == self.instance.text else text
            url = "" if normalise_url(url) == normalise_url(self.instance.url) else url
            if not text and not url:
                return
        self.duplicates = find_duplicates(text=text, url=url, exclude_pk=self.instance.pk)
        if self.duplicates and not cleaned.get("not_a_duplicate"):
            first = self.duplicates[0]
            self.add_error(
                "not_a_duplicate",
                f"This looks like “{first.source}” ({first.source.key}): {first.why}. Tick "
                "“Save anyway” if it is a different document.",
            )

    def grouped(self):
        """The fields in their fieldsets, each with the document's words it was proposed from."""
        return [
            (legend, [(self[name], self.evidence.get(name, "")) for name in names])
            for legend, names in self.FIELDSETS
        ]

    @property
    def next_base_revision(self):
        """The revision the next save builds on: the current one once a conflict was shown."""
        if self.conflict is not None:
            return self.current_revision.history_id if self.current_revision else ""
        if not self.is_bound:
            return self.fields["base_revision"].initial or ""
        return self.data.get("base_revision", "")

    def clean_key(self):
        key = self.cleaned_data["key"].strip().lower()
        if self.instance.pk:
            return key
        other = Source.objects.filter(key=key).only("title").first()
        if other is not None:
            raise forms.ValidationError(
                f"The key “{key}” is already used by “{other.title}”. Choose another, "
                f"e.g. “{unique_key(key)}”.",
                code="unique",
            )
        return key

    def clean_text(self):
        return importing.normalise_newlines(self.cleaned_data.get("text", ""))

    def clean(self):
        cleaned = super().clean()
        if "not_a_duplicate" in self.fields:
            self._check_duplicates(cleaned)
        if "is_protected" in cleaned:
            # The source as it stands (the published flag is a curator's, not this form's).
            probe = copy(self.instance)
            probe.key = cleaned.get("key") or probe.key
            probe.is_protected = cleaned["is_protected"]
            was_protected = bool(self.instance.pk and self.instance.is_protected)
            for error in protection_errors(probe, was_protected=was_protected):
                self.add_error("is_protected", error)
        return cleaned

    def clean_tags(self):
        return validate_tags(self.cleaned_data["tags"])

    def conflict_message(self) -> str:
        """What the editor is told when their save crossed another that changed the same."""
        current = self.current_revision
        who = current.history_user.get_username() if current and current.history_user else None
        when = f" at {current.history_date:%Y-%m-%d %H:%M} UTC" if current else ""
        names = self.conflict.fields if self.conflict is not None else []
        what = ", ".join(
            "the same lines of its text" if name == "text" else label
            for name, (label, _, _) in zip(names, self.conflict_rows(), strict=True)
        )
        return (
            f"{who or 'Someone'} saved this source{when}, after you opened it, and changed "
            f"{what or 'it'} too. Nothing was saved: your version is below. Bring in what you "
            "want to keep of theirs, then save again to keep yours."
        )

    def conflict_rows(self) -> list[tuple[str, str, str]]:
        """Each field both edits changed, as (label, theirs, yours); the text as its label."""
        if self.conflict is None:
            return []
        rows = []
        for name in self.conflict.fields:
            field_name = "tags" if name == "tag_list" else name
            label = self[field_name].label if field_name in self.fields else name
            rows.append((label, self.conflict.theirs[name], self.conflict.ours[name]))
        return rows


class SourceDeleteForm(forms.Form):
    """Confirm deleting a source; the summary goes into the history's record of it."""

    change_reason = forms.CharField(
        label="Edit summary",
        required=False,
        max_length=100,
        help_text="Why it goes, in a few words; shown in the history.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
