"""vendoreval: score AI vendors' claims against evidence-based rubrics, offline."""

__version__ = "0.1.0"
