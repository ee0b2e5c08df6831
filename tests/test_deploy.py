"""The files of deploy/ as shipped: the example environment names every setting, the systemd
units pass `systemd-analyze verify` (their paths rewritten to this checkout), and the scheduled
work they start runs every task against a real instance."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from forum.config import SETTINGS

from .conftest import REQUIRE_SERVICES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
SYSTEMD = os.path.join(DEPLOY, "systemd")


def test_the_example_environment_names_every_setting_once():
    with open(os.path.join(DEPLOY, "agora.env.example")) as handle:
        named = re.findall(r"^#?FORUM_([A-Z0-9_]+)=", handle.read(), flags=re.M)
    assert sorted(named) == sorted(SETTINGS)
    with open(os.path.join(DEPLOY, "agora.env.example")) as handle:
        active = dict(line.strip().split("=", 1) for line in handle if line.startswith("FORUM_"))
    # What production needs is set, not left to a default made for one machine.
    for name in ("FORUM_SECRET_KEY", "FORUM_DATABASE_URL", "FORUM_REDIS_URL", "FORUM_PROXY_COUNT",
                 "FORUM_SMTP_URL", "FORUM_SERVER_NAME", "FORUM_INSTANCE_PATH"):
        assert active.get(name), name


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if REQUIRE_SERVICES:
            pytest.fail("systemd-analyze is missing (package systemd)")
        pytest.skip("systemd-analyze is missing (package systemd)")
    (tmp_path / "agora.env").write_text("FORUM_LOG_FORMAT=json\n")
    units = sorted(name for name in os.listdir(SYSTEMD) if name.endswith((".service", ".timer")))
    assert {"agora-web.service", "agora-tasks@.service", "agora-tasks-frequent.timer",
            "agora-tasks-hourly.timer", "agora-tasks-daily.timer"} <= set(units)
    for name in units:
        with open(os.path.join(SYSTEMD, name)) as handle:
            text = handle.read()
        for old, new in (("/srv/agora", ROOT), ("/etc/agora/agora.env", str(tmp_path / "agora.env")),
                         ("/var/lib/agora", str(tmp_path))):
            text = text.replace(old, new)
        (tmp_path / name).write_text(text)
    # The timers name instances of the template: verify them with the instance they start.
    for frequency in ("frequent", "hourly", "daily"):
        shutil.copyfile(tmp_path / "agora-tasks@.service", tmp_path / f"agora-tasks@{frequency}.service")
    checked = [str(tmp_path / name) for name in units if name != "agora-tasks@.service"] + \
              [str(tmp_path / f"agora-tasks@{frequency}.service") for frequency in ("frequent", "hourly", "daily")]
    done = subprocess.run([analyze, "verify", "--man=no", *checked], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_scheduled_work_runs_every_task(app, tmp_path):
    env = dict(os.environ, FORUM_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               FORUM_INSTANCE_PATH=str(tmp_path / "instance"), FORUM_SECRET_KEY="x" * 40,
               FORUM_BACKUP_DIR=str(tmp_path / "backups"), FORUM_NOTIFICATION_EMAIL_THREAD="false",
               AGORA_VENV=os.path.dirname(os.path.dirname(sys.executable)))     # the tests' own
    script = os.path.join(SYSTEMD, "agora-tasks")
    for frequency, tasks in (("frequent", ["notifications send-emails", "decisions close-due", "decisions remind",
                                           "meetings remind", "webhooks deliver"]),
                             ("hourly", ["moderation escalate-reports", "digest send"]),
                             ("daily", ["accounts purge", "moderation purge-redactions", "backup create"])):
        done = subprocess.run([script, frequency], capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        assert re.findall(r"^agora-tasks: flask (.+)$", done.stdout, flags=re.M) == tasks
    assert len(os.listdir(tmp_path / "backups")) == 1          # the nightly backup was written
    wrong = subprocess.run([script, "weekly"], capture_output=True, text=True, env=env)
    assert wrong.returncode == 2 and "usage" in wrong.stderr
