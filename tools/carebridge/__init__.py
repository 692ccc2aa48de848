"""CareBridge: clinical protocols carried across languages and cultures.

Pipeline, one module per stage: ``loader`` → ``validate`` → ``model`` → ``extract`` →
``catalog`` → ``equivalence`` (translation checks) → ``localize`` → ``render`` → ``plugin``.
Only ``cli`` talks to the terminal.
"""

__version__ = "0.1.0"
