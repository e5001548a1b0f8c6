"""Common ground every step stands on: where the project's files are (`paths`), writing files
atomically and reproducibly with their hashes (`files`), every xlsx idiom (`xlsx`), Vietnamese text
done right (`vietnamese`), the exchange workbook's sheets and the result tables' columns (`schema`),
the unit tree (`units`), and the one module that touches other libraries' private interfaces
(`compat`), old public names kept for one release (`deprecated`), and every difference between
operating systems (`portable`).

Contract: imports nothing of the kit but `tongket.errors`; every other step may import it.
"""

from . import compat, deprecated, files, paths, portable, schema, units, vietnamese, xlsx

__all__ = ["compat", "deprecated", "files", "paths", "portable", "schema", "units", "vietnamese", "xlsx"]
