"""The fold of a patient's records into their state: what it answers (types), the running fold (folder) and the
assembly of an answer (answer). The public entry points are in core/state.py."""
