"""Steward's local settings plus the naive baseline views the benchmark compares against."""

from pathlib import Path
from typing import cast

from steward.config.settings.local import *  # noqa: F403
from steward.config.settings.local import TEMPLATES

BENCH_DIR = Path(__file__).resolve().parent

ROOT_URLCONF = "bench.urls"
DEBUG = False
TEMPLATES[0]["DIRS"] = [*cast(list[Path], TEMPLATES[0]["DIRS"]), BENCH_DIR / "templates"]
