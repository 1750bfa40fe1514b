"""Abstract models and fields that every content model shares: dates, tags, who and when."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from sources.common import dates
from sources.common.permissions import is_team


def validate_edtf(value: str) -> None:
    """Refuse a string that is not valid EDTF, saying which form is expected."""
    if value:
        try:
            dates.parse(value)
        except dates.InvalidDate as error:
            raise ValidationError(str(error), code="invalid_edtf") from error


class EDTFField(models.CharField):
    """An EDTF date kept as typed; the model stores its bounds in <name>_earliest/<name>_latest."""

    default_validators = [validate_edtf]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", "EDTF date: 1997, 1992-04, 2021-08-15, 1997~ or 1990/1992.")
        super().__init__(*args, **kwargs)


def bound_fields():
    """The two derived date columns that go with one EDTFField."""
    return (
        models.DateField(null=True, blank=True, editable=False, db_index=True),
        models.DateField(null=True, blank=True, editable=False, db_index=True),
    )


class DatedModel(models.Model):
    """Keeps <field>_earliest/_latest in step with every EDTFField, for sorting and filters."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if isinstance(field, EDTFField):
                value = getattr(self, field.attname) or ""
                try:
                    earliest, latest = dates.bounds(value)
                except dates.InvalidDate:
                    earliest, latest = None, None  # full_clean reports it; never crash a save
                setattr(self, f"{field.attname}_earliest", earliest)
                setattr(self, f"{field.attname}_latest", latest)
        super().save(*args, **kwargs)


def _person_field():
    """Who did something: kept when the account goes (the history keeps the rest)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class TrackedModel(models.Model):
    """Who made a thing and who changed it last, and when."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = _person_field()
    updated_by = _person_field()

    class Meta:
        abstract = True

    def touch(self, user) -> None:
        """Record the acting user (None for the system) before a save."""
        if user is not None and not user.is_authenticated:
            user = None
        if self._state.adding and self.created_by_id is None:
            self.created_by = user
        self.updated_by = user
        self._history_user = user


def format_tags(names) -> str:
    """Tags as one comparable line: sorted, case-folded, comma separated."""
    return ", ".join(sorted({str(name).strip().lower() for name in names if str(name).strip()}))


class TagSnapshotModel(models.Model):
    """A copy of the tags as text, so that history records tag changes like any field.

    django-simple-history cannot track taggit's generic relation, and an old revision would
    otherwise show today's tags. The save services set this field; forms never show it.
    """

    tag_list = models.CharField(
        "tags (as saved)",
        max_length=1000,
        blank=True,
        help_text="The tags at the time of this revision; set automatically.",
    )

    class Meta:
        abstract = True


class PublishableQuerySet(models.QuerySet):
    """Words for what the public may see."""

    def published(self):
        """Only what curators published."""
        return self.filter(is_public=True)

    def visible_to(self, user):
        """Everything for the team; published things only for everyone else."""
        return self if is_team(user) else self.published()
