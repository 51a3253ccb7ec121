"""Widgets and windows; they talk to services, never to the store."""
