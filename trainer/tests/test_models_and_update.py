import torch
from helpers import lazy_team_data

from mas_trainer.generation import SamplingParams, sample
from mas_trainer.logprobs import sequence_logprobs
from mas_trainer.models import build_policies, trainable_parameters
from mas_trainer.spec import parse_spec
from mas_trainer.update import Decision, update


def _spec(sharing, adapter=None):
    data = lazy_team_data()
    data["models"][0]["adapter"] = adapter
    for agent, mode in zip(data["agents"], sharing):
        agent["sharing"] = mode
    return parse_spec(data)


LORA = {"kind": "lora", "rank": 4, "alpha": 8, "dropout": 0.0}


def test_shared_agents_use_one_unit():
    torch.manual_seed(0)
    policies, units = build_policies(_spec(["shared"] * 3), torch.device("cpu"), need_reference=True)
    assert len(units) == 1 and units[0].agents == ["first", "idle", "second"]
    assert policies["first"].unit is policies["second"].unit and units[0].reference is not None


def test_weights_sharing_gives_an_own_copy():
    torch.manual_seed(0)
    policies, units = build_policies(_spec(["shared", "weights", "shared"]), torch.device("cpu"), False)
    assert len(units) == 2
    own, main = policies["idle"].unit.module, policies["first"].unit.module
    assert own is not main
    # same initial weights (a copy), separate storage
    p_own, p_main = next(own.parameters()), next(main.parameters())
    assert torch.equal(p_own, p_main) and p_own.data_ptr() != p_main.data_ptr()


def test_adapter_sharing_gives_own_lora_on_the_shared_base_and_reference_disables_adapters():
    torch.manual_seed(0)
    policies, units = build_policies(_spec(["shared", "adapter", "adapter"], LORA), torch.device("cpu"), True)
    assert len(units) == 1 and units[0].has_adapters
    module = units[0].module
    assert set(module.peft_config) == {"default", "idle", "second"}
    names = [n for n, p in module.named_parameters() if p.requires_grad]
    assert names and all("lora_" in n for n in names)
    # make the `second` adapter non-trivial, then its output must differ from the reference (adapters off)
    with torch.no_grad():
        for n, p in module.named_parameters():
            if "lora_B" in n and ".second." in n:
                p.normal_(0, 0.5)
    ids = torch.tensor([[5, 6, 7]])
    model = policies["second"].activate()
    with torch.no_grad():
        adapted = model(input_ids=ids).logits
        with policies["second"].reference_model() as ref:
            base = ref(input_ids=ids).logits
        first = policies["first"].activate()(input_ids=ids).logits
    assert not torch.allclose(adapted, base)
    assert torch.allclose(first, base, atol=1e-6)  # the default adapter's B is still zero


def test_update_raises_logprob_of_positively_credited_output_and_lowers_the_other():
    torch.manual_seed(0)
    spec = _spec(["shared"] * 3)
    policies, units = build_policies(spec, torch.device("cpu"), need_reference=False)
    tok = policies["first"].tokenizer
    prompt, good, bad = tok.encode("Al>"), tok.encode("q"), tok.encode("Q")
    model = units[0].module

    def logp(out):
        with torch.no_grad():
            lp, _ = sequence_logprobs(model, [prompt], [out], 1.0, tok.pad_id, "cpu")
        return float(lp[0, 0])

    before_good, before_bad = logp(good), logp(bad)
    optimizers = {units[0].name: torch.optim.SGD(trainable_parameters(units[0]), lr=0.5)}
    schedulers = {units[0].name: torch.optim.lr_scheduler.LambdaLR(optimizers[units[0].name], lambda s: 1.0)}
    batch = [
        Decision("first", prompt, good, [before_good], 1.0, 1.0),
        Decision("first", prompt, bad, [before_bad], -1.0, 1.0),
    ]
    stats = update(units, policies, optimizers, schedulers, batch, clip=0.2, kl_coef=0.0, device="cpu")
    assert logp(good) > before_good and logp(bad) < before_bad
    assert stats.grad_norm["first"] > 0 and stats.grad_norm["second"] == 0.0


def test_kl_term_is_zero_at_the_reference_and_reported():
    torch.manual_seed(0)
    spec = _spec(["shared"] * 3)
    policies, units = build_policies(spec, torch.device("cpu"), need_reference=True)
    tok = policies["first"].tokenizer
    out = sample(units[0].module, tok, ["Al>"], SamplingParams(2), [0], 32, "cpu")[0]
    opt = {units[0].name: torch.optim.SGD(trainable_parameters(units[0]), lr=0.1)}
    sched = {units[0].name: torch.optim.lr_scheduler.LambdaLR(opt[units[0].name], lambda s: 1.0)}
    stats = update(
        units,
        policies,
        opt,
        sched,
        [Decision("first", out.prompt_ids, out.token_ids, out.logprobs, 1.0, 1.0)],
        0.2,
        0.1,
        "cpu",
    )
    assert abs(stats.kl) < 1e-6  # policy == reference before the first step
    stats = update(
        units,
        policies,
        opt,
        sched,
        [Decision("first", out.prompt_ids, out.token_ids, out.logprobs, 1.0, 1.0)],
        0.2,
        0.1,
        "cpu",
    )
    assert stats.kl > 0


def test_sampled_logprobs_match_the_update_forward():
    torch.manual_seed(0)
    policies, units = build_policies(_spec(["shared"] * 3), torch.device("cpu"), need_reference=False)
    tok = policies["first"].tokenizer
    outs = sample(
        units[0].module,
        tok,
        ["Al>", "Clu>"],
        SamplingParams(3),
        [1, 2],
        32,
        "cpu",
    )
    with torch.no_grad():
        lp, mask = sequence_logprobs(
            units[0].module, [o.prompt_ids for o in outs], [o.token_ids for o in outs], 1.0, tok.pad_id, "cpu"
        )
    for i, o in enumerate(outs):
        assert torch.allclose(lp[i, : len(o.token_ids)], torch.tensor(o.logprobs), atol=1e-4)
