"""The rules of a review cycle, as data read from params/: rubrics (`rubric`), rating scales
(`scales`, by year: `periods`), score sheets (`scoresheet`), how a signed document words a criterion
(`wording`), the analyst's own texts (`texts`), the random verification sample (`verification`), the
programme's calendar (`calendar`), the settings several steps read (`settings`) and the cycle's
parameters as one object (`params.Cycle`); the reward rule (`rewards`); the member rating scale by
period (`members`).

Contract: knows nothing of a workbook's rows or of a document; imports only `common` and `errors`.
"""

from .params import Cycle, load_cycle
from .rubric import Rubric, load_rubric
from .scales import Scale, load_scale
from .scoresheet import ScoreSheet, load_score_sheet

__all__ = ["Cycle", "Rubric", "Scale", "ScoreSheet", "load_cycle", "load_rubric", "load_scale", "load_score_sheet"]
