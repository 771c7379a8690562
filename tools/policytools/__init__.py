"""Keep a multilingual privacy policy in sync, versioned and published."""

__version__ = "0.1.0"
