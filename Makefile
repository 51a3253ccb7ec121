# bwv-review: `make run` to use the app, `make test` to check it. Both install what is
# missing first: Debian/Ubuntu packages when run as root (otherwise the exact apt command is
# printed and nothing else happens), then a virtualenv in .venv with the package in it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

# libvlc: libvlc5 alone makes vlc.Instance() return None; vlc-plugin-video-output is needed
# for a picture in a window; libvlc-bin builds the plugin cache (Instance() 12 ms, not 110).
# Qt 6.5+ will not load its xcb plugin without libxcb-cursor0.
RUN_APT := libvlc5 libvlc-bin vlc-plugin-base vlc-plugin-video-output \
	libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 libx11-xcb1 \
	libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
	libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 \
	libxcb-xinerama0 libxcb-xkb1 libxrandr2 libpulse0 fonts-dejavu-core
# Tests: a virtual X server for the real-window test, ffmpeg to make test clips, poppler to
# read and render PDFs, x11-utils (xwininfo) to see that a window mapped and xdotool to
# type into it as a person would; sqlite3 for the import benchmark's baseline. The
# end-to-end walk (tests/e2e) also reads the app as a screen reader does, over AT-SPI
# (a D-Bus session bus, at-spi2-core, and Debian's Python with its AT-SPI bindings), and
# photographs the screen with ImageMagick's import. faketime runs the report renderers
# under another clock, to show the same report gives the same bytes whenever it is made.
TEST_APT := xvfb xauth ffmpeg poppler-utils x11-utils xdotool sqlite3 \
	dbus-daemon at-spi2-core python3-gi gir1.2-atspi-2.0 imagemagick faketime

.PHONY: run test lint audit screenshots bench system-run system-test clean

run: system-run $(VENV)/.installed-run
	$(BIN)/bwv-review $(ARGS)

test: system-test lint
	$(BIN)/python -m pytest

# Known vulnerabilities in the installed dependencies (pip-audit). Advisories change daily,
# so this prints what it finds and never fails; `make test` does not run it.
audit: $(VENV)/.installed-test
	$(BIN)/python -m pip install -q -e '.[audit]'
	-$(BIN)/pip-audit --skip-editable

# The end-to-end walk's screenshots, kept in docs/screenshots/walk/ (`make test` runs the
# same walk and writes nothing into docs/).
screenshots: system-test $(VENV)/.installed-test
	$(BIN)/python docs/screenshots/take_walk.py

# Every benchmark in bench/ and one table of their figures (`make bench ARGS=--quick` for
# CI-sized counts); never part of `make test`, since benches time and assert nothing.
bench: system-test $(VENV)/.installed-test
	$(BIN)/python bench/run_all.py $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy bwv_review

# Installs the listed Debian packages that are missing. PostgreSQL is added for tests only
# when no pg_ctl exists; python3-venv only when this Python cannot make a virtualenv.
define ensure_apt
	@set -e; missing=""; \
	if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "Not a Debian/Ubuntu system: install the equivalents of: $(1)"; exit 0; fi; \
	for pkg in $(1); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if ! $(PYTHON) -c "import ensurepip" >/dev/null 2>&1; then missing="$$missing python3-venv"; fi; \
	if [ "$(2)" = "with-postgres" ] && ! command -v pg_ctl >/dev/null 2>&1 \
		&& ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		missing="$$missing postgresql"; fi; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing system packages:$$missing"; \
		apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "Some system packages are missing. Run this, then 'make $@' again:"; \
		echo "  sudo apt-get install -y$$missing"; \
		exit 1; \
	fi
endef

system-run:
	$(call ensure_apt,$(RUN_APT),)

system-test:
	$(call ensure_apt,$(RUN_APT) $(TEST_APT),with-postgres)

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bwv-review needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[postgres,test]'
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
