"""Members: registration, authentication, collèges, comité memberships and roles."""
