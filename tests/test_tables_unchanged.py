"""Full tables for three seeds on two layouts equal those stored before a restructuring.

A change meant to alter results refreshes them with `make baseline`, in a commit that says why.
"""

import pandas as pd
import pytest
from baseline_tables import TABLES_DIR, stored_runs, table_run


@pytest.mark.parametrize(("layout", "seed"), stored_runs())
def test_tables_equal_the_stored_ones(layout, seed):
    res = table_run(layout, seed)
    folder = TABLES_DIR / f"{layout}_seed{seed}"
    for name in ("daily", "events", "stays"):
        stored = pd.read_parquet(folder / f"{name}.parquet")
        pd.testing.assert_frame_equal(
            getattr(res, name), stored, check_exact=True, obj=f"{layout} seed {seed} {name}"
        )
