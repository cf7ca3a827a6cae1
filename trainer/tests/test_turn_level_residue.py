"""turn_level's distinct-value step must not count float64 rounding residues as values (issue 17's TicTacToe case)."""

import pytest

from mas_trainer.credit import CreditGroup, compute_credit
from mas_trainer.credit.turn_level import distinct_values


def tictactoe_win() -> CreditGroup:
    """One game: player p0 moves at turns 0, 2, 4 and wins on its last move; p1 moves at turns 1, 3."""
    return CreditGroup.from_rollouts(
        [
            ([("p0", 0, 0.0), ("p1", 1, 0.0), ("p0", 2, 0.0), ("p1", 3, 0.0), ("p0", 4, 1.0)], 1.0),
        ]
    )


def test_one_game_win_gives_the_exact_thirds():
    credit = compute_credit("turn_level", tictactoe_win(), {})[0]
    # rewards (0, 0, 1) centred: (-1/3, -1/3, 2/3); returns (0, 1/3, 2/3) up to residues; distinct with the
    # padding's 0: {0, 1/3, 2/3}, mean 1/3 -> (-1/3, 0, 1/3). Counting the residue as a 4th value gave -0.25 ...
    assert [credit[0], credit[2], credit[4]] == pytest.approx([-1 / 3, 0.0, 1 / 3], abs=1e-12)


def test_residues_collapse_but_real_differences_stay():
    assert distinct_values([5.551115123125783e-17, 1 / 3, 2 / 3], with_zero=True) == [0.0, 1 / 3, 2 / 3]
    assert distinct_values([-5.551115123125783e-17, 1.0], with_zero=True) == [0.0, 1.0]
    assert distinct_values([0.001, 0.002], with_zero=False) == [0.001, 0.002]
    assert distinct_values([1e6, 1e6 + 1e-4], with_zero=False) == [1e6]  # 1e-10 relative: a residue at that scale
