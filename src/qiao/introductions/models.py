"""Models of the introductions domain."""
