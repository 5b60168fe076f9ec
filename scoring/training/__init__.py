"""Trainers for the shipped models; placeholder registry filled in below."""

TRAINERS: dict = {}
