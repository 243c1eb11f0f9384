"""Rendering check results for people and for tools."""
