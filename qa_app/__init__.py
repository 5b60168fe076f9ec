"""QA Studio: quality assurance for customer support, in Russian and English."""

__version__ = "0.1.0"
