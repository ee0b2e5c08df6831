"""Restoring an archive into an instance: everything checked before anything is written.

The archive is read whole and checked against its manifest (``archive.verify``) into a
temporary folder; the target must be empty (no member, space or post, no uploaded file) unless
``force``; its database must be of the archive's kind. Only then the database is replaced and
the files copied. Stop the forum's processes first: they would keep the old database open.
"""
import os
import shutil
import tempfile

from flask import current_app
from flask_babel import gettext as _

from forum.errors import Invalid

from . import archive, databases


def uploads_present():
    for _root, _dirs, names in os.walk(current_app.config["UPLOAD_DIR"]):
        if names:
            return True
    return False


def restore(path, force=False, progress=lambda step: None):
    """Load the archive at ``path`` into this instance; returns its ``Manifest``."""
    with tempfile.TemporaryDirectory(prefix="agora-restore-") as staging:
        manifest = archive.verify(path, extract_to=staging)
        progress("verify")
        if manifest.dialect != databases.dialect():
            raise Invalid(_("Cette archive vient d'une base %(source)s ; cette instance utilise %(target)s.",
                            source=manifest.dialect, target=databases.dialect()))
        if not force and (not databases.is_empty() or uploads_present()):
            raise Invalid(_("Cette instance contient déjà des données : la restauration les remplacerait. "
                            "Restaurez dans une instance vide, ou ajoutez --force."))
        databases.load(os.path.join(staging, manifest.database))
        progress("database")
        uploads = current_app.config["UPLOAD_DIR"]
        if force and os.path.isdir(uploads):
            shutil.rmtree(uploads)
        if os.path.isdir(os.path.join(staging, archive.UPLOADS)):
            archive.copy_tree(os.path.join(staging, archive.UPLOADS), uploads)
        progress("uploads")
        secret = os.path.join(staging, archive.SECRET)
        if os.path.isfile(secret):
            target = os.path.join(current_app.instance_path, archive.SECRET)
            descriptor = os.open(f"{target}.restoring", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle, open(secret, "rb") as source:
                handle.write(source.read())
            os.replace(f"{target}.restoring", target)
        progress("secret")
    return manifest
