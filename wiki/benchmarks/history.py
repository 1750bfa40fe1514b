"""A long page history, written straight into the history table as an import of an old wiki
would leave it: for `manage.py benchmark_history` and for tests of long histories."""

import random
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

# fmt: off
_WORDS = [
    "the", "northern", "alliance", "was", "established", "in", "opposition", "to", "government",
    "led", "by", "president", "commander", "forces", "valley", "province", "agreement", "party",
    "faction", "militia", "reported", "according", "sources", "said", "that", "during", "after",
    "before", "against", "with", "council", "members", "meeting", "territory", "the", "of", "a",
]
# fmt: on


def page_text(chars: int, *, seed: int) -> str:
    """About `chars` characters of wiki prose in paragraphs, the same for the same seed."""
    rng, paragraphs, length = random.Random(seed), [], 0
    while length < chars:
        sentences = [
            " ".join(rng.choices(_WORDS, k=rng.randint(8, 24))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        paragraphs.append(" ".join(sentences) + f" See [[Page {rng.randint(1, 50)}]].")
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def add_revisions(page, count: int, *, user=None, body_chars: int = 3000, seed: int = 0) -> None:
    """Write `count` revisions of `page` straight into its history table, one a second up to
    now: each body is the latest one followed by a few KB of prose, a little longer or shorter
    from one revision to the next; every other revision is by `user`.

    The page's earlier revisions move back in time to make room. The page row itself is left as
    it is: this is history as an import of an old wiki would leave it.
    """
    history = type(page).history.model
    page.history.update(history_date=F("history_date") - timedelta(seconds=count + 1))
    latest = page.history.order_by("-history_date", "-history_id").first()
    text = page_text(body_chars + 500, seed=seed)
    skip = {"history_id", "history_date", "history_type", "history_change_reason", "body"}
    copied = {
        f.attname: getattr(latest, f.attname)
        for f in history._meta.concrete_fields
        if f.attname not in skip
    }
    now = timezone.now()
    rows = [
        history(
            **(copied | {"history_user_id": user.pk if user and i % 2 else None}),
            history_date=now - timedelta(seconds=count - i),
            history_type="~",
            history_change_reason=f"Revision {i}",
            body=f"{latest.body}\n\n{text[: body_chars + (i * 37) % 400]}",
        )
        for i in range(1, count + 1)
    ]
    history.objects.bulk_create(rows, batch_size=500)
