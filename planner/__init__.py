"""planner: annual operational planning with an exact optimiser."""

__version__ = "0.1.0"
