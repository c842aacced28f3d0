"""`python -m bvplan`: the same as the `bvplan` command."""

import sys

from bvplan.cli import main

if __name__ == "__main__":
    sys.exit(main())
