"""How large one essay may be: a 20 MB "essay" is a mistake or an attack, and would be published as a 20 MB page.

The limit is the setting ANONYMIZE_MAX_ESSAY_BYTES; the default is far above any essay (10,000 words of Markdown
are about 60 KB) and far below what makes a build or a reader's phone stall.
"""

from __future__ import annotations

DEFAULT_MAX_ESSAY_BYTES = 1_000_000


def size_problem(size: int, limit: int | None) -> str | None:
    """Why an essay of `size` bytes is refused under `limit` (None: the default), or None."""
    limit = limit or DEFAULT_MAX_ESSAY_BYTES
    if size <= limit:
        return None
    return (f"is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.1f} MB per essay: split it, cut what is not "
            "the essay (pasted data, embedded files), or raise ANONYMIZE_MAX_ESSAY_BYTES")
