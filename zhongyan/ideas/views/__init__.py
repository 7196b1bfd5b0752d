"""Pages of the ideas module: short function views over the scopes, permissions and services."""
