"""Results → the documents an office signs: the sentences (`narrative`), charts (`charts`), each
document's fields (`contexts`; its official details in `details`, the tables it lists in `rows`),
filling Word templates in a sandbox (`report`, `sandbox`), the result
tables and appendix (`tables`), which documents each level issues (`catalogue`), PDF (`pdf`), reading
the documents back as the signer would (`doccheck`) and checking the templates analysts edit
(`template_check`, `fields_doc`).
What the reports say about member ratings: `members`.

Contract: in, a `Review`; out, files in one unit's folder. Imports `assessment` and below.
"""

from .catalogue import write_documents
from .doccheck import check_unit
from .pdf import to_pdf
from .report import render_docx
from .tables import write_appendix, write_tables

__all__ = ["check_unit", "render_docx", "to_pdf", "write_appendix", "write_documents", "write_tables"]
