#!/usr/bin/env python
from pctp.cli import main

if __name__ == "__main__":
    main()
