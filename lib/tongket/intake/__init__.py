"""Getting the figures in: reading exchange workbooks whatever their headers and encodings
(`workbook`, `legacy`), typing and checking every cell into `Data` or an `Issue` per rejected value
(`check`), what a cycle needs from a workbook (`coverage`), the collection forms and bringing them
back (`forms`, `collect`), the issues workbook (`issues_book`) and the seeded sample (`sample`; its models, `sample_models`;
special units' quarters in `sample_special`, checked in `special_progress`).
Member ratings checked against each year's scale: `members`; their sample figures: `sample_members`.
Cadre figures (contract §6.2): their check (`cadres`) and the sample's (`sample_cadres`).
Registration (sheet dang_ky): its checks (`upkeep`) and seeded rows (`sample_upkeep`).

Contract: in, files and a cycle's rules; out, checked `Data` or every problem at once. Imports
`common`, `rules` and `errors`.
"""

from .check import Data, issues_frame, load, require_year, validate
from .collect import collect
from .forms import write_forms
from .issues_book import write_issues_workbook
from .workbook import read_workbook

__all__ = ["Data", "collect", "issues_frame", "load", "read_workbook", "require_year", "validate", "write_forms", "write_issues_workbook"]
