"""`python -m mockserver run ...`"""

import sys

from .cli import main

sys.exit(main())
