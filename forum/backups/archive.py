"""Writing a backup archive, checking one, and keeping the newest of a folder.

An archive is a gzipped tar: ``database.sqlite`` or ``database.pgdump``, ``uploads/…``,
``secret_key``, then ``manifest.json`` last (each file's size and SHA-256, hashed while it is
written, so a file changed meanwhile cannot disagree with its line). It is written under a
hidden temporary name in the target folder and renamed once whole and flushed to disk: a full
disk or a crash leaves no half archive under an archive's name, only a temporary file, removed
when the error is caught.
"""
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from forum.clock import now
from forum.errors import Invalid

from . import databases

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
SECRET = "secret_key"
NAME = re.compile(r"^agora-\d{8}-\d{6}(-\d+)?\.tar\.gz$")
CHUNK = 1 << 20


@dataclass
class Manifest:
    created_at: str
    dialect: str
    revision: str | None
    database: str
    files: dict          # {name in the archive: (size, sha256)}


def instance_files():
    """(name in the archive, path) of what is saved beside the database: uploads, secret key."""
    found = []
    uploads = current_app.config["UPLOAD_DIR"]
    for root, _dirs, names in os.walk(uploads):
        for name in sorted(names):
            path = os.path.join(root, name)
            found.append((f"{UPLOADS}/{os.path.relpath(path, uploads)}", path))
    secret = os.path.join(current_app.instance_path, SECRET)
    if os.path.isfile(secret):
        found.append((SECRET, secret))
    return sorted(found)


class _Hashing:
    """A file read through, counting and hashing what the tar takes of it."""

    def __init__(self, handle):
        self.handle, self.size, self.digest = handle, 0, hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.size += len(data)
        self.digest.update(data)
        return data


def _add(tar, name, path, files):
    with open(path, "rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)
    files[name] = (hashing.size, hashing.digest.hexdigest())


def create(folder, progress=lambda name: None):
    """Write a new archive into ``folder`` and return its path; ``progress(name)`` per file."""
    os.makedirs(folder, exist_ok=True)
    moment = now()
    final = _free_name(folder, f"agora-{moment:%Y%m%d-%H%M%S}")
    partial = os.path.join(folder, f".{os.path.basename(final)}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix="agora-backup-") as staging:
            database = os.path.join(staging, databases.file_name())
            databases.snapshot(database)
            progress(databases.file_name())
            files = {}
            # Readable by its owner only: it holds the secret key and every member's data.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add(tar, databases.file_name(), database, files)
                for name, path in instance_files():
                    _add(tar, name, path, files)
                    progress(name)
                manifest = json.dumps({
                    "format": FORMAT, "created_at": moment.isoformat() + "Z", "dialect": databases.dialect(),
                    "revision": databases.revision(), "database": databases.file_name(),
                    "files": {name: {"size": size, "sha256": digest} for name, (size, digest) in files.items()},
                }, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(manifest), int(moment.timestamp())
                tar.addfile(info, io.BytesIO(manifest))
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
        os.replace(partial, final)
        _sync_folder(folder)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    return final


def _free_name(folder, stem):
    path, number = os.path.join(folder, f"{stem}.tar.gz"), 1
    while os.path.exists(path):
        number += 1
        path = os.path.join(folder, f"{stem}-{number}.tar.gz")
    return path


def _sync_folder(folder):
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _safe(name):
    parts = name.split("/")
    return not name.startswith("/") and ".." not in parts and "" not in parts and "\\" not in name


def verify(path, extract_to=None):
    """Read the whole archive and check it against its manifest; return the ``Manifest``.

    With ``extract_to``, also write its files there (what a restore loads, once all is checked).
    Raises ``Invalid`` with a French message: unreadable, truncated, altered, incomplete."""
    found = {}
    manifest = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe(member.name):
                    raise Invalid(_("L'archive contient un élément inattendu : %(name)s.", name=member.name))
                handle = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = _parse(handle.read())
                    continue
                digest, size = hashlib.sha256(), 0
                out = _open_out(extract_to, member.name)
                try:
                    for chunk in iter(lambda: handle.read(CHUNK), b""):
                        digest.update(chunk)
                        size += len(chunk)
                        if out is not None:
                            out.write(chunk)
                finally:
                    if out is not None:
                        out.close()
                found[member.name] = (size, digest.hexdigest())
            # tarfile stops at the end-of-archive blocks (or at a header it cannot read) without
            # reading gzip's trailer: read to the end so that its checksum sees every byte.
            for _chunk in iter(lambda: tar.fileobj.read(CHUNK), b""):
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise Invalid(_("L'archive est illisible ou tronquée (%(error)s).", error=error)) from error
    if manifest is None:
        raise Invalid(_("L'archive n'a pas de manifeste : elle est incomplète."))
    for name, expected in manifest.files.items():
        if name not in found:
            raise Invalid(_("Il manque à l'archive un fichier de son manifeste : %(name)s.", name=name))
        if found[name] != expected:
            raise Invalid(_("Le fichier %(name)s de l'archive a été altéré (taille ou empreinte).", name=name))
    extra = sorted(set(found) - set(manifest.files))
    if extra:
        raise Invalid(_("L'archive contient un fichier absent de son manifeste : %(name)s.", name=extra[0]))
    if manifest.database not in manifest.files:
        raise Invalid(_("L'archive ne contient pas de base de données."))
    return manifest


def _open_out(folder, name):
    if folder is None:
        return None
    target = os.path.join(folder, *name.split("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    return open(target, "wb")


def _parse(data):
    try:
        raw = json.loads(data)
        files = {name: (int(entry["size"]), str(entry["sha256"])) for name, entry in raw["files"].items()}
        if raw["format"] != FORMAT:
            raise Invalid(_("Format d'archive inconnu : %(format)s.", format=raw["format"]))
        return Manifest(raw["created_at"], raw["dialect"], raw.get("revision"), raw["database"], files)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Invalid(_("Le manifeste de l'archive est illisible.")) from error


def prune(folder, keep):
    """Delete the oldest archives of ``folder`` beyond the ``keep`` newest; return those deleted."""
    names = sorted((name for name in os.listdir(folder) if NAME.match(name)), key=_sort_key)
    gone = names[:-keep] if keep > 0 else []
    for name in gone:
        os.remove(os.path.join(folder, name))
    return gone


def _sort_key(name):
    stem = name[len("agora-"):-len(".tar.gz")]
    return stem[:15], int(stem[16:] or 1)      # "20261207-130335" and the "-2" of a second one


def copy_tree(source, target):
    """Copy the files of ``source`` into ``target`` (created), keeping what is there."""
    for root, _dirs, names in os.walk(source):
        for name in names:
            path = os.path.join(root, name)
            destination = os.path.join(target, os.path.relpath(path, source))
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.copyfile(path, destination)
