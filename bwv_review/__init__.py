"""bwv-review: body-worn-video review for community scrutiny panels of police powers."""

from typing import Any


def __getattr__(name: str) -> Any:
    # __version__ is read from the installed metadata on first use (the About box, crash
    # reports, --version): importlib.metadata is a tenth of the imports before the first
    # window, which does not show the version.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bwv-review")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"
