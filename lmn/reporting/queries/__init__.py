"""Queries only: every figure is computed from the withdrawals as they are now."""
