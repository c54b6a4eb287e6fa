"""Participatory texts: a draft opened paragraph by paragraph to amendments, answered, then adopted."""
