"""python -m tongket"""

from .cli import main

main()
