"""Use cases shared by the GUI and the CLI; each call is one transaction."""
