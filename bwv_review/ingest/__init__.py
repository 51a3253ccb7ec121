"""Bringing outside data in: public records, force manifests and footage."""
