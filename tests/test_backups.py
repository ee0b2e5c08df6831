"""Backups that restore (forum/backups/): an archive of the demo restored into an empty
instance holds every row and file; a damaged archive is refused before anything is written; a
non-empty instance is not overwritten without --force; a failed write leaves no archive; only
the newest archives stay; replies posted during a backup never lose one acknowledged before it."""
import os
import resource
import signal
import subprocess
import sys
import threading

import pytest
from sqlalchemy import inspect, select

from forum import create_app
from forum.accounts.models import Member
from forum.extensions import db
from forum.topics import posting
from forum.topics.models import Post, Space, Topic

from .conftest import PG_URL, PostgresDatabase, base_config, close_app
from .helpers import text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(app, *args):
    return app.test_cli_runner().invoke(args=["backup", *args])


def rows(app):
    """Every row of every table, as text (the restore must give the same)."""
    with app.app_context():
        return {table.name: sorted(tuple(str(value) for value in row)
                                   for row in db.session.execute(select(table)).all())
                for table in db.metadata.sorted_tables}


def files(folder):
    found = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = handle.read()
    return found


@pytest.fixture
def empty_target(backend, tmp_path):
    """An app on an empty database (no tables) and an empty instance folder."""
    made = []

    def build():
        if backend == "sqlite":
            url, database = f"sqlite:///{tmp_path / f'target-{len(made)}.db'}", None
        else:
            database = PostgresDatabase(PG_URL)
            database.create()
            url = database.url
        app = create_app(base_config(tmp_path / f"target-instance-{len(made)}", url))
        made.append((app, database))
        return app

    yield build
    for app, database in made:
        close_app(app)
        if database is not None:
            database.drop()


def archive_of(app, folder):
    result = run(app, "create", "--to", str(folder))
    assert result.exit_code == 0, result.output
    archives = [name for name in os.listdir(folder) if name.endswith(".tar.gz")]
    assert len(archives) == 1 and "Sauvegarde" in result.output
    return os.path.join(folder, archives[0])


def with_upload(app):
    """An uploaded file in the instance (as the attachment pipeline leaves them)."""
    folder = os.path.join(app.config["UPLOAD_DIR"], "ab")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "compte-rendu.pdf"), "wb") as handle:
        handle.write(b"%PDF-1.7 compte rendu de la pleniere " + os.urandom(3000))


def test_the_demo_restored_into_an_empty_instance_holds_every_row_and_file(demo_app, empty_target, tmp_path):
    with_upload(demo_app)
    # The key `make run` generates when FORUM_SECRET_KEY is not set (tests set it).
    with open(os.path.join(demo_app.instance_path, "secret_key"), "w") as handle:
        handle.write("une-clé-d-instance-générée")
    path = archive_of(demo_app, tmp_path / "archives")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"      # it holds the secret key
    verified = run(demo_app, "verify", path)
    assert verified.exit_code == 0 and "Archive intègre" in verified.output, verified.output

    target = empty_target()
    restored = run(target, "restore", path)
    assert restored.exit_code == 0, restored.output
    assert rows(target) == rows(demo_app)
    assert files(target.config["UPLOAD_DIR"]) == files(demo_app.config["UPLOAD_DIR"]) != {}
    with open(os.path.join(demo_app.instance_path, "secret_key")) as source, \
            open(os.path.join(target.instance_path, "secret_key")) as copy:
        assert source.read() == copy.read()
    # The search index was rebuilt from the restored database (it is never saved).
    again = create_app(base_config(target.instance_path, target.config["SQLALCHEMY_DATABASE_URI"]))
    try:
        with again.app_context():
            title = db.session.scalars(select(Topic.title).join(Space).where(Space.visibility == "public")
                                       .order_by(Topic.id)).first()
        page = again.test_client().get("/recherche", query_string={"q": title.split()[0]})
        assert page.status_code == 200
        assert "1 message trouvé" in text(page) and "<mark>" in text(page)
    finally:
        close_app(again)


