"""Matching: bilingual expert/demand recommendations. The engine modules are pure (no Django)."""
