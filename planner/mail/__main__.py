import sys

from .sender import main

sys.exit(main())
