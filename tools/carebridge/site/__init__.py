"""Stage 4, the site: each protocol localized for one language, rendered to pages, and the
MkDocs plugin that builds one site per language."""
