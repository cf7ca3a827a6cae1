"""The sandbox of `code_tests` against hostile generated code (issue 16, Safety): each attack is contained, scores 0
(or null for malformed tests), and the next call works."""

import os
import socket

import pytest

from mas_trainer.verifiers.code_tests import code_tests
from mas_trainer.verifiers.sandbox import SandboxLimits, run_tests, split_tests

FAST = SandboxLimits(timeout_s=3.0, cpu_s=2)
ADD = "def add(a, b):\n    return a + b\n"


def assert_next_call_works():
    outcome = run_tests(ADD, "assert add(1, 2) == 3", FAST)
    assert outcome.passed == 1 and outcome.finished


@pytest.mark.parametrize(
    "code,tests,score",
    [
        (ADD, "assert add(1, 2) == 3\nassert add(2, 2) == 5", 0.5),
        (ADD, "x = add(2, 3)\nassert x == 5\nassert add('a', 'b') == 'ab'", 1.0),
        (ADD, "assert add(1)\nassert add(1, 1) == 2", 0.5),  # a test that raises fails, the next one still runs
        ("def add(a, b) return a", "assert add(1, 2) == 3", 0.0),  # code that does not compile
        ("raise RuntimeError('boom')", "assert True", 0.0),
        ("import sys\nsys.exit(0)", "assert True", 0.0),
        ("if __name__ == '__main__':\n    input()\n" + ADD, "assert add(1, 1) == 2", 1.0),  # no main block
        (ADD, "for i in range(3):\n    assert add(i, 0) == i\nassert add(0, 0) == 0", 1.0),  # only top-level counts
        (ADD, "import os\nassert True\nos._exit(0)\nassert True", 0.5),  # cut short: the rest fail
        ("print('x' * 10_000_000)\n" + ADD, "assert add(1, 1) == 2", 1.0),  # a flood of output goes nowhere
    ],
)
def test_code_tests_counts_asserts(code, tests, score):
    assert code_tests(code, tests) == score


@pytest.mark.parametrize("tests", ["x = 1", "assert (", "", "def f(:\n  pass"])
def test_tests_without_asserts_or_not_parsing_raise(tests):
    with pytest.raises(ValueError, match="code_tests"):
        split_tests(tests)


def test_infinite_loop_times_out_and_scores_zero():
    outcome = run_tests("while True:\n    pass", "assert True", FAST)
    assert outcome.timed_out and outcome.passed == 0 and outcome.started
    assert_next_call_works()


def test_running_out_of_cpu_time_before_the_wall_clock_is_a_timeout_too():
    # An idle machine reaches RLIMIT_CPU (SIGXCPU) before the wall-clock deadline: the same budget, the same report.
    outcome = run_tests("while True:\n    pass", "assert True", SandboxLimits(timeout_s=30.0, cpu_s=1))
    assert outcome.timed_out and outcome.passed == 0 and outcome.started
    assert_next_call_works()


def test_infinite_loop_in_one_test_keeps_the_tests_before_it():
    outcome = run_tests(ADD, "assert add(1, 1) == 2\nwhile True: pass\nassert True", FAST)
    assert outcome.timed_out and (outcome.passed, outcome.total) == (1, 2)


def test_fork_bomb_is_refused():
    outcome = run_tests("import os\nwhile True:\n    os.fork()", "assert True", FAST)
    assert outcome.code_failed and outcome.passed == 0 and not outcome.timed_out
    for tests in ["import subprocess\nassert subprocess", "import os\nassert os.system('true') == 0"]:
        assert run_tests("", tests, FAST).passed == 0
    assert_next_call_works()


@pytest.mark.parametrize(
    "tests",
    [
        "import os\nassert os.fork() >= 0",
        "import threading\nassert threading.Thread(target=print).start() is None",
        "import os\nassert os.execv('/bin/true', ['true'])",
        "import os, signal\nassert os.kill(os.getppid(), 0) is None",
    ],
)
def test_seccomp_refuses_processes_and_signals_without_the_audit_hook(tests):
    outcome = run_tests("", tests, FAST, hooks=False)
    if not outcome.seccomp:
        pytest.skip("no seccomp filter on this architecture (the audit hook and the rlimits remain)")
    assert outcome.finished and outcome.passed == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="the kernel exempts root from RLIMIT_NPROC (docs/security.md)")
def test_fork_is_refused_by_rlimit_nproc_without_hook_or_seccomp():
    outcome = run_tests("", "import os\nassert os.fork() >= 0", FAST, hooks=False, seccomp=False)
    assert outcome.finished and outcome.passed == 0


