"""Import and export: workspace files, CSV/XLSX, FMTI matrices, signed bundles."""


from ..errors import UserError


class ExchangeError(UserError):
    """A file that cannot be imported or written; the message names the file, line or field and reason."""
