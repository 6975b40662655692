"""`python -m kompetanse` is the `kompetanse` command."""

import sys

from kompetanse.cli import main

sys.exit(main())
