"""Pydantic models of a planning scenario (input) and of a plan (output)."""
