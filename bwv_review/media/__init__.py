"""The only code that touches libvlc; it serves the ui."""
