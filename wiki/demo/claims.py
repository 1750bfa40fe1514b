"""The demo's facts: each entry's `claims` in demo.toml, brought to the database as claim edits.

A claim is one value of one fact with the passage that states it:
`{ field = "died", value = "2001", evidence = '[@key "…"]' }`, optionally with `rank` and
`rank_reason`. What already stands is left alone, so that loading again writes no history.
"""

from collections import Counter

from wiki.claims import values
from wiki.claims.saving import ClaimEdit
from wiki.models import Claim, Rank

# The facts an entry states beside its body. The demo gives each as a claim with its passage;
# a bare value would be an unsourced statement on a wiki whose demo is 100 % sourced.
FACT_KEYS = frozenset(values.FIELDS)
CLAIM_KEYS = frozenset({"field", "value", "evidence", "rank", "rank_reason"})


class DemoDataError(ValueError):
    """demo.toml says something the loader cannot take."""


def _identity(field: str, value: str, evidence: str, rank: str, rank_reason: str) -> tuple:
    return (field, value, evidence, rank, rank_reason)


def wanted_claims(item: dict) -> list[tuple]:
    """The claims an entry of demo.toml gives, each as (field, value, evidence, rank, reason),
    its value as the database keeps it. Refuses bare facts and claims without a passage."""
    slug = item.get("slug", item.get("title", "?"))
    bare = sorted(FACT_KEYS & item.keys())
    if bare:
        raise DemoDataError(f"{slug}: give {', '.join(bare)} as claims, each with its passage.")
    wanted = []
    for claim in item.get("claims", []):
        unknown = sorted(claim.keys() - CLAIM_KEYS)
        if unknown:
            raise DemoDataError(f"{slug}: a claim has unknown keys {', '.join(unknown)}.")
        if not claim.get("evidence", "").strip():
            raise DemoDataError(f"{slug}: the {claim.get('field')} claim cites no passage.")
        try:
            value = values.clean(claim["field"], claim["value"])
        except (KeyError, values.InvalidValue) as error:
            raise DemoDataError(f"{slug}: {error}") from None
        wanted.append(
            _identity(
                claim["field"],
                value,
                claim["evidence"],
                claim.get("rank", Rank.NORMAL),
                claim.get("rank_reason", ""),
            )
        )
    return wanted


def claim_edits(page, wanted: list[tuple]) -> list[ClaimEdit]:
    """The edits that make the page's claims the wanted ones: the missing created, those no
    longer wanted deleted, the rest left alone (none at all when everything matches)."""
    stored = list(Claim.objects.of(page)) if page.pk else []
    missing = Counter(wanted)
    extra = []
    for claim in stored:
        key = _identity(claim.field, claim.value, claim.evidence, claim.rank, claim.rank_reason)
        if missing[key] > 0:
            missing[key] -= 1
        else:
            extra.append(claim)
    edits = [ClaimEdit(claim, delete=True) for claim in extra]
    for (field, value, evidence, rank, rank_reason), count in missing.items():
        edits += [
            ClaimEdit(
                Claim(
                    field=field,
                    value=value,
                    evidence=evidence,
                    rank=rank,
                    rank_reason=rank_reason,
                )
            )
            for _ in range(count)
        ]
    return edits
