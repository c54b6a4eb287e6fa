"""The platform's own pages: home, terms, privacy, accessibility."""
