"""topics: a topic-modelling research toolkit.

The notebook API is re-exported here; see the README for examples.
"""

__version__ = "0.1.0"
