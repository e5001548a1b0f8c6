"""Rules × data → results: the one place that decides a unit's score and rating (`scoring`), the
vectorised assessment of every branch and unit (`assess`), the review a document is written from
(`review`), targets (`targets`), "1+1" and youth gathering (`programmes`), special units (`special`; their quarters
and «công nhận tiến bộ» in `special_progress`) and year against year (`compare`); units proposed for
commendation (`rewards`) and the half-year "1+1" table (`one_plus_one`); rating moves across a change of
scale (`periods`); registration and keeping the standard (`upkeep`). Member ratings (`members`) and
cadres (`cadres`) summed up per level, contract §6.2.

Contract: writes no file; imports `intake`, `rules`, `common` and `errors`.
"""

from .assess import Results, assess
from .compare import transition_matrix
from .review import Review, open_review, reporting_codes, tinh_code
from .targets import targets

__all__ = ["Results", "Review", "assess", "open_review", "reporting_codes", "targets", "tinh_code", "transition_matrix"]
