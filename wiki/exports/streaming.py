"""Streaming: rows read from the database a chunk at a time and written out as they come, so
that a 100,000-row export never builds in memory and costs a fixed number of queries per chunk."""

import csv
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.http import StreamingHttpResponse

# How many rows are read (and their citations loaded) at once.
CHUNK_SIZE = 500

# A cell a spreadsheet would run as a formula begins with one of these (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def chunks(rows: Iterable, size: int | None = None) -> Iterator[list]:
    """The rows in lists of `size` (CHUNK_SIZE unless given), the last one shorter."""
    rows = iter(rows)
    while chunk := list(islice(rows, size or CHUNK_SIZE)):
        yield chunk


def in_chunks(queryset, load: Callable[[list], None]) -> Iterator:
    """The queryset's rows, read a chunk at a time; `load(chunk)` adds what the rows show."""
    for chunk in chunks(queryset.iterator(chunk_size=CHUNK_SIZE)):
        load(chunk)
        yield from chunk


def safe_cell(value) -> str:
    """A cell as text that no spreadsheet runs: a would-be formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() hands back what it was given (Django's CSV recipe)."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The header and each row as one CSV line, every cell made safe for spreadsheets."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def download(pieces: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    """A streamed download; the team and the public get different bodies at one URL."""
    response = StreamingHttpResponse(pieces, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Vary"] = "Cookie"
    return response
