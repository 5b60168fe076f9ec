"""Placeholder while the page is written."""

from __future__ import annotations

import streamlit as st

ROLES = ("admin", "lead", "reviewer", "trainer", "agent")


def render() -> None:
    st.title("…")
