"""Sign-in with FranceConnect (citizens) and ProConnect (agents), through OpenID Connect."""
