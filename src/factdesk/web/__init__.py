"""The web desk and its JSON API (``factdesk serve``): a thin shell over :mod:`factdesk.desk`.

``create_app(db)`` returns the FastAPI app; ``serve(db, host=..., port=...)`` runs it.
"""

from __future__ import annotations

from factdesk.web.app import create_app, serve

__all__ = ["create_app", "serve"]
