"""Gathering input from the units: forms, collection, stakeholder ratings, pairwise weights."""
