"""CRS Bedside's core: records, rules, the fold, storage and services. It never imports Qt (tests/test_layers.py)."""

import os

#: The version of CRS Bedside: the one place it is written (pyproject.toml reads it, [tool.setuptools.dynamic]). A
#: constant, so that start-up does not read package metadata (importlib.metadata pulls in the email package).
__version__ = "0.1.0"

# No third-party pydantic plugins run inside CRS Bedside: a plugin would see every record validated, and looking for
# one reads the metadata of every installed package when the first model is built (about 30 ms of each start-up).
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
