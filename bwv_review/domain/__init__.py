"""The rules of the work in plain Python: no Qt, no SQL, no libvlc."""
