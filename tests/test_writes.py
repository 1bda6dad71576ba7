"""Nothing a curator writes is lost or silently corrupted (issue 20; obligraph/corpus/atomic.py): a file
is written whole or not at all, a set of graph files is replaced as a set, one writer at a time
per claims file and per output folder, worker processes die with their build.

A full disk is simulated by :func:`full_disk` (os.write fails with ENOSPC once a folder has taken
``room`` more bytes — every write of atomic.py goes through os.write), and, where user namespaces
allow it, with a real 2 MB tmpfs (test_a_review_on_a_real_full_tmpfs). Kills are real SIGKILLs of
child processes, at the moment a patched step is reached."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from obligraph.corpus import atomic
from obligraph.cli import main
from obligraph.graph.pipeline import PROJECT

from .conftest import SMALL_TEXT, SmallCorpus

MORE_TEXT = SMALL_TEXT + "".join(f"Arcadia ratified the Refugee Convention in {year}.\n"
                                 for year in range(1991, 2003))
PYTHON = [sys.executable, "-c"]


def full_disk(monkeypatch, folder: Path, room: int = 0) -> None:
    """os.write to any file under ``folder`` writes at most ``room`` more bytes, then fails
    with ENOSPC, as a full disk does (a partial write, then the error)."""
    folder = str(Path(folder).resolve())
    real = os.write
    left = [room]

    def write(descriptor, data):
        try:
            target = os.readlink(f"/proc/self/fd/{descriptor}")
        except OSError:
            target = ""
        if not target.startswith(folder + os.sep):
            return real(descriptor, data)
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        part = bytes(data[:left[0]])
        left[0] -= len(part)
        return real(descriptor, part)
    monkeypatch.setattr(os, "write", write)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file()}


def _extracted(small: SmallCorpus) -> Path:
    text = small.write("articles/a1.txt", MORE_TEXT)
    result = CliRunner().invoke(main, ["extract", str(text), "--sources", str(small.sources)])
    assert result.exit_code == 0, result.output
    return text


def _review_args(small: SmallCorpus, text: Path, *more: str) -> list[str]:
    return ["review", str(text), "--accept-all", "--reviewer", "Ada", "--sources", str(small.sources),
            *more]


# --- review: whole or absent ---------------------------------------------------------------------

def test_a_review_on_a_full_disk_changes_neither_file_and_says_so(small, monkeypatch):
    text = _extracted(small)
    articles = small.sources / "articles"
    before = _files(articles)
    full_disk(monkeypatch, articles, room=100)
    result = CliRunner().invoke(main, _review_args(small, text))
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr == (
        f"error: {articles / 'a1.claims.yaml'}: cannot write it: No space left on device (ENOSPC) — "
        "it is unchanged, and no candidate was marked decided\n"
        "  → free some space on that disk (or fix its permissions), then run the command again\n")
    assert _files(articles) == before  # byte for byte, and no temporary file left
    # the next build is the build of the file as it was
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    again = CliRunner().invoke(main, _review_args(small, text))
    assert again.exit_code == 0, again.output


def test_a_review_that_cannot_record_its_decisions_says_the_claims_are_in(small, monkeypatch):
    text = _extracted(small)
    candidates = small.sources / "articles" / "a1.candidates.yaml"
    before = candidates.read_bytes()
    real = atomic.write_file

    def failing(path, data, **kwargs):
        if Path(path).name == "a1.candidates.yaml":
            full_disk(monkeypatch, Path(path).parent)
        return real(path, data, **kwargs)
    monkeypatch.setattr(atomic, "write_file", failing)
    result = CliRunner().invoke(main, _review_args(small, text))
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {candidates}: cannot write it: No space left on device (ENOSPC) — it is unchanged, "
        "but a1.claims.yaml has the accepted claims: review again to record the decisions (claims "
        "already there are not appended twice)\n"
        "  → free some space on that disk (or fix its permissions), then run the command again\n")
    assert candidates.read_bytes() == before
    claims = yaml.safe_load((small.sources / "articles" / "a1.claims.yaml").read_text("utf-8"))
    again = CliRunner().invoke(main, _review_args(small, text))
    assert again.exit_code == 0, again.output
    assert "already there" in again.output
    assert yaml.safe_load((small.sources / "articles" / "a1.claims.yaml").read_text("utf-8")) == claims


def _unshare_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-r", "-m", "sh", "-c",
                            "d=$(mktemp -d) && mount -t tmpfs -o size=2m tmpfs $d && umount $d"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare_tmpfs(), reason="no user namespace to mount a tmpfs in")
def test_a_review_on_a_real_full_tmpfs(small):
    """The report's case: the claims file on a full 2 MB filesystem."""
    text = _extracted(small)
    articles = small.sources / "articles"
    before = _files(articles)
    script = textwrap.dedent(f"""\
        set -e
        keep=$(mktemp -d)
        cp -a {articles}/. $keep/
        mount -t tmpfs -o size=2m tmpfs {articles}
        cp -a $keep/. {articles}/
        dd if=/dev/zero of={articles}/.filler bs=4096 count=1000 2>/dev/null || true
        set +e
        {sys.executable} -m obligraph.cli {' '.join(_review_args(small, text))}
        echo "exit $?"
        rm -f {articles}/.filler
        ls -a {articles} > {small.root}/listing
        cp -a {articles}/. $keep/after/ 2>/dev/null || (mkdir $keep/after && cp -a {articles}/. $keep/after/)
        umount {articles}
        rm -rf {small.root}/after && cp -a $keep/after {small.root}/after
        """)
    run = subprocess.run(["unshare", "-r", "-m", "sh", "-c", script], capture_output=True, text=True,
                         cwd=small.root)
    assert "exit 1" in run.stdout, run.stdout + run.stderr
    assert "cannot write it: No space left on device (ENOSPC) — it is unchanged" in run.stderr
    assert "Traceback" not in run.stderr
    assert _files(small.root / "after") == before


