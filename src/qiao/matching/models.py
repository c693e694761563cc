"""Models of the matching domain."""
