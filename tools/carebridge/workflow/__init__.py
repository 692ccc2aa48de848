"""Editors' commands that change the library: scaffold a protocol, bump its version, check
that a change moved the version."""
