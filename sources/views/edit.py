"""Creating and editing sources in the browser; publishing them; citing a passage on a page;
grading a passage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from sources.citations.forms import MAX_PASSAGE, CiteOnForm, CredibilityForm, one_line
from sources.common.history.merging import ConflictingEdit, revision_shown
from sources.common.history.worddiff import diff_html, text_diff
from sources.common.permissions import can_curate, can_edit, guard
from sources.forms import SourceDeleteForm, SourceForm
from sources.importing import originals
from sources.importing.fetching import FetchState, fetch_start, fetch_state
from sources.importing.forms import ImportForm, max_upload_bytes
from sources.models import Citation, Source
from sources.publishing import source_publish as publish_source
from sources.services import citation_grade, source_citers, source_save
from sources.services import source_delete as delete_source


@guard(can_edit)
def source_create(request):
    """A new source in two steps: paste or upload a document, then confirm the proposed form."""
    if request.method == "POST" and "read" in request.POST:
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            if url := import_form.cleaned_data.get("url"):
                max_bytes = import_form.max_bytes
                ticket, state = fetch_start(url, max_bytes=max_bytes, user=request.user)
                if state is None:  # a worker fetches it: the page asks after it
                    return redirect("sources:source-fetch", ticket=ticket)
                return _fetched_page(request, state, ticket)
            document = import_form.cleaned_data["document"]
            return _read_page(request, document, import_form.upload_data)
        return render(request, "sources/source_import.html", {"form": import_form})
    if request.method == "POST":
        form = SourceForm(request.POST)
        if form.is_valid():
            # The uploaded file and its page starts, kept since step 1 (none for pasted text).
            pending = originals.claim(form.cleaned_data.get("original_token", ""))
            source = _save(form, request.user, pending=pending)
            if pending is not None:
                pending.discard()
            messages.success(request, f"Source “{source.key}” created.")
            return redirect(source)
        return _form_page(request, form)
    if "manual" in request.GET:
        return _form_page(request, SourceForm())
    return render(request, "sources/source_import.html", {"form": ImportForm()})


@require_GET
@guard(can_edit)
def source_fetch(request, ticket):
    """Step 1 of a new source given by its address, while a worker fetches the document: a page
    that asks again every few seconds, then step 2 (or step 1 saying why it was not fetched)."""
    state = fetch_state(ticket, max_bytes=max_upload_bytes(), user=request.user)
    if state is None:
        raise Http404("No fetch of yours by that name: give the address again.")
    return _fetched_page(request, state, ticket)


def _fetched_page(request, state: FetchState, ticket: str):
    if state.waiting:
        context = {"url": state.url, "ticket": ticket, "refresh_seconds": FETCH_REFRESH_SECONDS}
        return render(request, "sources/source_fetching.html", context)
    if state.refused:
        form = ImportForm.with_refused_url(state.url, state.refused)
        return render(request, "sources/source_import.html", {"form": form})
    return _read_page(request, state.document, state.document.original)


FETCH_REFRESH_SECONDS = 2


def _read_page(request, document, data):
    """Step 2 for a document read: the proposed form, its file kept until the source is saved."""
    token = originals.stash(document, data) if data is not None else ""
    form = SourceForm.from_import(document, original_token=token)
    return _form_page(request, form, document=document)


MERGED = (
    "Someone else saved this source while you were editing; your changes were merged with theirs."
)


@guard(can_edit)
def source_edit(request, key):
    """Edit a source; a changed text re-anchors its citations and the editor is told how.

    An edit that crossed another save is merged with it (edits of different paragraphs, of
    different fields), or shown as a conflict page keeping the editor's version.
    """
    source = get_object_or_404(Source.objects.visible_to(request.user), key=key)
    data = request.POST if request.method == "POST" else None
    # The form carries the revision it shows (a save may come in between loading and this).
    base = revision_shown(source) if data is None else None
    old_text, count = source.text, source.citations.count()
    form = SourceForm(data, instance=source, base_revision=base, citation_count=count)
    if data is not None and form.is_valid():
        before = _placements(source) if form.cleaned_data["text"] != old_text else None
        try:
            source = _save(form, request.user, base_revision=form.cleaned_data["base_revision"])
        except ConflictingEdit as conflict:
            return _conflict_page(request, form, conflict)
        except ValidationError as refusal:  # deleted meanwhile, or the row refused it
            form.add_error(None, refusal)
            return _form_page(request, form)
        if source.was_merged:
            messages.warning(request, MERGED)
        messages.success(request, f"Source “{source.key}” saved.")
        if before:
            messages.info(request, _reanchor_message(before, _placements(source)))
        return redirect(source)
    return _form_page(request, form)


def _conflict_page(request, form, conflict):
    """The form again, holding the editor's version, with what the other save changed."""
    form.conflict = conflict
    form.current_revision = _latest_revision(conflict.current)
    form.add_error(None, form.conflict_message())
    context = {
        "their_text": conflict.current.text,
        "our_text": form.cleaned_data.get("text", ""),
        "diff": diff_html(text_diff(conflict.current.text, form.cleaned_data.get("text", ""))),
        "field_conflicts": form.conflict_rows(),
    }
    return render(request, "sources/source_conflict.html", {"form": form, **context}, status=409)


