"""Interactions: the model, capture and corrections, auto-naming, search, and tagging."""
