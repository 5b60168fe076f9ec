"""Deterministic bilingual demo corpus generator."""
