"""The HTML templates of ``report.html`` (package data, read by :mod:`topics.report`)."""
