"""Import and export: workspace files, CSV/XLSX, FMTI matrices, signed bundles."""


class ExchangeError(Exception):
    """A file that cannot be imported or written; the message names the file, line or field and reason."""
