"""Benchmarks for the anonymizing pipeline (run with `invoke bench`)."""
