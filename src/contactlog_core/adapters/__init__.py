"""Stores and sinks: the outside world behind the ports."""
