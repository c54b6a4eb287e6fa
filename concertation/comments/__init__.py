"""Comments: threaded, with a stance, under proposals."""
