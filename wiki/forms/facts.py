"""The facts of the entry form: per fact, each value with the passage that states it.

A fact (born, founded, place…) may have several values when sources disagree: the form shows
one row per value the page has, and one blank row more ("+ another value"). Row 1 of a fact is
named after the model field (`born`, `born_evidence`), the others with their number (`born_2`,
`born_2_evidence`); a row of a saved value carries its id and the revision it shows
(`born_id`, `born_base`). Blanking a row's value and passage removes that value. Ranks are not
set here: curators rank values on the disputes page (wiki.views.disputes) or in the admin.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Max

from sources.forms import EDTF_HELP
from wiki.claims import values
from wiki.claims.saving import ClaimEdit
from wiki.markup.validation import quote_suggestions
from wiki.models import Claim

MAX_ROWS = 20  # values of one fact a form may carry: far more than sources ever disagree on
FACT_HELP = {
    values.DATE: EDTF_HELP,
    values.COUNT: values.COUNT_EXPECTED,
    values.TEXT: "As the sources name it.",
}
EVIDENCE_HELP = 'The passage that states it: [@source-key "exact passage"].'


def row_prefix(field: str, number: int) -> str:
    return field if number == 1 else f"{field}_{number}"


@dataclass
class FactRow:
    """One value of a fact in the form: its bound fields and the claim it edits, if any."""

    number: int
    value: forms.BoundField
    evidence: forms.BoundField
    claim_id: forms.BoundField
    base: forms.BoundField
    claim: Claim | None

    @property
    def suggestions(self) -> list:
        """After a refused passage: the closest passages in the sources, ready to use (as the
        body's are)."""
        if not self.evidence.errors:
            return []
        return quote_suggestions(self.evidence.value() or "")

    @property
    def is_extra(self) -> bool:
        """A blank row offered for another value, folded away until asked for."""
        return self.claim is None and self.number > 1 and not self.value.value()


@dataclass
class Fact:
    """A fact of the form: its label and its rows."""

    name: str
    label: str
    rows: list[FactRow]


class FactFieldsMixin:
    """Adds the rows of each of the model's claim_fields to an entry form."""

    def _add_fact_fields(self, data) -> None:
        model = self._meta.model
        self._claims = {}
        self._bases = {}
        if self.instance.pk is not None:
            for claim in Claim.objects.of(self.instance).order_by("pk"):
                self._claims[claim.pk] = claim
            self._bases = _latest_revisions(self._claims)
        self._fact_rows: dict[str, int] = {}
        for name in model.claim_fields:
            stored = [claim for claim in self._claims.values() if claim.field == name]
            rows = max(len(stored) + 1, 2)
            if data is not None:
                rows = max(rows, self._rows_posted(data, name))
            self._fact_rows[name] = rows
            for number in range(1, rows + 1):
                claim = stored[number - 1] if number <= len(stored) else None
                self._add_row(name, number, claim)

    @staticmethod
    def _rows_posted(data, name: str) -> int:
        posted = [
            number
            for number in range(2, MAX_ROWS + 1)
            if any(f"{row_prefix(name, number)}{end}" in data for end in ("", "_evidence", "_id"))
        ]
        return max(posted, default=1)

    def _add_row(self, name: str, number: int, claim) -> None:
        label, kind = values.FIELDS[name]
        prefix = row_prefix(name, number)
        self.fields[prefix] = forms.CharField(
            label=label if number == 1 else f"{label} (value {number})",
            required=False,
            max_length=values.MAX_LENGTH,
            help_text=FACT_HELP[kind] if number == 1 else "",
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
        self.fields[f"{prefix}_evidence"] = forms.CharField(
            label=f"Source for {label.lower()}" + ("" if number == 1 else f" (value {number})"),
            required=False,
            help_text=EVIDENCE_HELP if number == 1 else "",
            widget=forms.Textarea(attrs={"rows": 2, "class": "editor-evidence"}),
        )
        self.fields[f"{prefix}_id"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        self.fields[f"{prefix}_base"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        if claim is not None:
            # The values as the revision the row carries has them (a save may come in between
            # loading the claims and their history): a merge then sees what the editor saw.
            record = self._bases.get(claim.pk, claim)
            self.initial.setdefault(prefix, record.value)
            self.initial.setdefault(f"{prefix}_evidence", record.evidence)
            self.initial.setdefault(f"{prefix}_id", claim.pk)
            self.initial.setdefault(f"{prefix}_base", getattr(record, "history_id", None))

    @property
    def facts(self) -> list[Fact]:
        """The facts as the template lays them out."""
        facts = []
        for name, rows in self._fact_rows.items():
            fact_rows = []
            for number in range(1, rows + 1):
                prefix = row_prefix(name, number)
                claim_id = self[f"{prefix}_id"].value()
                fact_rows.append(
                    FactRow(
                        number,
                        self[prefix],
                        self[f"{prefix}_evidence"],
                        self[f"{prefix}_id"],
                        self[f"{prefix}_base"],
                        self._claims.get(_int(claim_id)),
                    )
                )
            facts.append(Fact(name, values.label_of(name), fact_rows))
        return facts

    def _clean_facts(self, cleaned_data) -> None:
        """Check each row's value by its field; build the claim edits the save will make."""
        self.claim_edits = []
        for name, rows in self._fact_rows.items():
            for number in range(1, rows + 1):
                edit = self._row_edit(name, row_prefix(name, number), cleaned_data)
                if edit is not None:
                    self.claim_edits.append(edit)

    def _row_edit(self, name: str, prefix: str, cleaned_data) -> ClaimEdit | None:
        value = (cleaned_data.get(prefix) or "").strip()
        evidence = (cleaned_data.get(f"{prefix}_evidence") or "").replace("\r\n", "\n").strip()
        claim = self._claims.get(cleaned_data.get(f"{prefix}_id"))
        if claim is None and cleaned_data.get(f"{prefix}_id"):
            self.add_error(prefix, "This value was removed after you opened the form.")
            return None
        if claim is None and not value:
            if evidence:
                self.add_error(prefix, "Give the value this passage states.")
            return None
        base = cleaned_data.get(f"{prefix}_base")
        if claim is not None and not value:
            if evidence:
                self.add_error(prefix, "Give the value, or clear its passage too to remove it.")
                return None
            return ClaimEdit(claim, base, delete=True, form_prefix=prefix)
        try:
            value = values.clean(name, value)
        except values.InvalidValue as error:
            self.add_error(prefix, str(error))
            return None
        if claim is not None and (claim.value, claim.evidence) == (value, evidence):
            return None  # unchanged: no revision
        if claim is None:
            claim = Claim(field=name)
        claim.value, claim.evidence = value, evidence
        return ClaimEdit(claim, base, form_prefix=prefix)


def _latest_revisions(claims: dict) -> dict:
    """The latest history row of each claim: one query however many there are."""
    newest = (
        Claim.history.filter(id__in=list(claims))
        .values("id")
        .annotate(newest=Max("history_id"))
        .values("newest")
    )
    return {record.id: record for record in Claim.history.filter(history_id__in=newest)}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
