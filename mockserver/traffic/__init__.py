"""Real vendor traffic: recorded through a proxy (`mockserver record`), kept as JSON lines with
every credential redacted before it reaches the disk."""
