"""Models of the notifications domain."""
