"""Results → the documents an office signs: the sentences (`narrative`), charts (`charts`), each
document's fields (`contexts`; its official details in `details`, the tables it lists in `rows`),
filling Word templates in a sandbox (`report`, `sandbox`), the result
tables and appendix (`tables`), which documents each level issues (`catalogue`), models and effective practices (`models`), PDF (`pdf`), reading
the documents back as the signer would (`doccheck`) and checking the templates analysts edit
(`template_check`, `fields_doc`); the tờ trình đề nghị khen thưởng (`rewards`) and the half-year
"1+1" review (`one_plus_one`). Member ratings (`members`) and «Công tác cán bộ» (`cadres`), contract
§6.2. Special units' table, six-month review and progress decision: `special_units`. Branch ratings
and results by kind (`kinds`), moves across scales (`periods`); registration and upkeep (`upkeep`).

Contract: in, a `Review`; out, files in one unit's folder. Imports `assessment` and below.
"""

from .catalogue import write_documents
from .doccheck import check_unit
from .pdf import to_pdf
from .report import render_docx
from .tables import write_appendix, write_tables

__all__ = ["check_unit", "render_docx", "to_pdf", "write_appendix", "write_documents", "write_tables"]
