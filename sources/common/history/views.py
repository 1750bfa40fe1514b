"""The history pages of any versioned thing, written once: the revision list with its diffs,
one old revision, and revert (compare wagtail's generic HistoryView).

Pages and sources each configure one `HistoryViews` subclass (how to load the thing, which
fields and templates, how a revert is saved) and wire its three views into their URLconf.
History names editors and shows drafts: outside the team these URLs do not exist (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from sources.common.history.revert import RevertForm, revert_reason, revert_refusal
from sources.common.history.revisions import (
    revision_diff,
    revision_get,
    revision_neighbours,
    revision_page,
    revision_pair,
    tag_names,
)
from sources.common.permissions import can_edit, for_team, guard


def parse_diff(value: str) -> tuple[int, int]:
    """`?diff=<old>..<new>` as two history ids; 404 for anything else."""
    old, sep, new = (value or "").partition("..")
    if not (sep and old.isdigit() and new.isdigit()):
        raise Http404("A diff names two revisions: ?diff=<old>..<new>.")
    return int(old), int(new)


def compare_redirect(request) -> HttpResponseRedirect | None:
    """The no-JavaScript compare form sends ?old=&new=; send it on to ?diff=<old>..<new>."""
    if "old" not in request.GET and "new" not in request.GET:
        return None
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    if not (old.isdigit() and new.isdigit()):
        raise Http404("Pick two revisions to compare.")
    return HttpResponseRedirect(f"{request.path}?{urlencode({'diff': f'{old}..{new}'})}")


def _message(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class HistoryViews:
    """History, one revision and revert of one kind of versioned thing."""

    context_name = ""  # what templates call the thing: "entry", "source"
    text_field = ""  # the long text diffed word by word: "body", "text"
    history_url_name = revision_url_name = revert_url_name = ""
    revision_template = ""
    history_template = "history.html"

    # What a subclass says about its kind of thing.
    @staticmethod
    def load(request, **url_kwargs):
        """The thing the URL names, from what the reader may see (404 otherwise)."""
        raise NotImplementedError

    def url_args(self, thing) -> list:
        raise NotImplementedError

    def fields(self, thing) -> list:
        """The fields its revisions list and compare (besides the text and tags)."""
        raise NotImplementedError

    def history_context(self, thing) -> dict:
        """How the history page names the kind: kind_label and kind_url (its list),
        current_label, changes_url and changes_label (recent changes), text_label, title_suffix."""
        raise NotImplementedError

    def revision_context(self, thing, record) -> dict:
        """What its revision page shows besides the generic parts."""
        return {}

    def revert_save(self, thing, record, user, change_reason: str, base_revision=None):
        """Save `record` again as the newest revision through the kind's own service, which
        refuses it, under the row lock, when the latest revision is no longer base_revision."""
        raise NotImplementedError

    # The generic parts.
    def context(self, thing) -> dict:
        return {self.context_name: thing, "history_url": self._url(self.history_url_name, thing)}

    def _url(self, name, thing, *extra) -> str:
        return reverse(name, args=[*self.url_args(thing), *extra])

    def history(self, request, thing):
        """The revisions, 50 a page; with ?diff=<old>..<new>, what changed between two."""
        if response := compare_redirect(request):
            return response
        context = self.context(thing) | self.history_context(thing) | {"subject": thing}

        def revision_url(rev):
            return self._url(self.revision_url_name, thing, rev)

        records = thing.history.all()
        if "diff" in request.GET:
            old, new = revision_pair(records, *parse_diff(request.GET["diff"]))
            context["diff"] = revision_diff(
                old,
                new,
                text_field=self.text_field,
                fields=self.fields(thing),
                revision_url=revision_url,
            )
        else:
            page = revision_page(
                records,
                request.GET.get("page"),
                text_field=self.text_field,
                fields=self.fields(thing),
                history_url=context["history_url"],
                revision_url=revision_url,
            )
            page_range = page.paginator.get_elided_page_range(page.number, on_each_side=2)
            context |= {"page_obj": page, "page_range": page_range}
        return render(request, self.history_template, context)

    def revision(self, request, thing, rev):
        """The thing as it was at one revision, and the form that reverts to it."""
        record = revision_get(thing.history.all(), rev)
        neighbours = revision_neighbours(thing.history.all(), record)
        context = self.context(thing) | {
            "record": record,
            "old": record.instance,
            "tags": tag_names(record.tag_list),
            "neighbours": neighbours,
            "is_latest": neighbours.latest == record.history_id,
            "can_revert": can_edit(request.user, thing),
            "form": RevertForm(
                initial={"change_reason": revert_reason(record), "base_revision": neighbours.latest}
            ),
        }
        context |= self.revision_context(thing, record)
        return render(request, self.revision_template, context)

    def revert(self, request, thing, rev):
        """Save an old revision again as the newest one (POST); history is never rewritten."""
        revision_url = self._url(self.revision_url_name, thing, rev)
        record = revision_get(thing.history.all(), rev)
        form = RevertForm(request.POST)
        if error := revert_refusal(form):
            messages.error(request, error)
            return redirect(revision_url)
        reason = form.cleaned_data["change_reason"] or revert_reason(record)
        base = form.cleaned_data["base_revision"]
        try:
            saved = self.revert_save(thing, record, request.user, reason, base_revision=base)
        except (ValidationError, PermissionDenied) as error:  # crossed an edit, a lock set…
            said = _message(error)
            messages.error(
                request, said if said.startswith("Nothing") else f"Nothing was reverted. {said}"
            )
            return redirect(revision_url)
        thing = saved or thing  # as saved: its address may have changed meanwhile
        messages.success(request, f"“{thing}” now reads as it did in that revision.")
        return redirect(thing)

    def views(self):
        """The three views, guarded, for the URLconf: history, revision, revert."""
        load = self.load
        history = guard(for_team, load=load, hidden=True)(self.history)
        revision = guard(for_team, load=load, hidden=True)(self.revision)
        revert = require_POST(guard(can_edit, load=load, hidden=True)(self.revert))
        return history, revision, revert
