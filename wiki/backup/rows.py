"""One table row as plain JSON and back, for backups: every concrete column, nothing else.

Values are written in the forms Django's own fields read back with to_python(): ISO dates with
their full precision (Django's JSON encoder would cut microseconds, and history dates need
them), decimals as strings. Foreign keys to content types and permissions are written as natural
keys, since their ids belong to one database; every other foreign key keeps its id.
"""

import datetime
import io
import json
import uuid
from decimal import Decimal
from itertools import islice

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models

NATURAL_KEY_MODELS = ("contenttypes.contenttype", "auth.permission")
ROWS_PER_BATCH = 500


class RowError(Exception):
    """A row that does not fit this database's table."""


def _secret_fields(model) -> set[str]:
    """Columns never written to an archive."""
    return {"password"} if model is get_user_model() else set()


def _columns(model) -> list:
    # Generated columns are computed by the database and cannot be inserted.
    return [f for f in model._meta.concrete_fields if not f.generated]


def _natural_key_model(field) -> str | None:
    if not field.is_relation:
        return None
    label = field.related_model._meta.label_lower
    return label if label in NATURAL_KEY_MODELS else None


def _natural_keys(label: str) -> dict:
    """Every row of a small made-by-migrate table: id -> natural key (as a list)."""
    model = apps.get_model(label)
    return {obj.pk: list(obj.natural_key()) for obj in model._base_manager.select_related()}


def _plain(field, obj):
    value = field.value_from_object(obj)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(field, models.JSONField):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    # Files (their name), durations, binary data (base64): the field's own text form.
    return field.value_to_string(obj)


class RowEncoder:
    """Turns rows of one model into dicts keyed by field name."""

    def __init__(self, model):
        secret = _secret_fields(model)
        self.columns = [f for f in _columns(model) if f.name not in secret]
        self.keys = {
            label: _natural_keys(label) for f in self.columns if (label := _natural_key_model(f))
        }

    def encode(self, obj) -> dict:
        row = {}
        for f in self.columns:
            label = _natural_key_model(f)
            if label is None:
                row[f.name] = _plain(f, obj)
            else:
                value = getattr(obj, f.attname)
                row[f.name] = None if value is None else self.keys[label][value]
        return row


class RowDecoder:
    """Turns dicts written by RowEncoder back into unsaved instances of one model."""

    def __init__(self, model):
        self.model = model
        self.secret = _secret_fields(model)
        self.columns = _columns(model)
        self.expected = {f.name for f in self.columns} - self.secret
        self.ids = {
            label: {tuple(key): pk for pk, key in _natural_keys(label).items()}
            for f in self.columns
            if (label := _natural_key_model(f))
        }

    def decode(self, row: dict):
        if not isinstance(row, dict) or set(row) != self.expected:
            found = sorted(row) if isinstance(row, dict) else type(row).__name__
            raise RowError(
                f"a {self.model._meta.label_lower} row has the fields {found}, "
                f"expected {sorted(self.expected)}"
            )
        values = {}
        for f in self.columns:
            if f.name in self.secret:
                # An unusable password: the person sets a new one (manage.py changepassword).
                values[f.attname] = make_password(None)
                continue
            values[f.attname] = self._value(f, row[f.name])
        return self.model(**values)

    def _value(self, f, value):
        label = _natural_key_model(f)
        if label is None or value is None:
            try:
                return f.to_python(value)
            except Exception as error:
                raise RowError(
                    f"{self.model._meta.label_lower}.{f.name} cannot hold {value!r}: {error}"
                ) from None
        try:
            return self.ids[label][tuple(value)]
        except (KeyError, TypeError):
            raise RowError(
                f"{self.model._meta.label_lower}.{f.name} names {value!r}, "
                f"which this database does not have"
            ) from None


def batches(member, decoder: RowDecoder):
    """Decoded instances from a JSON Lines member, a few hundred at a time."""
    lines = enumerate(io.TextIOWrapper(member, encoding="utf-8"), start=1)
    while chunk := list(islice(lines, ROWS_PER_BATCH)):
        batch = []
        for number, line in chunk:
            try:
                row = json.loads(line)
            except ValueError as error:
                label = decoder.model._meta.label_lower
                raise RowError(f"line {number} of {label}: {error}") from None
            batch.append(decoder.decode(row))
        yield batch


def insert(model, objs: list) -> None:
    """Insert rows exactly as given: their ids, their dates, no signals.

    QuerySet._insert is what Model.save() and bulk_create() call underneath; raw=True keeps
    auto_now dates as archived, and no signal fires, so nothing records history or rebuilds
    an index while history and indexes are being restored.
    """
    columns = _columns(model)
    size = max(1, connection.ops.bulk_batch_size(columns, objs))
    for start in range(0, len(objs), size):
        model._base_manager._insert(objs[start : start + size], fields=columns, raw=True)


def media_names(models_) -> list[str]:
    """Names of the uploaded files the rows refer to, now or in an old revision."""
    names = set()
    for model in models_:
        tracked = getattr(model, "instance_type", model)  # history rows copy their model's
        own = {f.name for f in model._meta.concrete_fields}
        file_fields = [
            f.name
            for f in tracked._meta.concrete_fields
            if isinstance(f, models.FileField) and f.name in own
        ]
        for name in file_fields:
            names.update(model._base_manager.exclude(**{name: ""}).values_list(name, flat=True))
    names.discard(None)
    return sorted(names)
