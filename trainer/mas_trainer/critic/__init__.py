"""`critic` credit: a learned value over transcript prefixes, trained on returns, exported to ONNX.

credit.py (pure TD-error credit), transcript.py (what the critic reads), model.py (value model + tokenizer
description), learner.py (values, fitting, credit per step), export.py (critic.onnx + sidecar).
"""

from .credit import critic_credit, decision_returns, decision_rewards
from .learner import CriticLearner, critic_lr
from .transcript import TRANSCRIPT_FORMAT, decision_prefixes

__all__ = [
    "CriticLearner",
    "TRANSCRIPT_FORMAT",
    "critic_credit",
    "critic_lr",
    "decision_prefixes",
    "decision_returns",
    "decision_rewards",
]
