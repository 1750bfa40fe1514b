"""backup / restore: the whole wiki, history included, round-trips into an empty database."""

import hashlib
import json
import zipfile
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.test import override_settings

from sources.models import Citation, Source
from sources.services import source_save
from tests.factories import SourceFactory
from wiki.backup import backed_up_models, left_out_reason
from wiki.demo.loader import demo_accounts_ensure, demo_load
from wiki.models import Actor, Event, Faction, Membership
from wiki.services import page_delete, page_save, relation_save

PASSWORD = "a demo password nobody guesses"
NATURAL = (ContentType, Permission)


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every backed-up table, ids of content types and permissions as names."""
    names = {
        model: {obj.pk: obj.natural_key() for obj in model.objects.select_related()}
        for model in NATURAL
    }
    tables = {}
    for model in backed_up_models():
        columns = [f for f in model._meta.concrete_fields if f.name != "password"]
        rows = {}
        for values in model._base_manager.values_list(*(f.attname for f in columns)):
            row = {}
            for f, value in zip(columns, values, strict=True):
                natural = f.is_relation and f.related_model in NATURAL and value is not None
                row[f.name] = names[f.related_model][value] if natural else value
            rows[row[model._meta.pk.name]] = row
        tables[model._meta.label_lower] = rows
    return tables


def edit_the_demo():
    """Revisions by two people with reasons, tag changes, an upload, a deletion, an admin log."""
    editor, curator = User.objects.get(username="editor"), User.objects.get(username="curator")
    actor = Actor.objects.order_by("pk").first()
    for n, tags in enumerate((["commander", "panjshir"], ["commander"]), start=1):
        actor.summary = f"Summary, revision {n}."
        page_save(page=actor, user=editor, change_reason=f"Edit {n}", tags=tags)
    faction = Faction.objects.order_by("pk").first()
    page_save(page=faction, body=faction.body + "\nAn unsourced line.\n", user=curator, tags=[])
    membership = Membership.objects.order_by("pk").first()
    membership.end = "2001"
    relation_save(relation=membership, user=curator, change_reason="Ended")
    source = Source.objects.order_by("pk").first()
    for n in (1, 2):  # the old file stays in MEDIA_ROOT and in history
        source.original.save(f"scan-{n}.txt", ContentFile(f"scan {n}".encode()), save=False)
        source_save(source=source, user=editor, change_reason=f"Scan {n}", tags=["scanned"])
    page_delete(page=Event.objects.order_by("pk").last(), user=curator, change_reason="Dupe")
    LogEntry.objects.create(
        user=curator,
        content_type=ContentType.objects.get_for_model(Source),
        object_id=str(source.pk),
        object_repr=str(source),
        action_flag=CHANGE,
        change_message="[]",
    )
    curator.user_permissions.add(Permission.objects.get(codename="delete_source"))


def empty_the_database(media_root):
    """flush, then make content type ids differ from the ones the archive was made with."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    for n in range(7):
        ContentType.objects.create(app_label="elsewhere", model=f"model{n}")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()


