"""Writes that span models: saving pages and relations with their citations and derived tables."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from sources.citation_refs import CitationSyntaxError, parse_evidence
from sources.model_bases import format_tags
from sources.services import citation_uses_replace, citations_resolve

from . import markup, names
from .models import Name, PageLink


def _refs_in(text: str, *, parse):
    try:
        return parse(text)
    except CitationSyntaxError as error:
        raise ValidationError(str(error), code="citation_syntax") from error


def _parse_body(body: str) -> markup.ParsedPage:
    try:
        return markup.parse(body)
    except markup.MarkupError as error:
        raise ValidationError({"body": str(error)}, code="markup") from error


def links_rebuild(page, parsed: markup.ParsedPage) -> None:
    """Rebuild the rows that say which names a page links to (for "what links here")."""
    content_type = ContentType.objects.get_for_model(page)
    PageLink.objects.filter(content_type=content_type, object_id=page.pk).delete()
    targets = {names.normalise(target): target for target in parsed.links}
    PageLink.objects.bulk_create(
        PageLink(
            content_type=content_type, object_id=page.pk, target=target[:200], normalised=key[:200]
        )
        for key, target in targets.items()
        if key
    )


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
            slug=entry.slug,
            is_public=entry.is_public,
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
    parsed = _parse_body(page.body)
    citations = citations_resolve(list(parsed.citations))
    page.sentence_count, page.sourced_count = parsed.sentences, parsed.sourced
    page.coverage = parsed.coverage
    if tags is not None:
        page.tag_list = format_tags(tags)
    page.touch(user)
    page._change_reason = change_reason
    page.full_clean()
    page.save()
    if tags is not None:
        page.tags.set(sorted({str(tag).strip() for tag in tags if str(tag).strip()}))
    citation_uses_replace(page, citations)
    links_rebuild(page, parsed)
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
