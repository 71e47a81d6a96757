"""Readers for outside formats, one module each."""
