"""The first code the sandbox's interpreter runs (`python -I -S -B -c <this file's text>`), before any generated code.

It is never imported by the trainer: sandbox.py reads this file's text and passes it with -c, so the child needs no
path to the trainer and sees only the standard library (-S: no site-packages). In order it: reads its job from stdin
(JSON: code, test statements, limits), asks the kernel to kill it when its parent dies, moves into a fresh network
namespace when the kernel allows, sets its resource limits, installs a seccomp filter (no fork, thread, exec, socket,
kill or ptrace), points fds 1 and 2 at /dev/null (the results go to a duplicate of the original stdout),
installs the audit hook, then runs the code and each test statement in one
namespace and writes `P <i>` / `F <i>` for each assert as it finishes. Protocol lines (all ASCII):
  `S <netns 0|1> <seccomp 0|1> <userns 0|1>` setup done, user code starts | `C` the code raised or did not compile |
  `P i`, `F i` one assert passed / failed | `D` done.
"""

import json
import os
import resource
import sys

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
SIGKILL = 9

# Imports that open a route the resource limits cannot close (sockets, new processes, foreign functions).
BLOCKED_MODULES = frozenset(
    {"socket", "_socket", "ssl", "_ssl", "ctypes", "_ctypes", "_posixsubprocess", "subprocess", "multiprocessing",
     "_multiprocessing", "pty", "asyncio", "urllib", "http", "ftplib", "smtplib", "telnetlib", "xmlrpc", "webbrowser"}
)  # fmt: skip
# Audit events refused outright: new processes, signals to others, raising limits, foreign functions.
BLOCKED_EVENTS = frozenset(
    {"os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "os.system", "os.startfile", "subprocess.Popen",
     "os.kill", "os.killpg", "signal.pthread_kill", "resource.setrlimit", "resource.prlimit", "os.setuid", "os.setgid",
     "os.setreuid", "os.setregid", "os.setresuid", "os.setresgid", "os.chroot", "pty.spawn", "sys.remote_exec"}
)  # fmt: skip
# Audit events that change the file system at the paths given in these argument positions.
PATH_EVENTS = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
    "os.truncate": (0,), "os.rename": (0, 1), "os.link": (0, 1), "os.symlink": (1,), "os.chflags": (0,),
    "os.mkfifo": (0,), "os.mknod": (0,), "shutil.rmtree": (0,), "shutil.copyfile": (1,), "shutil.move": (0, 1),
}  # fmt: skip
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

# The seccomp filter: system calls that fail with EPERM whatever the caller's privileges (root included): new
# processes and threads, exec, sockets, signals to any process, ptrace (not prlimit64: getrlimit uses it; in the user
# namespace even root cannot raise a hard limit, which needs CAP_SYS_RESOURCE in the initial one). Numbers per
# architecture (AUDIT_ARCH_*: x86-64, AArch64); on another architecture there is no filter and the audit hook and
# the rlimits remain.
SECCOMP_BLOCKED = {
    "x86_64": (0xC000003E, {
        "clone": 56, "fork": 57, "vfork": 58, "clone3": 435, "execve": 59, "execveat": 322, "socket": 41,
        "socketpair": 53, "kill": 62, "tkill": 200, "tgkill": 234, "ptrace": 101, "pidfd_send_signal": 424,
        "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297}),
    "aarch64": (0xC00000B7, {
        "clone": 220, "clone3": 435, "execve": 221, "execveat": 281, "socket": 198, "socketpair": 199, "kill": 129,
        "tkill": 130, "tgkill": 131, "ptrace": 117, "pidfd_send_signal": 424, "rt_sigqueueinfo": 138,
        "rt_tgsigqueueinfo": 240}),
}  # fmt: skip
X32_SYSCALL_BIT = 0x40000000  # x86-64's x32 ABI numbers: refused as a whole


def seccomp_program(machine: str) -> list[tuple[int, int, int, int]] | None:
    """The classic-BPF filter as (code, jt, jf, k) rows, or None on an architecture without a table."""
    if machine not in SECCOMP_BLOCKED:
        return None
    arch, numbers = SECCOMP_BLOCKED[machine]
    load_word, jump_eq, jump_ge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    checks = [(jump_ge, X32_SYSCALL_BIT)] if machine == "x86_64" else []
    checks += [(jump_eq, nr) for nr in sorted(numbers.values())]
    rows = [(load_word, 0, 0, 4), (jump_eq, 1, 0, arch), (ret, 0, 0, deny), (load_word, 0, 0, 0)]
    deny_at = len(rows) + len(checks) + 1  # after the checks and the allow
    for op, value in checks:
        rows.append((op, deny_at - len(rows) - 1, 0, value))
    return rows + [(ret, 0, 0, allow), (ret, 0, 0, deny)]


def install_seccomp(libc) -> bool:
    import ctypes  # already loaded by kernel_setup, which removes it from sys.modules afterwards

    program = seccomp_program(os.uname().machine)
    if program is None:
        return False

    class SockFilter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]

    filters = (SockFilter * len(program))(*[SockFilter(*row) for row in program])
    prog = SockFprog(len(program), filters)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(prog), 0, 0) == 0


