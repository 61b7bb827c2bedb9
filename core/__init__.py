"""CRS Bedside's core: records, rules, the fold, storage and services. It never imports Qt (tests/test_layers.py)."""

import os

# No third-party pydantic plugins run inside CRS Bedside: a plugin would see every record validated, and looking for
# one reads the metadata of every installed package when the first model is built (about 30 ms of each start-up).
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
