"""What the page, relation and curation writes share: reading citation markup, the locked row,
the fields a write carries, the derived rows of a deleted thing."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from sources.citations.syntax import CitationSyntaxError
from sources.common.history import merging
from sources.models import CitationUse
from wiki.models import Name, PageLink


def refs_in(text: str, *, parse):
    try:
        return parse(text)
    except CitationSyntaxError as error:
        raise ValidationError(str(error), code="citation_syntax") from error


def carried_fields(obj, fields, *, body_given: bool = False, tags=None) -> list[str]:
    """The fields this write carries, by attname: all of them by default, else the ones named,
    with the body when one is given and the tags when they are."""
    if fields is None:
        return merging.editable_fields(obj)
    named = set(fields) | ({"body"} if body_given else set())
    return merging.carried_fields(obj, named | ({"tag_list"} if tags is not None else set()))


def current_locked(page):
    """The page's row as it stands, locked to the end of the transaction."""
    current = type(page).objects.select_for_update().filter(pk=page.pk).first()
    if current is None:
        raise ValidationError(
            f"“{page}” was deleted after you opened it: nothing was saved.", code="deleted"
        )
    return current


def cited_keys_of(obj) -> set[str]:
    """The keys of the sources a saved page or relation cites now: one query."""
    if obj is None or obj.pk is None:
        return set()
    return set(
        CitationUse.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).values_list("citation__source__key", flat=True)
    )


def derived_rows_delete(obj) -> None:
    # Derived tables point at pages and relations through contenttypes: nothing cascades to them.
    where = {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}
    for model in (CitationUse, PageLink, Name):
        model.objects.filter(**where).delete()
