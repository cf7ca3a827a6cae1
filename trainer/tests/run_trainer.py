"""Test-only launcher: `python tests/run_trainer.py run ...` = `python -m mas_trainer run ...`, with the outcome
stand-in for mas_trainer.credit when that module is not there yet (kill test, subprocess tests)."""
import importlib.util
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    if importlib.util.find_spec("mas_trainer.credit") is None:
        import mas_trainer.trainer as trainer_module
        from credit_fallback import outcome_group_credit

        trainer_module.group_credit = outcome_group_credit
    from mas_trainer.__main__ import main

    sys.exit(main(sys.argv[1:]))
