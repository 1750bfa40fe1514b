"""Telling a new source that repeats one already in the archive, before it is saved.

Three signs, strongest first:
- the same URL, once normalised (scheme and host case, default port, trailing slash, fragment,
  utm_ and click-tracking parameters do not count);
- the same text, whatever its white space, quote marks, dashes or case: a fingerprint stored on
  every source and indexed (text_fingerprint);
- nearly the same text: MinHash signatures over word shingles (datasketch), cut into BANDS
  bands whose hashes are stored with each source (TextBand, written as its text is saved). A
  document's candidates are the sources sharing any band with it: one indexed query, however
  large the archive, and no source's text read but the candidates'. They are confirmed by their
  exact shingle overlap, which is what the message shows.

The text functions are pure; find_duplicates reads the database (lazily imported: the models
use text_fingerprint).
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sources.common.folding import quote_form_in_place

_WORD = re.compile(r"[^\W_]+")
SHINGLE_WORDS = 5
# A text is compared by its first words only: enough to tell a document from another, and a 5 MB
# upload is checked in a fraction of a second.
MAX_SHINGLED_WORDS = 100_000
NUM_PERM = 128
# Texts sharing this many of their shingles (Jaccard) are "nearly the same".
NEAR_THRESHOLD = 0.8
# Locality-sensitive hashing: BANDS bands of NUM_PERM // BANDS signature values each. Two texts
# share a band with a probability that rises steeply around (1/BANDS) ** (BANDS / NUM_PERM),
# about 0.71: a lower bar for candidates than for the answer, since the estimate errs either way.
BANDS = 16
_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "yclid", "_ga"}
_PORTS = {"http": 80, "https": 443}


def text_fingerprint(text: str) -> str:
    """A hash of the text as anchoring reads it: equal for texts a reader cannot tell apart."""
    if not (text or "").strip():
        return ""
    folded = " ".join(quote_form_in_place(text).split())  # str.split: runs of white space
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def normalise_url(url: str) -> str:
    """url as compared for duplicates: "HTTPS://Example.org:443/a/?utm_source=x#top" →
    "https://example.org/a"; "" for what is no web address."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in _PORTS or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _PORTS[scheme]) else f"{host}:{port}"
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in _TRACKING
    ]
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), urlencode(query), ""))


def shingles(text: str) -> set[str]:
    """The runs of SHINGLE_WORDS words of a text's first MAX_SHINGLED_WORDS words, folded as
    anchoring folds it (case, quote marks, dashes); a text shorter than that is one shingle."""
    words = _WORD.findall(quote_form_in_place((text or "")[: MAX_SHINGLED_WORDS * 12]).casefold())
    words = words[:MAX_SHINGLED_WORDS]
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def similarity(a: set[str], b: set[str]) -> float:
    """The share of shingles two texts have in common (Jaccard), 0 to 1."""
    return len(a & b) / len(a | b) if a and b else 0.0


def signature(words: set[str]):
    """The MinHash signature of a set of shingles (a compact datasketch LeanMinHash)."""
    from datasketch import LeanMinHash, MinHash

    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch([shingle.encode("utf-8") for shingle in words])
    return LeanMinHash(minhash)


# ---------------------------------------------------------------------------------------------
# Against the archive


@dataclass(frozen=True)
class Duplicate:
    """A source already in the archive that the new one seems to repeat, and why."""

    source: object  # sources.models.Source
    why: str  # "same URL", "same text", "nearly the same text (93 %)"
    similarity: float = 1.0


def text_bands(text: str) -> list[int]:
    """The LSH band hashes of a text's signature (as signed 64-bit integers, a database's
    bigint); none for a text too short for "nearly the same" to mean anything."""
    words = shingles(text)
    if len(words) < 2:
        return []
    values = signature(words).hashvalues
    rows = NUM_PERM // BANDS
    return [
        int.from_bytes(
            hashlib.blake2b(
                values[band * rows : (band + 1) * rows].tobytes(), digest_size=8
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(BANDS)
    ]


def text_bands_sync(source) -> None:
    """Store the bands of a saved source's text, unless they are stored for this text already
    (one query for a save that did not change it)."""
    from sources.models import TextBand

    stored = source.text_bands.values_list("fingerprint", flat=True).first()
    if stored is not None and stored == source.text_fingerprint:
        return
    source.text_bands.all().delete()
    TextBand.objects.bulk_create(
        TextBand(source=source, band=band, value=value, fingerprint=source.text_fingerprint)
        for band, value in enumerate(text_bands(source.text))
    )


def find_duplicates(*, text: str, url: str, exclude_pk=None) -> list["Duplicate"]:
    """Sources that the given text and URL seem to repeat: same URL, same text, nearly the same
    text, each source once under its strongest sign, strongest first."""
    from sources.models import Source

    found: dict[int, Duplicate] = {}
    others = Source.objects.exclude(pk=exclude_pk) if exclude_pk else Source.objects.all()
    others = others.defer("text", "notes")
    if wanted := normalise_url(url):
        # Only sources whose URL holds the host and path are compared in Python.
        core = urlsplit(wanted).netloc.strip("[]") + urlsplit(wanted).path
        for source in others.filter(url__icontains=core):
            if normalise_url(source.url) == wanted:
                found.setdefault(source.pk, Duplicate(source, "same URL"))
    if fingerprint := text_fingerprint(text):
        for source in others.filter(text_fingerprint=fingerprint):
            found.setdefault(source.pk, Duplicate(source, "same text"))
        shares = dict(_near(text, skip=set(found) | {exclude_pk}))
        for source in others.filter(pk__in=shares):
            share = shares[source.pk]
            why = f"nearly the same text ({round(share * 100)} %)"
            found[source.pk] = Duplicate(source, why, share)
    order = {"same URL": 0, "same text": 1}
    return sorted(found.values(), key=lambda d: (order.get(d.why, 2), -d.similarity, d.source.pk))


def _near(text: str, *, skip: set) -> list[tuple[int, float]]:
    """(source id, share of shingles) of the sources whose text is nearly this one."""
    from django.db.models import Q

    from sources.models import TextBand

    bands = text_bands(text)
    if not bands:
        return []
    shared = Q()
    for band, value in enumerate(bands):
        shared |= Q(band=band, value=value)
    candidates = set(TextBand.objects.filter(shared).values_list("source_id", flat=True))
    return _confirmed(shingles(text), sorted(candidates - skip))


def _confirmed(words: set[str], candidates: list[int]) -> list[tuple[int, float]]:
    """The candidates whose exact share of shingles reaches the threshold (a band computed
    from a text changed since by a bulk update is weeded out here)."""
    from sources.models import Source

    texts = Source.objects.filter(pk__in=candidates).values_list("pk", "text")
    shares = [(pk, similarity(words, shingles(text))) for pk, text in texts]
    return sorted(
        ((pk, share) for pk, share in shares if share >= NEAR_THRESHOLD), key=lambda x: -x[1]
    )
