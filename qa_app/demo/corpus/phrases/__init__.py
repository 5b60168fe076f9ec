"""Phrase banks (YAML data files) of the demo corpus."""
