"""Commitments: what a territory undertakes after a consultation, followed publicly until it is realised."""
