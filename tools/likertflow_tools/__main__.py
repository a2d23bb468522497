"""``python -m likertflow_tools``: the ``likertflow`` command."""

import sys

from likertflow_tools.cli import main

sys.exit(main())
