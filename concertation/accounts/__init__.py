"""Accounts: sign-up, sign-in, profile, personal data."""
