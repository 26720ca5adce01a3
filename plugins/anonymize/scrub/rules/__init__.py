"""Rule tables as data: each `*.toml` file here is one table.

The scrubber and the audit both read these tables, and nothing else of each
other's, so a mistake in one code path is caught by the other.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).parent


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed table `rules/<name>.toml`."""
    with open(RULES_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)
