"""Back up the whole wiki into one zip archive, and restore such an archive into an empty database.

The archive holds manifest.json (format, Attest version, migration state, row counts and a
checksum of every member), one JSON Lines file per table under data/, and the uploaded files
under media/. Tables are found through the app registry, so a model added to a backed-up app is
included without a change here; tests/wiki/backup/test_archive.py fails for a model of any other
app until it is classified in manifest.py.

Primary keys are kept (URLs such as /sources/<key>/#c<citation id> depend on them). Content types
and permissions are written as natural keys, because their ids differ between databases and
generic relations (citation uses, names, page links, tagged items) hold content type ids.
Password hashes are never written: restored users get unusable passwords.

manifest.py says what an archive holds and names its members; archive.py writes an archive,
restore.py reads one back, and rows.py turns one table row into JSON and back.
"""

from wiki.backup.archive import backup_create
from wiki.backup.manifest import BackupError, backed_up_models, left_out_reason
from wiki.backup.restore import RestoreReport, backup_restore

__all__ = [
    "BackupError",
    "RestoreReport",
    "backed_up_models",
    "backup_create",
    "backup_restore",
    "left_out_reason",
]
