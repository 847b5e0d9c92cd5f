"""Québec skilled-worker program finder: NOC data, matching, program rules (no Streamlit here)."""