def damaged(path, how, where=0.5):
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    if how == "truncated":
        data = data[: len(data) * 2 // 3]
    else:
        data[int(len(data) * where)] ^= 0xFF
    broken = f"{path}.{how}-{where}.tar.gz"
    with open(broken, "wb") as handle:
        handle.write(bytes(data))
    return broken


# Every refusal of a damaged archive is one of these French messages (never a traceback).
REFUSALS = ("illisible ou tronquée", "altéré", "élément inattendu", "n'a pas de manifeste",
            "Il manque à l'archive", "absent de son manifeste", "manifeste de l'archive est illisible",
            "ne contient pas de base de données", "Format d'archive inconnu")


@pytest.mark.parametrize("how", ["truncated", "altered"])
def test_a_damaged_archive_is_refused_by_verify_and_by_restore_before_anything_is_written(
        demo_app, empty_target, tmp_path, how):
    with_upload(demo_app)
    archive = archive_of(demo_app, tmp_path / "archives")
    broken = damaged(archive, how)
    verified = run(demo_app, "verify", broken)
    assert verified.exit_code == 1
    assert any(refusal in verified.output for refusal in REFUSALS), verified.output

    target = empty_target()
    restored = run(target, "restore", broken)
    assert restored.exit_code == 1 and any(refusal in restored.output for refusal in REFUSALS), restored.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
    assert not os.path.exists(target.config["UPLOAD_DIR"])


def test_one_byte_changed_anywhere_in_the_archive_is_found(demo_app, tmp_path):
    """Past gzip's header, any changed byte is found: the gzip trailer's checksum is read even
    when tarfile stops early at a header it cannot read."""
    with_upload(demo_app)
    archive = archive_of(demo_app, tmp_path / "archives")
    for where in (0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.999):
        verified = run(demo_app, "verify", damaged(archive, "altered", where))
        assert verified.exit_code == 1, (where, verified.output)
        assert any(refusal in verified.output for refusal in REFUSALS), (where, verified.output)


def test_an_instance_with_data_is_not_overwritten_without_force(demo_app, tmp_path, forum_of_demo):
    path = archive_of(demo_app, tmp_path / "archives")
    forum_of_demo.topic_after_backup()
    refused = run(demo_app, "restore", path)
    assert refused.exit_code == 1 and "contient déjà des données" in refused.output and "--force" in refused.output
    assert forum_of_demo.has_topic_after_backup()
    forced = run(demo_app, "restore", "--force", path)
    assert forced.exit_code == 0, forced.output
    assert not forum_of_demo.has_topic_after_backup()


@pytest.fixture
def forum_of_demo(demo_app):
    class Later:
        TITLE = "Sujet écrit après la sauvegarde"

        def topic_after_backup(self):
            with demo_app.app_context():
                author = db.session.scalars(select(Member).order_by(Member.id)).first()
                space = db.session.scalars(select(Topic.space_id)).first()
                posting.start_topic(author, db.session.get(Space, space), self.TITLE, "Un texte.", [])

        def has_topic_after_backup(self):
            with demo_app.app_context():
                return db.session.scalar(select(Topic.id).where(Topic.title == self.TITLE)) is not None
    return Later()


def test_a_write_that_fails_leaves_no_archive_under_an_archives_name(demo_app, tmp_path):
    """The file size limit of the process (RLIMIT_FSIZE) makes the archive's writing fail as a
    full disk would: the command fails, and neither an archive nor its temporary file stays."""
    os.makedirs(demo_app.config["UPLOAD_DIR"], exist_ok=True)
    with open(os.path.join(demo_app.config["UPLOAD_DIR"], "gros-fichier.bin"), "wb") as handle:
        handle.write(os.urandom(3 * 1024 * 1024))       # does not compress: the archive passes 2 MiB
    folder = tmp_path / "archives"
    folder.mkdir()
    env = dict(os.environ, FORUM_DATABASE_URL=demo_app.config["SQLALCHEMY_DATABASE_URI"],
               FORUM_INSTANCE_PATH=demo_app.instance_path, FORUM_SECRET_KEY="x" * 40)

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)    # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 * 1024 * 1024, 2 * 1024 * 1024))
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "backup", "create", "--to", str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=limited)
    assert done.returncode != 0
    assert "Sauvegarde impossible" in done.stderr, done.stderr[-2000:]
    assert os.listdir(folder) == []


