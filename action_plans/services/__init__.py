"""Writes of local action plans, one function per use case; the workflow is in ..workflow."""
