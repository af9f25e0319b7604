"""Where documents, claims and ingest runs are kept: the only code that writes SQL.

``open_store()`` picks the backend from the target: a file path (or ``":memory:"``) opens the
default SQLite store. Code that only needs to read and write records should depend on the
:class:`Store` Protocol, which a PostgreSQL backend will implement too.
"""

from __future__ import annotations

import os
import re

from factdesk.errors import StorageError
from factdesk.store.base import MIN_PREFIX, DocumentSummary, RunRecord, SearchHit, Store
from factdesk.store.sqlite import SQLiteStore

__all__ = [
    "MIN_PREFIX",
    "DocumentSummary",
    "RunRecord",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "open_store",
]

_URL_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")


def open_store(target: str | os.PathLike[str] = "factdesk.db") -> Store:
    """Open the store at ``target`` and bring its schema up to date.

    Args:
        target: a SQLite file path (created if missing; its directory must exist) or
            ``":memory:"`` for a private in-memory store. ``postgresql://`` URLs are reserved
            for the PostgreSQL backend, which does not exist yet.

    Raises:
        StorageError: the target cannot be opened, is not a factdesk database, was written by
            a newer factdesk, or names a backend that is not available.
    """
    text = os.fspath(target)
    scheme = _URL_SCHEME.match(text)
    if scheme:
        name = scheme.group("scheme").lower()
        if name in ("postgres", "postgresql") or name.startswith("postgresql+"):
            raise StorageError(
                f"The PostgreSQL backend is not available yet (asked for {name}://…). "
                "Use a SQLite file path such as factdesk.db."
            )
        raise StorageError(
            f"Unsupported store target {text!r}: give a SQLite file path (or ':memory:')."
        )
    return SQLiteStore(text)
