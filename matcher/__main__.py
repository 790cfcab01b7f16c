"""`python -m matcher` is the `matcher` command."""

from matcher.cli import main

main()
