"""Publishing and unpublishing a source.

A source may be unpublished only when nothing public cites it: a published page, or a relation
shown on published pages. What counts as public is what the public sees citing the source in its
viewer (selectors.source_reading for an anonymous reader), so the two can never disagree; the
citing things are reached through CitationUse's generic link, never by importing the wiki.
A protected source is never published (sources.services.protection_errors says when it may be
protected, and unprotected).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Source
from sources.selectors import citers_named, public_citers
from sources.services import source_save

__all__ = ["public_citers", "source_publish"]


@transaction.atomic
def source_publish(*, source: Source, user, publish: bool = True, change_reason: str = ""):
    """Publish or unpublish a source as one revision; unpublishing names what must go first.

    Only the published flag changes, on the source as it stands under the row lock: an edit
    saved since `source` was loaded stays. No revision when the flag is already so. Returns
    the source as saved (the caller's object gets the flag too).
    """
    # Hold the row from the check to the save, so that a publisher who locks the sources a page
    # cites waits for the outcome instead of reading the source as it was.
    current = Source.objects.select_for_update().filter(pk=source.pk).first()
    if current is None:
        raise ValidationError(f"The source “{source.key}” no longer exists.", code="deleted")
    if publish and current.is_protected:
        raise ValidationError(
            f"“{current.key}” is protected, and a protected source is never published: its "
            "identity must not reach the public. Remove its protection first if it may.",
            code="protected",
        )
    if not publish and (citers := public_citers(current)):
        raise ValidationError(
            f"“{current.key}” cannot be unpublished while public pages cite it. Unpublish "
            f"these first, or remove their citations: {citers_named(citers)}.",
            code="publicly_cited",
        )
    source.is_public = publish
    if current.is_public == publish:
        return current
    current.is_public = publish
    default_reason = "Published" if publish else "Unpublished"
    return source_save(source=current, user=user, change_reason=change_reason or default_reason)
