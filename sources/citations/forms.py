"""Forms about a passage of a source: citing it on a page, and grading how credible it is.

The page is an existing one, named by its title or address, or a new one; the form gives the
page editor's address, asked to append the citation.
"""

import re
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.urls import reverse

from sources.citations import anchoring
from sources.citations.grading import CREDIBILITY_CHOICES
from sources.citations.syntax import (
    MAX_LOCATOR,
    MAX_QUOTE,
    CitationRef,
    CitationSyntaxError,
    format_ref,
)
from sources.forms import FocusFirstErrorMixin
from sources.models import Source

# A quoted passage travels in a URL to the page editor; the citation syntax takes no more.
MAX_PASSAGE = MAX_QUOTE
# A page can also be named by its address, e.g. /actors/ahmad-shah-massoud/.
_PAGE_ADDRESS = re.compile(r"^/?(?P<segment>[a-z]+)/(?P<slug>[-a-zA-Z0-9_]+)/?$")


def one_line(text: str) -> str:
    """Runs of white space as single spaces, as a quote is written in markup."""
    return " ".join(text.split())


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
        'the text, quote marks and all. A double quote inside the passage is written \\" in the '
        "citation, so that the citation keeps it as one quote; Attest writes it so for you.",
    )
    locator = forms.CharField(
        label="Locator (optional)",
        required=False,
        max_length=MAX_LOCATOR,
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


class CredibilityForm(forms.Form):
    """A passage's credibility grade (1-6, or none), from the source viewer: one per passage.

    `base_revision` is the passage's revision the viewer showed, so that a grade that crossed
    another is refused rather than applied over it.
    """

    credibility = forms.TypedChoiceField(
        choices=[("", "not graded"), *CREDIBILITY_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    change_reason = forms.CharField(label="Why", max_length=100, required=False)
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, citation=None, base_revision=None, **kwargs):
        if citation is not None:
            kwargs.setdefault("auto_id", f"id_c{citation.pk}_%s")
            kwargs.setdefault(
                "initial", {"credibility": citation.credibility, "base_revision": base_revision}
            )
        super().__init__(*args, **kwargs)