def test_a_review_killed_while_rewriting_the_candidates_leaves_them_whole(small):
    text = _extracted(small)
    candidates = small.sources / "articles" / "a1.candidates.yaml"
    before = candidates.read_bytes()
    killed = subprocess.run([*PYTHON, textwrap.dedent(f"""\
        import os, signal
        real = os.replace
        def replace(source, target):
            if str(target).endswith("a1.candidates.yaml"):
                os.kill(os.getpid(), signal.SIGKILL)
            real(source, target)
        os.replace = replace
        from obligraph.cli import main
        main({_review_args(small, text)!r})
        """)], capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert candidates.read_bytes() == before  # not empty: the old file, whole
    assert [p.name for p in candidates.parent.glob(".*.tmp")]  # the killed run's leftover
    again = CliRunner().invoke(main, _review_args(small, text))
    assert again.exit_code == 0, again.output
    assert again.output.startswith("accepted ") and "already there" in again.output
    assert not list(candidates.parent.glob(".*.tmp")) and not list(candidates.parent.glob(".*.lock"))
    decided = yaml.safe_load(candidates.read_text(encoding="utf-8"))["candidates"]
    assert {c["status"] for c in decided} == {"accepted"}


# --- one review at a time --------------------------------------------------------------------------

def _slow_review(small: SmallCorpus, text: Path, seconds: float) -> subprocess.Popen:
    """A review that holds its lock ``seconds`` longer (before writing the claims file)."""
    return subprocess.Popen([*PYTHON, textwrap.dedent(f"""\
        import time
        from obligraph.corpus import atomic
        real = atomic.write_file
        def slow(*args, **kwargs):
            time.sleep({seconds})
            return real(*args, **kwargs)
        atomic.write_file = slow
        from obligraph.cli import main
        main({_review_args(small, text)!r})
        """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_two_reviews_of_one_file_at_once_never_append_twice(small):
    text = _extracted(small)
    claims = small.sources / "articles" / "a1.claims.yaml"
    numbers = [c["n"] for c in yaml.safe_load(text.with_name("a1.candidates.yaml").read_text("utf-8"))["candidates"]]
    # the report's form, --accept N,M-K: the second review may not silently accept nothing
    command = [sys.executable, "-m", "obligraph.cli", "review", str(text), "--accept",
               f"1,2-{max(numbers)}", "--reviewer", "Ada", "--sources", str(small.sources)]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(p.wait(), *p.communicate()) for p in both]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    (done,) = [out for code, out, _ in results if code == 0]
    (refused,) = [err for code, _, err in results if code == 1]
    appended = int(done.split("appended ")[1].split()[0])
    assert appended > 1
    assert "is already accepted" in refused or "is writing it now" in refused, refused
    entries = yaml.safe_load(claims.read_text(encoding="utf-8"))
    assert len(entries) == 2 + appended  # the curator's two, and each accepted claim once


def test_a_second_review_waits_for_the_first_then_finds_the_work_done(small):
    text = _extracted(small)
    first = _slow_review(small, text, 1.0)
    _wait_for(small.sources / "articles" / ".a1.claims.yaml.lock")
    second = CliRunner().invoke(main, ["review", str(text), "--accept", "1", "--reviewer", "Bo",
                                       "--sources", str(small.sources)])
    assert first.wait() == 0, first.communicate()
    assert second.exit_code == 1
    assert second.stderr == (f"error: {text.with_name('a1.candidates.yaml')}: candidate 1 is "
                             "already accepted\n")


def test_a_review_refused_while_another_holds_the_file_names_its_pid(small, monkeypatch):
    from obligraph.extract import review
    text = _extracted(small)
    claims = small.sources / "articles" / "a1.claims.yaml"
    before = _files(small.sources)
    first = _slow_review(small, text, 1.5)
    lock = small.sources / "articles" / ".a1.claims.yaml.lock"
    _wait_for(lock)
    time.sleep(0.1)  # the pid is written just after the lock is taken
    monkeypatch.setattr(review, "REVIEW_WAIT", 0.0)
    refused = CliRunner().invoke(main, _review_args(small, text))
    assert refused.exit_code == 1
    assert refused.stderr == (f"error: {claims}: process {first.pid} (obligraph review) is writing "
                              "it now\n  → wait for it to finish, then run the command again\n")
    assert _files(small.sources) == {**before, "articles/.a1.claims.yaml.lock": lock.read_bytes()}
    assert first.wait() == 0, first.communicate()
    assert not lock.exists()


# --- reading candidates as the corpus reads its YAML ---------------------------------------------

def test_candidates_are_read_as_written_and_only_from_a_regular_file(small):
    text = _extracted(small)
    candidates = small.sources / "articles" / "a1.candidates.yaml"
    data = candidates.read_text(encoding="utf-8")
    (number,) = [c["n"] for c in yaml.safe_load(data)["candidates"] if c.get("date") == "1991"]
    # hand-edited: a date left unquoted, a note that YAML 1.1 would read as a boolean
    edited = data.replace("date: '1991'", "date: 1991-03-09\n  note: yes", 1)
    assert edited != data
    candidates.write_text(edited, encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(text), "--accept", str(number), "--reviewer",
                                       "Ada", "--sources", str(small.sources)])
    assert result.exit_code == 0, result.output
    (added,) = [c for c in yaml.safe_load((small.sources / "articles/a1.claims.yaml").read_text("utf-8"))
                if c.get("reviewed_by")]
    assert (added["date"], added["note"]) == ("1991-03-09", "yes")
    candidates.unlink()
    os.mkfifo(candidates)
    fifo = CliRunner().invoke(main, _review_args(small, text))
    assert fifo.exit_code == 1
    assert fifo.stderr == (f"error: {candidates}: a FIFO (named pipe), not a regular file\n"
                           "  → a corpus holds regular files only: replace it with one, or remove it\n")


# --- the graph files: a set, whole or absent -------------------------------------------------------

def test_a_build_on_a_full_disk_leaves_graph_as_it_was(small, monkeypatch):
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    before = _files(small.out)
    small.write("articles/a1.claims.yaml", (small.sources / "articles/a1.claims.yaml")
                .read_text("utf-8").replace('date: "1990"', 'date: "1991"'))
    full_disk(monkeypatch, small.out, room=5000)
    result = CliRunner().invoke(main, small.args())
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {small.out}: cannot write obligraph.trig: No space left on device (ENOSPC) — the "
        "files there are as they were\n"
        "  → free some space on that disk (or fix its permissions), then run the command again\n")
    assert _files(small.out) == before and sorted(os.listdir(small.out)) == sorted(before)


def _killed_build(small: SmallCorpus, when: str) -> subprocess.CompletedProcess:
    """A build killed (SIGKILL) at ``when``: 'rename' — the staging directory complete, just
    before it becomes .replacing/; 'replace' — after the first graph file is in place."""
    return subprocess.run([*PYTHON, textwrap.dedent(f"""\
        import os, signal
        when = {when!r}
        real_rename, real_replace = os.rename, os.replace
        def rename(source, target):
            if when == "rename" and str(target).endswith(".replacing"):
                os.kill(os.getpid(), signal.SIGKILL)
            real_rename(source, target)
        def replace(source, target):
            real_replace(source, target)
            if when == "replace" and ".replacing" in str(source):
                os.kill(os.getpid(), signal.SIGKILL)
        os.rename, os.replace = rename, replace
        from obligraph.cli import main
        main({small.args()!r})
        """)], capture_output=True, text=True)


def _edit(small: SmallCorpus) -> None:
    path = small.sources / "articles/a1.claims.yaml"
    path.write_text(path.read_text("utf-8").replace('date: "1990"', 'date: "1991"'), encoding="utf-8")


def test_a_build_killed_between_renames_is_finished_by_the_next_reader(small, tmp_path):
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    _edit(small)
    fresh = SmallCorpus(tmp_path / "fresh")
    shutil.copy(small.sources / "articles/a1.claims.yaml", fresh.sources / "articles/a1.claims.yaml")
    assert CliRunner().invoke(main, fresh.args()).exit_code == 0
    killed = _killed_build(small, "replace")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (small.out / ".replacing").is_dir()  # committed, not all moved: one new file, the rest old
    # a reader finishes the set before it reads (query, serve, export, html, cite)
    result = CliRunner().invoke(main, ["query", "sources", "--graph", str(small.out / "obligraph.trig")])
    assert result.exit_code == 0, result.output
    assert _files(small.out) == _files(fresh.out)


def test_a_killed_builds_leftovers_are_cleaned_by_the_next_build(small, tmp_path):
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    before = _files(small.out)
    _edit(small)
    killed = _killed_build(small, "rename")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    (staging,) = [p.name for p in small.out.iterdir() if p.name.startswith(".building-")]
    assert {k: v for k, v in _files(small.out).items() if not k.startswith(".")} == before
    killed = _killed_build(small, "replace")
    assert (small.out / ".replacing").is_dir()
    result = CliRunner().invoke(main, small.args())  # the next build: finishes, then builds
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(small.out)) == ["built-from.json", "obligraph.html", "obligraph.trig"]


