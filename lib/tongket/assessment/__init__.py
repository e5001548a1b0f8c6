"""Rules × data → results: the one place that decides a unit's score and rating (`scoring`), the
vectorised assessment of every branch and unit (`assess`), the review a document is written from
(`review`), targets (`targets`), "1+1" and youth gathering (`programmes`), special units (`special`)
and year against year (`compare`).
Member ratings rolled up: `members`.

Contract: writes no file; imports `intake`, `rules`, `common` and `errors`.
"""

from .assess import Results, assess
from .compare import transition_matrix
from .review import Review, open_review, reporting_codes, tinh_code
from .targets import targets

__all__ = ["Results", "Review", "assess", "open_review", "reporting_codes", "targets", "tinh_code", "transition_matrix"]
