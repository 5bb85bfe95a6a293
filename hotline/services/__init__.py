"""The domain: one function per use case (docs/architecture.md)."""
from . import search_terms  # noqa: F401  (keeps every ticket's search words filled, whoever writes the ticket)
