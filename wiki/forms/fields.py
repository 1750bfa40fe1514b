"""What the wiki's forms share: the edit summary, a field that names a page by its title, and
putting the errors a save service raises next to the field they concern.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q

from wiki import names
from wiki.models import Name

# The history table keeps the edit summary in a varchar(100) column (django-simple-history).
CHANGE_REASON_MAX = 100


def change_reason_field():
    """The edit summary field, as every form that saves a revision asks for it."""
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
