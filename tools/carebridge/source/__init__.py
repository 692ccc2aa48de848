"""Stage 1, the source: YAML protocols read with positions, the typed model, the schema
(package data) and validation. Nothing here knows about catalogs or pages."""
