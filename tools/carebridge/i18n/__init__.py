"""Stage 3, translation: messages extracted from protocols, catalogs merged and read, the
safety checks run over catalogs, and the provenance of each translation."""
