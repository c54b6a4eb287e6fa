"""Proposals and the organisers' answers to them."""
