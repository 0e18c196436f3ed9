"""Reliability tests (issue 8): any text, bad files, bad configs, untrusted content."""
