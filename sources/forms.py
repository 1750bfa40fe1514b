"""Forms for sources: importing a document, the source form, citing a passage on a page."""

import itertools
import re
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from taggit.models import Tag

from sources import importing
from sources.citations import anchoring
from sources.citations.syntax import CitationRef, CitationSyntaxError, format_ref
from sources.common.models import format_tags
from sources.models import Source

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EDTF_HELP = "EDTF: 1997, 1992-04, 2021-08-15, 1997~ (approximate), 1990/1992 (range)"
# A quoted passage travels in a URL to the page editor; a statement rarely needs more.
MAX_PASSAGE = 1000
# A page can also be named by its address, e.g. /actors/ahmad-shah-massoud/.
_PAGE_ADDRESS = re.compile(r"^/?(?P<segment>[a-z]+)/(?P<slug>[-a-zA-Z0-9_]+)/?$")
# A tag is a word or two. Longer ones could outgrow taggit's 100-character slug column once it
# appends "_1" to make a slug unique (a database error on PostgreSQL), and a tag whose name has
# no letter or digit gets an empty slug, which no /tags/<slug>/ address can hold.
TAG_MAX_LENGTH = 50
TAG_LIST_MAX_LENGTH = Source._meta.get_field("tag_list").max_length


def max_upload_bytes() -> int:
    """The largest file an editor may upload (setting ATTEST_MAX_UPLOAD_BYTES)."""
    return getattr(settings, "ATTEST_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


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


def one_line(text: str) -> str:
    """Runs of white space as single spaces, as a quote is written in markup."""
    return " ".join(text.split())


class FocusFirstErrorMixin:
    """Put the keyboard focus on the first field with an error when the form comes back."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["autofocus"] = True
                break


# ---------------------------------------------------------------------------------------------
# Step 1 of a new source: paste or upload


class ImportForm(FocusFirstErrorMixin, forms.Form):
    """A document to read: a file, or text pasted from one."""

    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="A .txt, .md or .html file in UTF-8, up to {size}.",
        widget=forms.FileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )
    pasted = forms.CharField(
        label="Or paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text. Header lines such as “Publisher …” or “Publication Date …” "
        "are read as metadata.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_upload_bytes()
        size = filesizeformat(self.max_bytes)
        self.fields["file"].help_text = self.fields["file"].help_text.format(size=size)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        # Refuse a large file before reading it into memory.
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"“{upload.name}” is {filesizeformat(upload.size)}; the largest file Attest "
                f"accepts is {filesizeformat(self.max_bytes)}.",
                code="too_large",
            )
        try:
            return importing.read_upload(
                upload.name, b"".join(upload.chunks()), max_bytes=self.max_bytes
            )
        except importing.ImportRefused as refusal:
            raise forms.ValidationError(str(refusal), code="unreadable") from refusal

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        document, pasted = cleaned.get("file"), cleaned.get("pasted", "")
        if document and pasted.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.", code="both")
        if not document and not pasted.strip():
            raise forms.ValidationError("Upload a file or paste the text.", code="empty")
        cleaned["document"] = document or importing.read_text(pasted)
        return cleaned


# ---------------------------------------------------------------------------------------------
# The source form (step 2 of a new source, and editing)


def unique_key(base: str) -> str:
    """base, or base-2, base-3… whichever no source uses yet."""
    taken = set(Source.objects.filter(key__startswith=base).values_list("key", flat=True))
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(key for key in candidates if key not in taken)


class SourceForm(FocusFirstErrorMixin, forms.ModelForm):
    """A source's metadata, text and tags, with an edit summary.

    Editing: the key is fixed (pages cite the source by it), and `base_revision` carries the
    revision the edit started from, so that a save that crossed someone else's is shown to the
    editor instead of silently overwriting it.
    """

    FIELDSETS = (
        ("Document", ("key", "title", "kind", "authors", "publisher", "published")),
        ("Identifiers", ("document_symbol", "url", "accessed", "language")),
        ("Text", ("text",)),
        ("For the team", ("notes", "tags")),
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
            "notes",
            "tags",
        ]
        labels = {"key": "Key", "published": "Date published"}
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

    def __init__(self, *args, current_revision=None, citation_count=0, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_revision = current_revision
        self.evidence = evidence or {}
        self.conflict = None
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
        if current_revision is not None:
            self.fields["base_revision"].initial = current_revision.history_id

    @classmethod
    def from_import(cls, document: importing.ImportedDocument) -> "SourceForm":
        """An unbound form holding the document's text and the metadata it states."""
        proposal = document.proposal
        initial = {**proposal.values(), "text": document.text}
        initial["key"] = unique_key(importing.propose_key(proposal))
        origin = f"“{document.filename}”" if document.filename else "pasted text"
        initial["change_reason"] = f"Imported from {origin}"[:100]
        return cls(initial=initial, evidence=proposal.evidence)

    def grouped(self):
        """The fields in their fieldsets, each with the document's words it was proposed from."""
        return [
            (legend, [(self[name], self.evidence.get(name, "")) for name in names])
            for legend, names in self.FIELDSETS
        ]

    @property
    def next_base_revision(self):
        """The revision the next save builds on: the current one once a conflict was shown."""
        if self.conflict is not None or not self.is_bound:
            return self.current_revision.history_id if self.current_revision else ""
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

    def clean_tags(self):
        return validate_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned = super().clean()
        current, base = self.current_revision, cleaned.get("base_revision")
        if current is not None and base is not None and base != current.history_id:
            self.conflict = current
            who = current.history_user.get_username() if current.history_user else "The system"
            raise forms.ValidationError(
                f"{who} saved this source at {current.history_date:%Y-%m-%d %H:%M} UTC, after "
                "you opened it. Nothing was saved: your version is below. Compare it with the "
                "current one in the history, then save again to keep yours.",
                code="conflict",
            )
        return cleaned


# ---------------------------------------------------------------------------------------------
# Citing a passage on a page


def page_models() -> list:
    """The wiki's page models (actors, factions, events): those that declare a url_segment.

    Found through the app registry, so that sources never import the wiki.
    """
    return [model for model in apps.get_models() if getattr(model, "url_segment", "")]


class CiteOnForm(FocusFirstErrorMixin, forms.Form):
    """A passage of one source, and the page to cite it on: an existing page or a new one."""

    passage = forms.CharField(
        label="Passage",
        max_length=MAX_PASSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The exact words as they stand in the source: paste them, or select them in "
        "the text.",
    )
    locator = forms.CharField(
        label="Locator (optional)",
        required=False,
        max_length=100,
        help_text="Where in the document, e.g. “p. 3” or “para. 4”.",
    )
    target = forms.ChoiceField(label="Cite it on", widget=forms.RadioSelect, initial="page")
    page = forms.CharField(
        label="Page title",
        max_length=200,
        help_text="The title of the page, or of the new page.",
        widget=forms.TextInput(attrs={"list": "page-titles", "autocomplete": "off"}),
    )

    def __init__(self, *args, source: Source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.models = {model.url_segment: model for model in page_models()}
        self.fields["target"].choices = [("page", "An existing page")] + [
            (f"new-{segment}", f"A new {model._meta.verbose_name}")
            for segment, model in self.models.items()
        ]
        self.markup = self.url = ""
        if self.initial.get("passage"):
            self.fields["page"].widget.attrs["autofocus"] = True  # the next thing to choose

    def page_titles(self) -> list[str]:
        """Titles of every page, for the chooser's suggestions: one query per kind of page."""
        titles = set()
        for model in self.models.values():
            titles.update(model._default_manager.values_list("title", flat=True))
        return sorted(titles, key=str.casefold)

    def clean_passage(self):
        passage = one_line(self.cleaned_data["passage"])
        anchor = anchoring.find_quote(self.source.text, passage)
        if anchor is None:
            message = f"These words are not in “{self.source.key}” ({self.source.title})."
            if closest := anchoring.closest_passage(self.source.text, passage):
                message += f" Closest passage: “{one_line(closest)}”."
            raise forms.ValidationError(message, code="quote_not_found")
        # The source's own words (its quote marks, its dashes), on one line.
        return one_line(anchor.passage(self.source.text))

    def clean_locator(self):
        locator = self.cleaned_data["locator"].strip()
        try:
            format_ref(CitationRef(self.source.key, locator, "x"))
        except CitationSyntaxError as error:
            raise forms.ValidationError(
                "A locator cannot hold quote marks, “;” or “]”.", code="bad_locator"
            ) from error
        return locator

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        ref = CitationRef(self.source.key, cleaned["locator"], cleaned["passage"])
        self.markup = format_ref(ref)
        try:
            self.url = self._page_url(cleaned["target"], cleaned["page"].strip())
        except forms.ValidationError as error:
            self.add_error("page", error)
        return cleaned

    def _page_url(self, target: str, title: str) -> str:
        """The page editor's address, asked to append the citation."""
        if target == "page":
            page = self._existing_page(title)
            url = reverse("wiki:entry-edit", args=[page.url_segment, page.slug])
            return url + "?" + urlencode({"append": self.markup})
        model = self.models[target.removeprefix("new-")]
        if model._default_manager.filter(title__iexact=title).exists():
            name = _with_article(model._meta.verbose_name)
            raise forms.ValidationError(
                f"There is already {name} titled “{title}”: choose “An existing page” to cite "
                "the passage there.",
                code="page_exists",
            )
        url = reverse("wiki:entry-create", args=[model.url_segment])
        return url + "?" + urlencode({"title": title, "append": self.markup})

    def _existing_page(self, title: str):
        address = _PAGE_ADDRESS.match(title)
        if address and address["segment"] in self.models:
            found = self.models[address["segment"]]._default_manager.filter(slug=address["slug"])
            pages = list(found.only("slug", "title"))
        else:
            pages = [
                page
                for model in self.models.values()
                for page in model._default_manager.filter(title__iexact=title).only("slug")
            ]
        if not pages:
            raise forms.ValidationError(
                f"No page is titled “{title}”. Check the spelling, or choose a new page to "
                "create it.",
                code="no_page",
            )
        if len(pages) > 1:
            kinds = " and ".join(_with_article(page._meta.verbose_name) for page in pages)
            example = pages[0].get_absolute_url()
            raise forms.ValidationError(
                f"Several pages are titled “{title}”: {kinds}. Type the address of the one you "
                f"mean instead, e.g. {example}",
                code="ambiguous_page",
            )
        return pages[0]


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
