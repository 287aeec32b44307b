"""Benchmarks run by `make bench` (benchmarks/run.py), recorded in docs/benchmarks.md."""
