"""Quality and speed benchmarks scored on public development data (``factdesk bench``)."""
