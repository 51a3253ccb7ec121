"""bwv-review: body-worn-video review for community scrutiny panels of police powers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bwv-review")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
