"""A corrected source carries through to the texts that quote it.

When re-anchoring finds a cited passage again in other words (its source was corrected), the
page bodies and relation evidence quoting it still hold the old words: they no longer read as
the passage, and their next edit would be refused. On sources.signals.source_saved, inside the
correction's transaction, each such text is rewritten to the new words through its own save
service (so its citations, derived tables and history stay right): one revision per text, by
whoever corrected the source, with a summary naming the source and its revision. An orphaned
passage is left in the text as it was: its pages show it flagged.

requote() is the text substitution, pure; quotes_follow() is the service around it.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sources.citations.reanchoring import REASON_LENGTH, Requote, quote_reads_as
from sources.citations.syntax import CitationRef, CitationSyntaxError, parse_evidence, read_group
from sources.common.history.revert import latest_revision_id
from sources.models import CitationUse, Source
from sources.signals import citing_text_register
from wiki.markup import parse as markup
from wiki.models import ENTRY_MODELS, Claim, FactionRelation, Membership, Participation
from wiki.services import claim_save, page_save, relation_save

logger = logging.getLogger(__name__)

SUMMARY = "Quote updated: source {key} corrected in revision {revision}"
IDS_PER_QUERY = 500  # SQLite refuses a statement with too many parameters

# ---------------------------------------------------------------------------------------------
# The substitution (pure)

_GROUP_START = re.compile(r"\[\s*@")
_CLOSER = {'"': '"', "“": "”"}
_ESCAPABLE = ("\\", '"', "“", "”")


def requote(text: str, changes: Mapping[CitationRef, str]) -> str:
    """text with the quote of every citation equal to a key of changes written as its value.

    Everything else stays byte for byte: the other citations of a group, locators, spacing, the
    kind of quote marks. The new words go on one line (a run of white space becomes one space,
    which anchoring forgives) and are escaped as the quote marks around them need.
    """
    if not changes:
        return text
    pieces, done = [], 0
    for start, end, refs in _groups(text):
        quoted = [ref for ref in refs if ref.quote]
        if not any(ref in changes for ref in quoted):
            continue
        for ref, (at, until, closer) in zip(quoted, _quote_spans(text, start, end), strict=True):
            if ref in changes:
                pieces += [text[done:at], _written(changes[ref], closer)]
                done = until
    return "".join(pieces) + text[done:]


def _groups(text: str) -> Iterator[tuple[int, int, list[CitationRef]]]:
    """Every readable citation group, as (start, end, refs); what cannot be read is skipped."""
    pos = 0
    while (pos := text.find("[", pos)) != -1:
        if text.startswith("[[", pos):  # a [[wiki link]], never a citation
            pos += 2
        elif _GROUP_START.match(text, pos) and not _is_escaped(text, pos):
            try:
                refs, end = read_group(text, pos)
            except CitationSyntaxError:
                pos += 1
                continue
            yield pos, end, refs
            pos = end
        else:
            pos += 1


def _quote_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """The quotes of a readable group, in order, as (start, end, closing mark) of the words.

    Keys and locators hold no quote marks, so each mark outside a quote opens the next one.
    """
    pos = start
    while pos < end:
        if (closer := _CLOSER.get(text[pos])) is not None:
            opened = pos = pos + 1
            while text[pos] != closer:
                pos += 2 if text[pos] == "\\" and text[pos + 1 : pos + 2] in _ESCAPABLE else 1
            yield opened, pos, closer
        pos += 1


def _written(words: str, closer: str) -> str:
    return " ".join(words.split()).replace("\\", "\\\\").replace(closer, "\\" + closer)


def _is_escaped(text: str, pos: int) -> bool:
    # Markdown reads "\[" as a literal bracket; "\\[" is a literal backslash before a real one.
    backslashes = 0
    while pos > backslashes and text[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# ---------------------------------------------------------------------------------------------
# The texts that cite: where each model keeps its citations and which service saves it


@dataclass(frozen=True)
class CitingText:
    """A model whose `field` holds citation markup, read in CitationUse order by refs, and
    saved (with a new text, the acting user and a summary) by save."""

    field: str
    refs: Callable[[str], Sequence[CitationRef]]
    save: Callable[..., object]


def _page_refs(body: str) -> Sequence[CitationRef]:
    return markup.parse(body).citations


def _page_save(page, body: str, user, change_reason: str):
    return page_save(page=page, body=body, user=user, change_reason=change_reason)


def _relation_save(relation, evidence: str, user, change_reason: str):
    relation.evidence = evidence
    return relation_save(relation=relation, user=user, change_reason=change_reason)


def _claim_save(claim, evidence: str, user, change_reason: str):
    claim.evidence = evidence
    return claim_save(claim=claim, user=user, change_reason=change_reason)


CITING_TEXTS: dict[type, CitingText] = {
    **{model: CitingText("body", _page_refs, _page_save) for model in ENTRY_MODELS},
    **{
        model: CitingText("evidence", parse_evidence, _relation_save)
        for model in (Membership, FactionRelation, Participation)
    },
    Claim: CitingText("evidence", parse_evidence, _claim_save),
}


def citing_texts_register() -> None:
    """Tell the sources app where the wiki's texts hold citations (for check_citations)."""
    for model, citing in CITING_TEXTS.items():
        citing_text_register(model, field=citing.field, refs=citing.refs)