def kernel_setup(job: dict) -> tuple[bool, bool, bool]:
    """Dies with the parent (PR_SET_PDEATHSIG); enters a fresh network namespace when unshare(2) allows it (through
    a user namespace for a normal user); sets the resource limits; installs the seccomp filter. Returns whether the
    network namespace, the filter and a user namespace are in place. ctypes leaves sys.modules afterwards, so
    importing it again goes through the audit hook."""
    netns = filtered = userns = False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
        if os.getppid() != job["parent"]:  # the parent died before prctl took effect
            os._exit(3)
        userns = libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
        netns = userns or libc.unshare(CLONE_NEWNET) == 0
        set_limits(job["limits"])
        filtered = job["seccomp"] and install_seccomp(libc)
    except (ImportError, OSError, AttributeError):
        set_limits(job["limits"])
    for name in [m for m in sys.modules if m == "ctypes" or m.startswith(("ctypes.", "_ctypes"))]:
        del sys.modules[name]
    return netns, filtered, userns


def set_limits(limits: dict) -> None:
    def cap(which, soft, hard=None):
        resource.setrlimit(which, (soft, soft if hard is None else hard))

    cap(resource.RLIMIT_CPU, limits["cpu_s"], limits["cpu_s"] + 1)  # SIGXCPU at soft, SIGKILL at hard
    cap(resource.RLIMIT_AS, limits["memory_mb"] << 20)
    cap(resource.RLIMIT_FSIZE, limits["file_mb"] << 20)
    cap(resource.RLIMIT_NOFILE, limits["open_files"])
    cap(resource.RLIMIT_CORE, 0)
    # No new process or thread: the kernel enforces this for every user but root (which RLIMIT_NPROC exempts, even
    # inside a user namespace; the seccomp filter covers root).
    cap(resource.RLIMIT_NPROC, 0)


def inside(path, root: str) -> bool:
    if isinstance(path, int):
        return True  # an fd the process already holds (its own files, or the null device)
    try:
        real = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return real == root or real.startswith(root + os.sep)


def make_hook(root: str):
    def hook(event, args):
        if event in BLOCKED_EVENTS or event.startswith(("socket.", "ctypes.", "_posixsubprocess")):
            raise PermissionError(f"sandbox: {event} is not allowed")
        if event == "import" and isinstance(args[0], str) and args[0].partition(".")[0] in BLOCKED_MODULES:
            raise PermissionError(f"sandbox: import {args[0]} is not allowed")
        if event == "open":
            path, mode, flags = args
            if isinstance(path, (str, bytes)):
                text = os.path.realpath(os.fsdecode(path))
                if text.startswith(("/proc", "/sys")):  # /proc/<parent>/environ would show the trainer's keys
                    raise PermissionError(f"sandbox: reading {text} is not allowed")
                writes = (mode is not None and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITE_FLAGS)
                if writes and not inside(text, root):
                    raise PermissionError(f"sandbox: writing {text} (outside the sandbox) is not allowed")
        elif event in PATH_EVENTS:
            if any(not inside(args[i], root) for i in PATH_EVENTS[event] if i < len(args)):
                raise PermissionError(f"sandbox: {event} outside the sandbox is not allowed")

    return hook


def main() -> None:
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    root = os.path.realpath(os.getcwd())
    netns, filtered, userns = kernel_setup(job)
    results = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)

    def report(line: str) -> None:
        os.write(results, (line + "\n").encode("ascii"))

    if job["hooks"]:  # hooks and seccomp are off only in the tests of the other layers
        sys.addaudithook(make_hook(root))
    report(f"S {int(netns)} {int(filtered)} {int(userns)}")
    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(compile(job["code"], "<solution>", "exec", dont_inherit=True, optimize=0), namespace)
    except BaseException:  # noqa: BLE001 — SystemExit and KeyboardInterrupt from generated code count too
        report("C")
        return
    index = 0
    for source, is_assert in job["tests"]:
        try:
            exec(compile(source, "<tests>", "exec", dont_inherit=True, optimize=0), namespace)
            ok = True
        except BaseException:  # noqa: BLE001
            ok = False
        if is_assert:
            report(f"{'P' if ok else 'F'} {index}")
            index += 1
    report("D")


main()
