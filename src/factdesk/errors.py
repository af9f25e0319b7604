"""Expected failures, one hierarchy. Each class has a stable ``code`` the CLI and web app share.

::

    FactdeskError
    ├── ConfigError
    ├── PipelineConfigError
    ├── IngestError
    │   ├── FetchError          (network: timeout, HTTP status, too large)
    │   │   └── BlockedURLError (private, loopback, link-local or non-http target: no SSRF)
    │   ├── ExtractError        (could not get text out: empty, binary, malformed)
    │   └── TooLargeError       (over the size limit)
    ├── ModelError              (the spaCy model is not installed)
    ├── StorageError
    └── NotFound

Messages name the bad input and what to do about it.
"""

from __future__ import annotations


class FactdeskError(Exception):
    """Base for expected failures: the CLI exits 1, the web app returns a JSON error."""

    code = "factdesk-error"


class ConfigError(FactdeskError):
    """A setting is invalid; the message names the file and key path."""

    code = "config-error"


class PipelineConfigError(FactdeskError):
    """Pipeline stages are unknown, mis-ordered or mis-configured."""

    code = "pipeline-config-error"


class IngestError(FactdeskError):
    """An input could not be read into a document."""

    code = "ingest-error"


class FetchError(IngestError):
    """A URL could not be fetched (timeout, HTTP error status, connection failure)."""

    code = "fetch-error"


class BlockedURLError(FetchError):
    """A URL was refused before connecting: non-http(s), or resolves to a non-public address."""

    code = "blocked-url"


class ExtractError(IngestError):
    """No usable text could be extracted (empty, binary, malformed, undecodable)."""

    code = "extract-error"


class TooLargeError(IngestError):
    """The input exceeds the configured size limit."""

    code = "too-large"


class ModelError(FactdeskError):
    """The NLP model is missing or cannot be loaded."""

    code = "model-error"


class StorageError(FactdeskError):
    """The store could not be opened, migrated or written."""

    code = "storage-error"


class NotFound(FactdeskError):
    """A document, claim or story id does not exist in the store."""

    code = "not-found"
