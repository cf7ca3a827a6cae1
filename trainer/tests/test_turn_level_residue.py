"""turn_level's distinct-value step must not count float64 rounding residues as values (issue 17's TicTacToe case)."""

import pytest

from mas_trainer.credit import CreditGroup, compute_credit
from mas_trainer.credit.turn_level import distinct_values, float32, float32_distinct_values


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


MARS_DISTINCT_ONLY = {"preset": "mars_paper", "whiten_rewards": "off", "whiten_advantages": "off"}


def test_mars_paper_counts_the_float32_residue_as_mars_does():
    # MARS's float32 run of this game (tictactoe_win in mars.json) gives player 0 credits in the ratio -3 : 1 : 5: its
    # distinct step keeps the leftover of -1/3 - 1/3 + 2/3 as a fourth value, so the mean is 1/4, not 1/3.
    credit = compute_credit("turn_level", tictactoe_win(), MARS_DISTINCT_ONLY)[0]
    assert [credit[0], credit[2], credit[4]] == pytest.approx([-0.25, 1 / 12, 5 / 12], abs=1e-7)


def test_float32_distinct_merges_below_float32_precision_only():
    assert float32_distinct_values([1 / 3, 1 / 3 + 1e-12]) == [0.0, float32(1 / 3)]
    assert len(float32_distinct_values([5.551115123125783e-17])) == 2  # a residue float32 can still hold


@pytest.mark.parametrize(
    "params, message",
    [({"gamma": 1.5}, "between 0 and 1"), ({"preset": "mars"}, "ours, mars_paper"), ({"whiten_rewards": 1}, "off, on")],
)
def test_bad_mars_switches_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        compute_credit("turn_level", tictactoe_win(), params)
