"""Writes that span models: saving pages and relations with their citations and derived tables."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.citation_refs import CitationSyntaxError, find_groups, parse_evidence
from sources.model_bases import format_tags
from sources.services import citation_uses_replace, citations_resolve

from . import names
from .models import Name


def _refs_in(text: str, *, parse):
    try:
        return parse(text)
    except CitationSyntaxError as error:
        raise ValidationError(str(error), code="citation_syntax") from error


def names_rebuild(entry) -> None:
    """Rebuild the name index rows (title and aliases) of one entry."""
    content_type = ContentType.objects.get_for_model(entry)
    Name.objects.filter(content_type=content_type, object_id=entry.pk).delete()
    Name.objects.bulk_create(
        Name(
            content_type=content_type,
            object_id=entry.pk,
            name=name[:200],
            normalised=names.normalise(name)[:200],
            is_title=is_title,
        )
        for name, is_title in names.names_of(entry.title, entry.alias_list)
    )


@transaction.atomic
def page_save(*, page, body=None, user, change_reason="", base_revision=None, tags=None):
    """Save a page: verify its citations, record one history row, rebuild its derived tables.

    A refused save raises ValidationError and changes nothing (the transaction rolls back).
    """
    if body is not None:
        page.body = body
    refs = [ref for _, _, group in _refs_in(page.body, parse=find_groups) for ref in group]
    citations = citations_resolve(refs)
    if tags is not None:
        page.tag_list = format_tags(tags)
    page.touch(user)
    page._change_reason = change_reason
    page.full_clean()
    page.save()
    if tags is not None:
        page.tags.set(sorted({str(tag).strip() for tag in tags if str(tag).strip()}))
    citation_uses_replace(page, citations)
    names_rebuild(page)
    return page


@transaction.atomic
def relation_save(*, relation, user, change_reason=""):
    """Save a membership, faction relation or participation with its verified evidence."""
    refs = _refs_in(relation.evidence, parse=parse_evidence)
    citations = citations_resolve(refs)
    relation.touch(user)
    relation._change_reason = change_reason
    relation.full_clean()
    relation.save()
    citation_uses_replace(relation, citations)
    return relation
