"""Site features readers see: responses, reading time, related essays."""
