"""Puts e2e/ on the import path, so every test folder can use tilbud_build (the binary and how to build)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
