"""Workshops (ateliers) of a consultation: registrations with a waiting list, minutes, contributions collected offline."""