def test_an_export_on_a_full_disk_writes_neither_csv_file(small, monkeypatch, tmp_path):
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    out = tmp_path / "csv"
    args = ["export", "--format", "csv", "--graph", str(small.out / "obligraph.trig"), "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = _files(out)
    (out / "nodes.csv").write_bytes(b"old nodes\n")
    (out / "edges.csv").write_bytes(b"old edges\n")
    full_disk(monkeypatch, out, room=len(before["nodes.csv"]) + 10)
    result = CliRunner().invoke(main, [*args, "--force"])
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {out}: cannot write ")
    assert "No space left on device (ENOSPC) — the files there are as they were\n" in result.stderr
    assert _files(out) == {"edges.csv": b"old edges\n", "nodes.csv": b"old nodes\n"}


# --- one build at a time per output folder ---------------------------------------------------------

def test_a_second_build_into_the_same_folder_is_refused_with_the_first_ones_pid(small):
    first = subprocess.Popen([*PYTHON, textwrap.dedent(f"""\
        import time
        from obligraph.graph import pipeline
        real = pipeline._build
        def slow(*args, **kwargs):
            time.sleep(3)
            return real(*args, **kwargs)
        pipeline._build = slow
        from obligraph.cli import main
        main({small.args()!r})
        """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(small.out / atomic.DIR_LOCK)
    time.sleep(0.1)
    second = CliRunner().invoke(main, small.args())
    assert second.exit_code == 1
    assert second.stderr == (f"error: {small.out}: process {first.pid} (obligraph build) is writing "
                             "it now\n  → wait for it to finish, then run the command again\n")
    assert first.wait() == 0, first.communicate()
    assert sorted(os.listdir(small.out)) == ["built-from.json", "obligraph.html", "obligraph.trig"]


# --- a build cache that cannot be written ----------------------------------------------------------

def test_a_full_build_cache_does_not_fail_the_build(small, monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    monkeypatch.setenv("OBLIGRAPH_CACHE", str(cache))
    (cache / "build").mkdir(parents=True)
    full_disk(monkeypatch, cache)
    for _ in range(2):
        result = CliRunner().invoke(main, small.args())
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith(
            f"warning: the build cache cannot be written (No space left on device (ENOSPC): {cache / 'build'}); "
            "this build went on without it, so the next one after an edit does all the work again\n")
        assert result.stderr.count("\n") == 1
        assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
        _edit(small)
    monkeypatch.undo()


# --- worker processes die with their build ---------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
def test_workers_die_with_a_build_killed_while_checking_shapes(tmp_path):
    shutil.copytree(PROJECT / "sources", tmp_path / "sources")
    build = subprocess.Popen([sys.executable, "-m", "obligraph.cli", "build", "--no-cache",
                              "--out", str(tmp_path / "graph")], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (workers := _children(build.pid)):
        assert build.poll() is None and time.monotonic() < deadline, "no worker was started"
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are reading the shapes, or checking the first batch
    workers = _children(build.pid)
    build.kill()
    build.wait()
    deadline = time.monotonic() + 5
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()
                 and "zombie" not in Path(f"/proc/{pid}/status").read_text(errors="replace")]
    assert not alive, f"workers {alive} outlived their build"


def test_a_killed_reviews_leftovers_in_sources_are_no_input(small, tmp_path):
    assert CliRunner().invoke(main, small.args()).exit_code == 0
    recorded = (small.out / "built-from.json").read_bytes()
    small.write("articles/.a1.claims.yaml.lock", "4194999 obligraph review\n")
    small.write("articles/.a1.claims.yaml.4194999.0badf00d.tmp", "- subject: arca")
    result = CliRunner().invoke(main, [*small.args(), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert (small.out / "built-from.json").read_bytes() == recorded
    stale = CliRunner().invoke(main, ["query", "sources", "--strict", "--graph", str(small.out / "obligraph.trig")])
    assert stale.exit_code == 0, stale.output
    # the next review of a1 removes the temporary file: its writer (pid 4194999) is not alive
    text = _extracted(small)
    assert CliRunner().invoke(main, _review_args(small, text)).exit_code == 0
    assert not list((small.sources / "articles").glob(".*.tmp"))