@pytest.fixture(scope="class")
def round_trip(django_db_setup, django_db_blocker, tmp_path_factory):
    """The edited demo, backed up, the database emptied, and the archive restored.

    Made once for the tests of one class (loading the demo takes seconds); each test runs in
    its own transaction on top of it, and the database is flushed when the class is done.
    """
    tmp = tmp_path_factory.mktemp("backup")
    fast_hashing = override_settings(
        MEDIA_ROOT=tmp / "media", PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing:
        try:
            demo_load()
            demo_accounts_ensure(PASSWORD)
            User.objects.create_user("ayesha", "ayesha@example.org", PASSWORD, first_name="A.")
            edit_the_demo()
            before = snapshot()
            hashes = list(User.objects.values_list("password", flat=True))
            actor_type = ContentType.objects.get_for_model(Actor).pk
            archive = tmp / "attest.zip"
            backup_output = run("backup", str(archive))
            empty_the_database(settings.MEDIA_ROOT)
            assert ContentType.objects.get_for_model(Actor).pk != actor_type  # ids differ
            restore_output = run("restore", str(archive))
            yield {
                "before": before,
                "after": snapshot(),
                "archive": archive,
                "hashes": hashes,
                "media": settings.MEDIA_ROOT,
                "output": backup_output + restore_output,
            }
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
@pytest.mark.usefixtures("round_trip")
class TestRoundTrip:
    def test_every_row_of_every_table_comes_back_history_included(self, round_trip):
        before, after = round_trip["before"], round_trip["after"]
        for label in ("wiki.historicalactor", "taggit.taggeditem", "sources.citationuse"):
            assert before[label], f"{label} should have rows to compare"
        assert any(row["history_type"] == "-" for row in before["wiki.historicalevent"].values())
        reasons = {row["history_change_reason"] for row in before["wiki.historicalactor"].values()}
        assert {"Edit 1", "Edit 2"} <= reasons
        for label, rows in before.items():
            assert after[label] == rows, f"{label} differs after restore"
        assert set(after) == set(before)

    def test_uploaded_files_of_every_revision_come_back(self, round_trip):
        media = round_trip["media"]
        assert (media / "sources" / "scan-1.txt").read_text() == "scan 1"
        assert (media / "sources" / "scan-2.txt").read_text() == "scan 2"

    def test_users_have_no_password_and_no_hash_is_in_the_archive(self, round_trip):
        assert User.objects.count() == 3
        assert not any(user.has_usable_password() for user in User.objects.all())
        assert "changepassword" in round_trip["output"]
        with zipfile.ZipFile(round_trip["archive"]) as archive:
            everything = b"".join(archive.read(name) for name in archive.namelist())
        for password_hash in round_trip["hashes"]:
            assert password_hash.encode() not in everything
            assert f"{identify_hasher(password_hash).algorithm}$".encode() not in everything

    def test_the_restored_wiki_renders_saves_and_checks(self, client):
        actor = Actor.objects.published().first()
        response = client.get(actor.get_absolute_url())
        assert response.status_code == 200
        assert actor.title in response.content.decode()
        # New rows in tables whose ids came from the archive: sequences must have moved on.
        source = source_save(source=SourceFactory.build(key="new-source"), user=None, tags=["x"])
        page = page_save(
            page=Actor(title="New Actor", slug="new-actor"),
            body=f'A sentence [@{source.key} "Northern Alliance was established"].',
            user=User.objects.get(username="editor"),
            change_reason="New page",
            tags=["new"],
        )
        assert page.history.count() == 1
        assert Citation.objects.filter(source=source).count() == 1
        run("check_citations")

    def test_restore_refuses_a_database_that_is_not_empty(self, round_trip):
        before = snapshot()
        with pytest.raises(CommandError, match="not empty"):
            run("restore", str(round_trip["archive"]))
        assert snapshot() == before


# ---- refusals that need no demo ---------------------------------------------------------------


@pytest.fixture
def small_archive(tmp_path):
    """An archive of a database holding one source, and the database emptied again."""
    SourceFactory(key="only-source")
    path = tmp_path / "small.zip"
    run("backup", str(path))
    Source.objects.all().delete()
    Source.history.all().delete()
    return path


def rewrite(path, target, *, replace=None, drop=()):
    """A copy of an archive with some members replaced (or added) or left out."""
    replace = replace or {}
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            if name not in drop and name not in replace:
                copy.writestr(name, source.read(name))
        for name, content in replace.items():
            copy.writestr(name, content)
    return target


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


@pytest.mark.django_db
def test_the_manifest_names_version_migrations_and_counts(small_archive):
    manifest = manifest_of(small_archive)
    assert manifest["format"] == "attest-backup"
    assert manifest["attest_version"]
    assert "0001_initial" in manifest["migrations"]["sources"]
    assert manifest["tables"]["sources.source"]["rows"] == 1
    assert manifest["tables"]["sources.historicalsource"]["rows"] == 1


@pytest.mark.django_db
def test_the_small_archive_restores_into_the_emptied_database(small_archive):
    output = run("restore", str(small_archive))
    assert "Restore complete" in output
    assert "rebuild_search_index" not in output
    assert Source.objects.get().key == "only-source"


@pytest.mark.django_db
def test_the_archive_is_readable_by_its_owner_only(small_archive):
    assert small_archive.stat().st_mode & 0o077 == 0


@pytest.mark.django_db
def test_an_archive_from_another_kind_of_database_asks_for_a_search_rebuild(
    small_archive, tmp_path
):
    manifest = manifest_of(small_archive) | {"database": "otherdb"}
    moved = rewrite(
        small_archive, tmp_path / "moved.zip", replace={"manifest.json": json.dumps(manifest)}
    )
    output = run("restore", str(moved))
    assert "made on otherdb" in output and "rebuild_search_index" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ({"drop": ["manifest.json"]}, "not an Attest backup: it has no manifest"),
        ({"replace": {"manifest.json": b'{"format": "other"}'}}, "not an Attest backup"),
        ({"replace": {"manifest.json": b"{not json"}}, "manifest.json cannot be read"),
        (
            {"replace": {"manifest.json": b'{"format": "attest-backup", "format_version": 1}'}},
            "lacks row counts or checksums",
        ),
        ({"replace": {"data/sources.source.jsonl": b'{"id": 1}\n'}}, "does not match its checksum"),
        ({"drop": ["data/wiki.actor.jsonl"]}, "data/wiki.actor.jsonl is missing"),
    ],
)
def test_restore_refuses_a_damaged_or_foreign_archive(small_archive, tmp_path, damage, message):
    damaged = rewrite(small_archive, tmp_path / "damaged.zip", **damage)
    with pytest.raises(CommandError, match=message):
        run("restore", str(damaged))
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_restore_refuses_a_file_outside_the_media_folder(small_archive, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    manifest = manifest_of(small_archive)
    content = b"not for outside"
    manifest["media"]["../outside.txt"] = {"sha256": hashlib.sha256(content).hexdigest()}
    replace = {"manifest.json": json.dumps(manifest), "media/../outside.txt": content}
    hostile = rewrite(small_archive, tmp_path / "hostile.zip", replace=replace)
    with pytest.raises(CommandError, match="outside the media folder"):
        run("restore", str(hostile))
    assert not (tmp_path / "outside.txt").exists()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_no_archive(tmp_path):
    path = tmp_path / "notes.zip"
    path.write_text("just some notes")
    with pytest.raises(CommandError, match="not an Attest backup"):
        run("restore", str(path))


@pytest.mark.django_db
def test_restore_refuses_an_archive_of_another_migration_state(small_archive, tmp_path):
    manifest = manifest_of(small_archive)
    manifest["migrations"]["wiki"].append("9999_from_the_future")
    newer = rewrite(
        small_archive, tmp_path / "newer.zip", replace={"manifest.json": json.dumps(manifest)}
    )
    with pytest.raises(CommandError, match="migration state.*9999_from_the_future"):
        run("restore", str(newer))
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_backup_does_not_overwrite_a_file_unless_told(small_archive):
    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(small_archive))
    run("backup", str(small_archive), "--overwrite")
    assert manifest_of(small_archive)["tables"]["sources.source"]["rows"] == 0


def test_every_model_is_backed_up_or_left_out_for_a_reason():
    covered = set(backed_up_models())
    unclassified = [
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model not in covered and not left_out_reason(model)
    ]
    assert unclassified == []
    for app_label in ("sources", "wiki", "taggit"):
        assert set(apps.get_app_config(app_label).get_models(include_auto_created=True)) <= covered
    assert {User, User.groups.through, Source.history.model, LogEntry} <= covered
    assert not covered & {ContentType, Permission}
