"""The kit reads its own documents back, as the staffer who signs them would.

Every check takes the text of one written document (a `Doc`: its paragraphs and its tables, read
back from the .docx or .xlsx by `reader`) and returns a list of `Finding` (document, rule,
offending text):

- `placeholders`: a template tag or a machine blank left (``{{``, ``{%``, ``None``, ``nan``, ``<NA>``);
- `code_words`: a code word, sheet or column name, rubric id or operator in a signed text;
- `quotes`: double quotes nested («“… “…” …”») or left open;
- `unique_names`: a name repeated in one list (a table column of units, or a list in a sentence);
- `figures`: a figure that differs from the result tables (or a printed difference that is not
  the difference of the printed figures);
- `recognised`: the decision recognises a branch or Đoàn cơ sở that does not qualify;
- `draft_state`: the decision is final while verification awaits results, or a draft when it does not.
- `programme_checks` (`rewards`): the tờ trình đề nghị khen thưởng lists exactly the units the rule
  proposes, with their year-end rating; the half-year “1+1” review's table equals the half-year figures.
- `progress_recognised` (`special`): the progress decision names a special unit the rule does not recognise.

The modules, in the order they build on each other: `finding` (what a check returns), `reader`
(a document read back; `docx_text` is the one plain text of a .docx), `words` (tags, code words,
names), `printed` (results as the documents print them), `results` (what a unit's documents must
say: `Expected`), `figure_checks`, `decision`, and `run`: `check_unit` runs every check on a
unit's folder after it is written; `after_write` applies the cycle's `kiem_tra_van_ban` setting
(fail the unit, warn, or skip). `tongket.batch.recheck.check_output` checks a whole run's output
folder against the results recomputed from its manifest (``tongket kiem-tra-van-ban``).
"""

from .decision import DECISION, draft_state, recognised
from .figure_checks import UNIT_REPORTS, figures
from .finding import RULES, Finding
from .printed import LABELS, SENTENCES
from .reader import PROSE_WORDS, SIGNED_WORKBOOKS, Block, Doc, docx_text, read_docx, read_folder, read_xlsx, shown
from .results import AWAITING, Expected, expected
from .run import SIDECAR, WARNING, after_write, check_documents, check_unit, message, mode, sidecar_warnings, summary
from .words import CODE_WORDS, NAME_HEADERS, PARENT_HEADERS, code_words, placeholders, quotes, unique_names

__all__ = [
    "AWAITING", "CODE_WORDS", "DECISION", "LABELS", "NAME_HEADERS", "PARENT_HEADERS", "PROSE_WORDS", "RULES",
    "SENTENCES", "SIDECAR", "SIGNED_WORKBOOKS", "UNIT_REPORTS", "WARNING",
    "Block", "Doc", "Expected", "Finding",
    "after_write", "check_documents", "check_unit", "code_words", "docx_text", "draft_state", "expected", "figures",
    "message", "mode", "placeholders", "quotes", "read_docx", "read_folder", "read_xlsx", "recognised", "shown",
    "sidecar_warnings", "summary", "unique_names",
]
