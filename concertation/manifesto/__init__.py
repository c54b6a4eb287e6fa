"""The shared manifesto: points, versions, sources, endorsements, suggestions."""
