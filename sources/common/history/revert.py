"""Reverting to an old revision: the default summary, the form, and when a revert is refused.

Generic like sources.common.history.revisions, so that sources and the wiki revert the same way.
"""

from django import forms
from django.core.exceptions import ValidationError

from sources.common.history.revisions import (
    NEWEST_FIRST,
    REASON_MAX_LENGTH,
    author_name,
    short_date,
)


def revert_reason(record) -> str:
    """The default edit summary of a revert, within the history column's 100 characters."""
    when, who = short_date(record.history_date), author_name(record)
    reason = f"Reverted to the revision of {when} by {who}"
    return reason if len(reason) <= REASON_MAX_LENGTH else reason[: REASON_MAX_LENGTH - 1] + "…"


def restore_fields(instance, record, fields) -> None:
    """Copy the values of `fields` from a revision onto the live object (not saved)."""
    for model_field in fields:
        setattr(instance, model_field.attname, getattr(record, model_field.attname))


class RevertForm(forms.Form):
    """A revert's edit summary, and the revision the reverter last saw as the latest."""

    change_reason = forms.CharField(max_length=REASON_MAX_LENGTH, required=False)
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


def latest_revision_id(history) -> int | None:
    """The history id of an object's latest revision."""
    return history.order_by(*NEWEST_FIRST).values_list("history_id", flat=True).first()


def revert_refusal(form: RevertForm) -> str:
    """Why a revert form cannot be applied as sent ("" when it can): its own errors.

    Whether the revert crossed another edit is the save service's to check, under the row lock
    (refuse_unless_latest), where no edit can slip in between the check and the save.
    """
    if not form.is_valid():
        errors = " ".join(" ".join(messages) for messages in form.errors.values())
        return f"Nothing was reverted. {errors}"
    return ""


REVERT_CROSSED = (
    "Nothing was reverted: there was an edit after the one you saw as the latest. "
    "Look at the history, then revert again if you still mean to."
)


def refuse_unless_latest(current, base_revision) -> None:
    """Refuse a revert that crossed another edit, rather than apply it over that edit.

    Called by the save services on the row they hold locked; base_revision is the revision the
    reverter saw as the latest (None: not said, nothing checked).
    """
    if base_revision in (None, ""):
        return
    pk = {current._meta.pk.attname: current.pk}
    latest = latest_revision_id(type(current).history.filter(**pk))
    if base_revision != latest:
        raise ValidationError(REVERT_CROSSED, code="stale_revert")