def test_allocating_10_gb_fails_inside_the_limit():
    outcome = run_tests("x = bytearray(10 * 2**30)", "assert True", FAST)
    assert outcome.code_failed and outcome.passed == 0
    assert_next_call_works()


def test_writing_outside_its_directory_is_refused(tmp_path):
    target = tmp_path / "escaped.txt"
    tests = (
        f"open({str(target)!r}, 'w').write('x')\n"
        "assert True\n"
        f"import os\nos.symlink({str(target)!r}, 'link')\n"
        "open('link', 'w').write('x')\n"
        "open('../escaped-relative.txt', 'w').write('x')\n"
        f"assert os.path.exists({str(target)!r})\n"
        "open('inside.txt', 'w').write('x')\n"
        "assert open('inside.txt').read() == 'x'"
    )
    outcome = run_tests("", tests, FAST)
    assert (outcome.passed, outcome.total) == (2, 3) and outcome.finished
    assert not target.exists() and not (tmp_path / "escaped-relative.txt").exists()
    assert_next_call_works()


def test_file_size_is_limited():
    outcome = run_tests("", "open('big', 'wb').write(b'x' * (64 << 20))\nassert True", FAST)
    assert outcome.finished or not outcome.timed_out  # the write fails (EFBIG / SIGXFSZ); nothing hangs
    assert_next_call_works()


def _listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.setblocking(False)
    return server


def _nobody_connected(server) -> bool:
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return True
    return False


def test_opening_a_socket_is_refused():
    with _listener() as server:
        port = server.getsockname()[1]
        tests = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)\nassert True"
        outcome = run_tests("", tests, FAST)
        assert outcome.passed == 1 and _nobody_connected(server)  # the import failed, the connection never happened
        tests = f"import _socket\ns = _socket.socket()\ns.connect(('127.0.0.1', {port}))\nassert s"
        assert run_tests("", tests, FAST).passed == 0 and _nobody_connected(server)
        tests = f"import socket\nassert socket.create_connection(('127.0.0.1', {port}), timeout=1)"
        assert run_tests("", tests, FAST, hooks=False).passed == 0 and _nobody_connected(server)  # seccomp
    assert_next_call_works()


def test_network_namespace_holds_without_the_audit_hook():
    with _listener() as server:
        port = server.getsockname()[1]
        tests = f"import socket\nassert socket.create_connection(('127.0.0.1', {port}), timeout=1)"
        outcome = run_tests("", tests, FAST, hooks=False, seccomp=False)
        if not outcome.network_namespace:
            pytest.skip("this kernel allows no network namespace here (the audit hook alone refuses sockets)")
        assert outcome.passed == 0 and _nobody_connected(server)


def test_the_api_key_is_not_visible(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fake-do-not-leak")
    seeing = [
        "import os\nassert 'sk-fake' in str(dict(os.environ))",
        "import os\nassert 'sk-fake' in open(f'/proc/{os.getppid()}/environ', 'rb').read().decode()",
        "import os\nassert 'sk-fake' in open('/proc/self/environ', 'rb').read().decode()",
    ]
    for tests in seeing:
        assert run_tests("", tests, FAST).passed == 0, tests
    outcome = run_tests("", "import os\nassert sorted(os.environ) == ['HOME', 'LC_ALL', 'PATH', 'TMPDIR']", FAST)
    assert outcome.passed == 1


def test_killing_its_parent_is_refused():
    parent = os.getpid()
    tests = (
        "import os, signal\n"
        "os.kill(os.getppid(), signal.SIGKILL)\n"
        "os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)\n"
        f"os.kill({parent}, signal.SIGTERM)\n"
        "assert True"
    )
    outcome = run_tests("", tests, FAST)
    assert outcome.finished and outcome.passed == 1  # and this process is still here to check it
    assert_next_call_works()


def test_raising_its_own_limits_is_refused():
    tests = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))\nassert True"
    assert run_tests("", tests, FAST).passed == 1
    tests = "import resource\nassert resource.getrlimit(resource.RLIMIT_AS)[0] == 512 << 20"
    assert run_tests("", tests, FAST).passed == 1


def test_the_kernel_refuses_raising_a_limit_without_hook_or_seccomp():
    tests = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (-1, -1))\nassert resource.getrlimit(9)[0] == -1"
    outcome = run_tests("", tests, FAST, hooks=False, seccomp=False)
    if os.geteuid() == 0 and not outcome.user_namespace:
        pytest.skip("root without a user namespace may raise its hard limits (the audit hook refuses it)")
    assert outcome.finished and outcome.passed == 0


def test_ctypes_is_refused():
    tests = "import ctypes\nassert ctypes.CDLL(None).getpid() > 0"
    assert run_tests("", tests, FAST).passed == 0
