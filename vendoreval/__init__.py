"""vendoreval: score AI vendors' claims against evidence-based rubrics, offline."""

import os

__version__ = "0.1.0"

# vendoreval uses no pydantic plugins; without this pydantic scans every installed package's entry points
# when it builds its first model (tens of ms of every launch, benchmarks/bench_launch.py). Set before any
# pydantic model exists; a value set by the user wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
