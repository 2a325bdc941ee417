"""Code the Python test suites share (tests/reliability, tests/fuzz): see harness.py."""
