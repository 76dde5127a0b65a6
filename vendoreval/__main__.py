"""python -m vendoreval."""

import sys

from .cli import main

sys.exit(main())
