"""Test-only stand-in for mas_trainer.credit while that module is being written: GRPO outcome credit."""
from statistics import mean, pstdev


def outcome_group_credit(method, states, scores, params):
    from mas_trainer.rewards import decisions

    rewards = [s.reward for s in scores]
    mu, sd = mean(rewards), pstdev(rewards) if len(rewards) > 1 else 0.0
    return [[(r - mu) / (sd + 1e-6)] * len(decisions(st)) for r, st in zip(rewards, states)]


def install_if_missing(monkeypatch):
    """Uses the real estimators when mas_trainer.credit exists; otherwise the outcome stand-in."""
    import importlib.util

    if importlib.util.find_spec("mas_trainer.credit") is not None:
        return False
    import mas_trainer.trainer as trainer_module

    monkeypatch.setattr(trainer_module, "group_credit", outcome_group_credit)
    return True
