"""The embedded default: one machine, SQLite in the data folder, plain HTTP on loopback.

This is what `make demo` and a bare `steward` command use. A development secret is generated
into the data folder on first run, so nothing secret lives in the repository.
"""

from steward.config.datadir import development_secret_key
from steward.config.settings.base import *

SECRET_KEY = SECRET_KEY or development_secret_key(DATA_DIR)
