"""Moderation: reports, hiding, blocks, the audit log."""
