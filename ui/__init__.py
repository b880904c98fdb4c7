"""Streamlit-only helpers for the pages (core stays free of Streamlit). Sign-in: `ui.auth`."""
