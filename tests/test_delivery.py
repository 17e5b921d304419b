"""Delivery gates: what a deployment relies on, checked on every `make test`.

Production settings are exercised in subprocesses (settings are read once per process),
the compose file is checked structurally (no Docker engine needed), and the translation
catalogues must be complete in French with their compiled .mo in sync.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker" / "compose.yaml"
APP_ENV = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
APP_ENV |= {"EMAIL_URL"}


def manage(*args: str, env: dict[str, str], tmp_path: Path):
    # A clean environment: nothing from the developer's shell or the test settings
    # (DATABASE_URL, DEBUG…) may leak into what production would see.
    base = {
        key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ
    }
    base |= {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=tmp_path,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ptce.example.org",
        "SITE_URL": "https://ptce.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_declares_the_production_services(compose):
    services = compose["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["db"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:7")
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "/sante/" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_runs_the_web_worker_and_beat_with_their_settings(compose):
    services = compose["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi"]
    assert "3" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat
    for name in ("web", "worker", "beat"):
        assert APP_ENV <= set(services[name]["environment"]), name
    # Only the web service migrates, so replicas of the worker never race on it.
    assert services["web"]["environment"]["MIGRATE_ON_START"] == "1"
    assert "MIGRATE_ON_START" not in services["worker"]["environment"]
    assert {"media", "pgdata"} <= set(compose["volumes"])


def test_dockerfile_runs_as_a_non_root_user():
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    users = [
        line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")
    ]
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic" in dockerfile
    assert os.access(ROOT / "docker" / "entrypoint.sh", os.X_OK)


def test_deploy_checks_are_clean_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(tmp_path),
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_no_model_change_lacks_a_migration(tmp_path):
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite3'}"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def catalogues() -> list[Path]:
    found = list((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
    found += (ROOT / "platform").glob("*/locale/*/LC_MESSAGES/django.po")
    return sorted(found)


def test_there_are_catalogues_for_the_project_and_in_french():
    paths = catalogues()
    assert ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po" in paths
    assert all(
        (path.parents[2] / "en" / "LC_MESSAGES" / "django.po").exists()
        for path in paths
    )


@pytest.mark.parametrize(
    "po_path",
    [p for p in catalogues() if p.parts[-3] == "fr"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_french_catalogue_is_complete(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, (
        f"untranslated in {po_path.relative_to(ROOT)}: {untranslated}"
    )
    assert not fuzzy, f"fuzzy in {po_path.relative_to(ROOT)}: {fuzzy}"


def _translations(entries) -> dict[tuple, object]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in entries
        if entry.msgid
    }


@pytest.mark.parametrize(
    "po_path", catalogues(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} missing: run make messages"
    source = polib.pofile(str(po_path))
    compiled = polib.mofile(str(mo_path))
    expected = _translations(source.translated_entries())
    actual = _translations(compiled)
    # Plural translations come back from polib as {index: text} on both sides.
    assert actual == {
        key: (
            {int(k): v for k, v in value.items()} if isinstance(value, dict) else value
        )
        for key, value in expected.items()
    }, f"{mo_path.relative_to(ROOT)} is stale: run make messages"


def test_readme_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "platform" / "config" / "settings.py").read_text()
    names = set(
        re.findall(
            r"""\.(?:str|bool|int|list|db|email_url)\(\s*["']([A-Z_]+)["']""",
            settings_source,
        )
    )
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "VAR_DIR"} <= names
    readme = (ROOT / "README.md").read_text()
    undocumented = sorted(name for name in names if f"| `{name}` |" not in readme)
    assert not undocumented, f"add to the README's settings table: {undocumented}"


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_section = readme.split("\n## ")[1]
    assert first_section.startswith("Démarrage")
    assert "make run" in first_section and "make test" in first_section