# ---------------------------------------------------------------------------------------------
# The service


@dataclass
class QuotesFollowed:
    """What quotes_follow did: the texts it rewrote, and those it had to leave, with why."""

    rewritten: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


def source_saved_receiver(sender, *, source, user=None, reanchor_report=None, **kwargs) -> None:
    """sources.signals.source_saved: the texts quoting a reworded passage follow it."""
    if reanchor_report is not None and reanchor_report.requotes:
        quotes_follow(source=source, requotes=reanchor_report.requotes, user=user)


@transaction.atomic
def quotes_follow(*, source: Source, requotes: Sequence[Requote], user) -> QuotesFollowed:
    """Rewrite each text quoting one of these requoted citations of source to its new words.

    One revision per text, saved by its service as `user`. A text whose save is refused (a
    locked page and a user who is no curator, or a text refused for another reason) is left as
    it was and listed; check_citations names it until someone corrects it.
    """
    positions = _positions_quoted(requotes)
    summary = SUMMARY.format(key=source.key, revision=latest_revision_id(source.history))
    followed = QuotesFollowed()
    by_type = defaultdict(list)
    for content_type_id, object_id in sorted(positions):
        by_type[content_type_id].append(object_id)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        citing = CITING_TEXTS.get(model)
        if citing is None:
            continue
        for citer in _locked(model, ids):
            new_quotes = positions[(content_type_id, citer.pk)]
            _follow(citer, citing, new_quotes, source.key, user, summary[:REASON_LENGTH], followed)
    return followed


def _positions_quoted(requotes: Sequence[Requote]) -> dict[tuple[int, int], dict[int, str]]:
    """For each citing (content type id, object id): the new words at each citation position."""
    new_quotes = {requote.citation_id: requote.new_quote for requote in requotes}
    ids = sorted(new_quotes)
    positions = defaultdict(dict)
    for at in range(0, len(ids), IDS_PER_QUERY):
        uses = CitationUse.objects.filter(citation_id__in=ids[at : at + IDS_PER_QUERY])
        for content_type_id, object_id, position, citation_id in uses.values_list(
            "content_type_id", "object_id", "position", "citation_id"
        ):
            positions[(content_type_id, object_id)][position] = new_quotes[citation_id]
    return positions


def _locked(model, ids: list[int]):
    """The citing rows, locked in id order (as every writer locks them), a slice at a time."""
    for at in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[at : at + IDS_PER_QUERY]
        yield from model.objects.select_for_update().filter(pk__in=chunk).order_by("pk")


def _follow(citer, citing: CitingText, new_quotes, key, user, summary, followed) -> None:
    text = getattr(citer, citing.field)
    try:
        changes = _changes(citing.refs(text), new_quotes, key)
    except ValueError as error:  # a stored text that no longer reads (MarkupError and kin)
        followed.refused.append((citer, str(error)))
        return
    new_text = requote(text, changes)
    if new_text == text:
        return
    try:
        with transaction.atomic():
            citing.save(citer, new_text, user, summary)
    except (ValidationError, PermissionDenied) as refusal:
        why = "; ".join(getattr(refusal, "messages", None) or [str(refusal)])
        logger.warning("Quote not updated in %s: %s", citer, why)
        followed.refused.append((citer, why))
    else:
        followed.rewritten.append(citer)


def _changes(refs: Sequence[CitationRef], new_quotes: dict[int, str], key: str) -> dict:
    """Which of a text's citations (by the position it uses each at) must read otherwise."""
    changes = {}
    for position, new_quote in new_quotes.items():
        if not 0 < position <= len(refs):
            continue
        ref = refs[position - 1]
        if ref.key == key and ref.quote and not quote_reads_as(ref.quote, new_quote):
            changes[ref] = new_quote
    return changes
