import sys

from papiers.cli import main

sys.exit(main())
