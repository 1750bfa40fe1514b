"""Step 1 of a new source: the form that takes a document to read, uploaded, pasted, or named by
its address (fetched in the background: sources.importing.fetching)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from sources.forms import FocusFirstErrorMixin
from sources.importing.documents import ImportRefused
from sources.importing.formats import read_upload, too_large
from sources.importing.text import read_text
from sources.importing.url import check_url

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file an editor may upload (setting ATTEST_MAX_UPLOAD_BYTES)."""
    return getattr(settings, "ATTEST_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


class ImportForm(FocusFirstErrorMixin, forms.Form):
    """A document to read: a file, the address of one on the web, or text pasted from one."""

    file = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="A .pdf or .docx file, or a .txt, .md or .html file in UTF-8, up to {size}.",
        widget=forms.FileInput(
            attrs={"accept": ".pdf,.docx,.txt,.md,.markdown,.html,.htm"},
        ),
    )
    pasted = forms.CharField(
        label="Or paste the text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Plain text. Header lines such as “Publisher …” or “Publication Date …” "
        "are read as metadata.",
    )

    url = forms.URLField(
        label="Or give its address",
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text="A web page or a document on the web (http or https): Attest fetches it in "
        "the background and keeps what it fetched as the source’s original.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_data = None
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
                too_large(upload.name, upload.size, self.max_bytes), code="too_large"
            )
        data = b"".join(upload.chunks())
        try:
            document = read_upload(upload.name, data, max_bytes=self.max_bytes)
        except ImportRefused as refusal:
            raise forms.ValidationError(str(refusal), code="unreadable") from refusal
        # The file itself is kept as the source's original (sources.importing.originals).
        self.upload_data = data
        return document

    def clean_url(self):
        url = self.cleaned_data.get("url", "")
        if url:
            try:
                check_url(url)  # fetched later, in the background (sources.importing.fetching)
            except ImportRefused as refusal:
                raise forms.ValidationError(str(refusal), code="unfetched") from refusal
        return url

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        document, pasted = cleaned.get("file"), cleaned.get("pasted", "")
        if cleaned.get("url") and (document or pasted.strip()):
            raise forms.ValidationError(
                "Give the document one way: upload it, give its address or paste it.", code="both"
            )
        if document and pasted.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.", code="both")
        if cleaned.get("url"):
            cleaned["document"] = None  # to fetch: the view starts it
            return cleaned
        if not document and not pasted.strip():
            raise forms.ValidationError("Upload a file or paste the text.", code="empty")
        cleaned["document"] = document or read_text(pasted)
        return cleaned

    @classmethod
    def with_refused_url(cls, url: str, why: str) -> "ImportForm":
        """The form again with the address given, and why it could not be fetched beside it."""
        form = cls({"url": url})
        form.full_clean()
        form.add_error("url", forms.ValidationError(why, code="unfetched"))
        return form
