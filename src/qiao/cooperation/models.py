"""Models of the cooperation domain."""
