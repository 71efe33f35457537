"""Reminders: the pure plan of which reminder requests a log save sends."""
