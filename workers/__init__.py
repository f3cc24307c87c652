"""Background jobs (arq). Jobs call the same domain services as the API."""