@require_POST
@guard(can_curate)
def source_publish(request, key):
    """Publish or unpublish (POST publish=1 or 0); unpublishing names the pages in the way."""
    source = get_object_or_404(Source, key=key)
    publish = request.POST.get("publish") == "1"
    try:
        publish_source(source=source, user=request.user, publish=publish)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        done = "published" if publish else "unpublished: only the team sees it now"
        messages.success(request, f"Source “{source.key}” {done}.")
    return redirect(source)


@guard(can_curate)
def source_delete(request, key):
    """Ask, then delete a source (POST) that nothing cites; history keeps a record of it."""
    source = get_object_or_404(Source.objects.defer("text"), key=key)
    form = SourceDeleteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            delete_source(source=source, user=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"Deleted “{source.key}”. Its history keeps a record of it.")
            return redirect("sources:source-list")
    context = {"form": form, "source": source, "citers": source_citers(source)}
    context["passage_count"] = source.citations.count()
    return render(request, "sources/source_confirm_delete.html", context)


GRADE_CROSSED = (
    "Nothing was saved: someone graded this passage after you opened the page. It now reads "
    "“{}”; grade it again if you still mean to."
)


@require_POST
@guard(can_edit)
def passage_grade(request, key, pk):
    """Grade how credible one cited passage is (POST credibility, base_revision)."""
    source = get_object_or_404(Source.objects.visible_to(request.user).defer("text"), key=key)
    citation = get_object_or_404(Citation.objects.select_related("source"), pk=pk, source=source)
    form = CredibilityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        graded = citation_grade(citation=citation, user=request.user, **form.cleaned_data)
    except ConflictingEdit as conflict:
        messages.error(request, GRADE_CROSSED.format(conflict.current.grade.title or "not graded"))
    except ValidationError as refusal:
        messages.error(request, f"Nothing was saved: {' '.join(refusal.messages)}")
    else:
        messages.success(request, f"Passage graded: {graded.grade.title or 'not graded'}.")
    return redirect(f"{source.get_absolute_url()}#c{citation.pk}")


@guard(can_edit)
def source_cite_on(request, key):
    """Cite a passage of the source on a page: check the words, then open the page's editor."""
    source = get_object_or_404(Source.objects.visible_to(request.user), key=key)
    if request.method == "POST":
        form = CiteOnForm(request.POST, source=source)
        if form.is_valid():
            return redirect(form.url)
    else:
        passage = one_line(request.GET.get("passage", ""))[:MAX_PASSAGE]
        form = CiteOnForm(source=source, initial={"passage": passage})
    context = {"source": source, "form": form, "page_titles": form.page_titles()}
    return render(request, "sources/cite_on.html", context)


# ---------------------------------------------------------------------------------------------


def _form_page(request, form, **context):
    return render(request, "sources/source_form.html", {"form": form, **context})


def _save(form, user, *, base_revision=None, pending=None):
    source = form.save(commit=False)
    if pending is not None:
        pending.apply(source)
    return source_save(
        source=source,
        user=user,
        change_reason=form.cleaned_data["change_reason"],
        tags=form.cleaned_data["tags"],
        base_revision=base_revision,
        # Only what the form carries: the published flag and the file stay as they stand.
        fields=form._meta.fields,
    )


def _latest_revision(source):
    """The newest history row, without the (long) text it holds: one query."""
    return (
        source.history.select_related("history_user")
        .only("history_id", "history_date", "history_user", "history_user__username")
        .order_by("-history_id")
        .first()
    )


def _placements(source) -> dict[int, tuple]:
    """Where each quoted citation of the source points, to compare across a save."""
    citations = Citation.objects.filter(source=source).exclude(quote="")
    return {pk: rest for pk, *rest in citations.values_list("pk", "quote", "start", "status")}


def _reanchor_message(before: dict, after: dict) -> str:
    """What re-anchoring did to the citations, in the words of an editor."""
    orphaned = Citation.Status.ORPHANED
    counts = {"moved": 0, "re-quoted": 0, "orphaned": 0, "found again": 0}
    for pk, (quote, start, status) in after.items():
        old_quote, old_start, old_status = before.get(pk, (quote, start, status))
        if status == orphaned and old_status != orphaned:
            counts["orphaned"] += 1
        elif old_status == orphaned and status != orphaned:
            counts["found again"] += 1
        elif quote != old_quote:
            counts["re-quoted"] += 1
        elif start != old_start:
            counts["moved"] += 1
    changes = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
    if not changes:
        if len(after) == 1:
            return "The text changed; its citation still points at its passage."
        return f"The text changed; its {len(after)} citations still point at their passages."
    noun = "citation" if len(after) == 1 else f"{len(after)} citations"
    message = f"The text changed, so Attest anchored its {noun} again: {changes}."
    if counts["orphaned"]:
        message += (
            " Orphaned passages are listed on the source page and flagged on the pages that "
            "cite them."
        )
    return message
