"""Benchmarks: seeded synthetic scenarios and runners (outside the test suite)."""
