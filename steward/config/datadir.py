"""Where Steward keeps its files when nothing else is configured."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def data_dir(configured: str) -> Path:
    """Return the data folder, creating it: STEWARD_DATA_DIR, else the user's data home."""
    if configured:
        path = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "steward"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def development_secret_key(folder: Path) -> str:
    """Read the development secret from the data folder, generating it on first run."""
    key_file = folder / "secret_key"
    if not key_file.exists():
        # Several server processes may start at once: write a private temporary file, then
        # link it into place, which succeeds for exactly one of them.
        temporary = folder / f".secret_key.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return key_file.read_text().strip()
