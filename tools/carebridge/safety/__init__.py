"""Stage 2, translation safety: readers for numerals, units and quantities, the glossary, and
the checks that compare a translation with its source. Pure text in, findings out."""
