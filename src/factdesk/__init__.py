"""factdesk: an offline news-verification desk."""

__version__ = "0.1.0"
