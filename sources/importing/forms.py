"""Step 1 of a new source: the form that takes a document to read, uploaded or pasted."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from sources.forms import FocusFirstErrorMixin
from sources.importing.documents import ImportRefused
from sources.importing.formats import read_upload, too_large
from sources.importing.text import read_text

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file an editor may upload (setting ATTEST_MAX_UPLOAD_BYTES)."""
    return getattr(settings, "ATTEST_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


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
                too_large(upload.name, upload.size, self.max_bytes), code="too_large"
            )
        try:
            return read_upload(upload.name, b"".join(upload.chunks()), max_bytes=self.max_bytes)
        except ImportRefused as refusal:
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
        cleaned["document"] = document or read_text(pasted)
        return cleaned