def test_only_the_newest_scheduled_archives_stay(app_factory, tmp_path):
    app = app_factory(BACKUP_DIR=str(tmp_path / "planned"), BACKUP_KEEP=2)
    for _ in range(3):
        assert run(app, "create").exit_code == 0
    kept = sorted(os.listdir(tmp_path / "planned"))
    assert len(kept) == 2
    # Several in one second get a number: the oldest went.
    assert all(name.startswith("agora-") for name in kept)
    third = run(app, "create")
    assert "Ancienne archive supprimée" in third.output and len(os.listdir(tmp_path / "planned")) == 2


def test_replies_posted_during_a_backup_lose_none_acknowledged_before_it(demo_app, empty_target, tmp_path):
    """The drill: replies keep coming while the archive is written. Every reply acknowledged
    (committed) before the backup began is in the restored instance, and every restored reply
    is exactly the source's."""
    with demo_app.app_context():
        topic_id = db.session.scalars(select(Topic.id).order_by(Topic.id)).first()
        author_id = db.session.scalars(select(Member.id).order_by(Member.id)).first()
    acknowledged, stop, failures = [], threading.Event(), []

    def writer():
        try:
            with demo_app.app_context():
                while not stop.is_set():
                    post = posting.reply(db.session.get(Member, author_id), db.session.get(Topic, topic_id),
                                         f"Réponse de l'exercice n° {len(acknowledged) + 1}.")
                    acknowledged.append(post.id)
        except Exception as error:          # reported below, never lost in the thread
            failures.append(error)
    thread = threading.Thread(target=writer)
    thread.start()
    while len(acknowledged) < 5 and thread.is_alive():
        stop.wait(0.01)
    before = list(acknowledged)
    path = archive_of(demo_app, tmp_path / "archives")
    stop.set()
    thread.join(30)
    assert failures == [] and len(acknowledged) > len(before)

    target = empty_target()
    assert run(target, "restore", path).exit_code == 0
    with target.app_context():
        restored = {row.id: row.source for row in db.session.execute(select(Post.id, Post.source))}
    with demo_app.app_context():
        source = {row.id: row.source for row in db.session.execute(select(Post.id, Post.source))}
    assert set(before) <= set(restored)
    assert all(source[post_id] == body for post_id, body in restored.items())


@pytest.mark.parametrize("name", ["../secret_key", "/etc/agora.env", "uploads/../../x", "uploads//x"])
def test_an_archive_naming_a_path_outside_the_instance_is_refused(app, tmp_path, name):
    """A crafted archive (a manifest that even agrees with it) never writes outside the folder a
    restore checks into: its odd name is refused before anything is extracted."""
    import hashlib
    import io
    import json
    import tarfile
    data = b"contenu"
    path = tmp_path / "crafted.tar.gz"
    manifest = json.dumps({"format": 1, "created_at": "2026-12-07T00:00:00Z", "dialect": "sqlite", "revision": None,
                           "database": "database.sqlite", "files": {
                               "database.sqlite": {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
                               name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}}}).encode()
    with tarfile.open(path, "w:gz") as tar:
        for member, content in (("database.sqlite", data), (name, data), ("manifest.json", manifest)):
            info = tarfile.TarInfo(member)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    result = run(app, "verify", str(path))
    assert result.exit_code == 1 and "élément inattendu" in result.output, result.output


def test_a_link_inside_an_archive_is_refused(app, tmp_path):
    import tarfile
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("uploads/lien")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    result = run(app, "verify", str(path))
    assert result.exit_code == 1 and "élément inattendu" in result.output
