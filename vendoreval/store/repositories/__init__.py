"""One repository per aggregate of the workspace database; ``store.Store`` composes them (see its docstring)."""
