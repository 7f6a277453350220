"""How ``xfrules watch`` groups its input (``commands._feed``), on a fake clock: a group's
lines wait for later ones at most the window, and the end of the input hands it on at once."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xfrules.commands._feed import DEFAULT_WINDOW_MS, FdSource, ReadAhead, groups, input_source


class ScriptedSource:
    """Chunks that arrive at given times on a fake clock; a wait moves the clock."""

    def __init__(self, arrivals: list[tuple[float, bytes]]) -> None:
        self.arrivals = sorted(arrivals, key=lambda a: a[0])
        self.now = 0.0
        self.read_at: list[float] = []  # per line: when the watcher read it

    def clock(self) -> float:
        return self.now

    def read(self, timeout: float | None) -> bytes | None:
        if not self.arrivals:
            return None
        due = self.arrivals[0][0]
        if due > self.now:
            if timeout is not None and due > self.now + timeout:
                self.now += timeout
                return b""
            self.now = due
        came = [chunk for at, chunk in self.arrivals if at <= self.now]
        self.arrivals = self.arrivals[len(came) :]
        data = b"".join(came)
        self.read_at.extend([self.now] * data.count(b"\n"))
        return data


def _run(
    source: ScriptedSource, window: float, limit: int = 1000
) -> list[tuple[float, list[bytes]]]:
    """Each group with the clock when it was handed on (the consumer takes no time)."""
    return [
        (source.now, group)
        for group in groups(source, limit=limit, window=window, clock=source.clock)
    ]


def _lines(n: int, start: int = 0) -> bytes:
    return b"".join(b"l%d\n" % i for i in range(start, start + n))


def test_lines_within_the_window_go_together_and_later_ones_do_not() -> None:
    w = 0.003
    src = ScriptedSource([(1.0, _lines(2)), (1.002, _lines(1, 2)), (1.0061, _lines(1, 3))])
    out = _run(src, w)
    assert [g for _, g in out] == [[b"l0", b"l1", b"l2"], [b"l3"]]
    assert out[0][0] == 1.0 + w  # held until the window ended: nothing more came in it
    assert out[1][0] == 1.0061  # the end of the input: handed on at once, no window


def test_window_zero_takes_only_what_is_waiting() -> None:
    src = ScriptedSource([(1.0, _lines(2)), (1.0, _lines(1, 2)), (1.000001, _lines(1, 3))])
    assert [g for _, g in _run(src, 0.0)] == [[b"l0", b"l1", b"l2"], [b"l3"]]


def test_a_line_split_across_reads_is_whole_and_a_last_line_without_newline_comes_alone() -> None:
    src = ScriptedSource([(0.0, b"ab"), (0.001, b"c\nde"), (0.002, b"f\ngh")])
    assert [g for _, g in _run(src, 0.01)] == [[b"abc", b"def"], [b"gh"]]


@given(
    gaps=st.lists(st.integers(0, 8_000), min_size=1, max_size=40),  # microseconds
    sizes=st.lists(st.integers(0, 7), min_size=40, max_size=40),
    window_us=st.integers(0, 5_000),
    limit=st.integers(1, 12),
)
def test_no_line_waits_longer_than_the_window_and_the_end_flushes(
    gaps: list[int], sizes: list[int], window_us: int, limit: int
) -> None:
    arrivals, t, n = [], 0.0, 0
    for gap, size in zip(gaps, sizes, strict=False):
        t += gap / 1e6
        arrivals.append((t, _lines(size, n)))
        n += size
    src = ScriptedSource(arrivals)
    window = window_us / 1e6
    out = _run(src, window, limit)
    got = [line for _, group in out for line in group]
    assert got == _lines(n).splitlines()  # every line, once, in order
    assert all(0 < len(group) <= limit for _, group in out)
    at = 0
    for handed_on, group in out:
        first_read = src.read_at[at]
        for read in src.read_at[at : at + len(group)]:
            # No line is held past its group's window (lines read after the window ended
            # were already there when the watcher took them, and were not waited for).
            assert handed_on - first_read <= window + 1e-12
            assert read <= handed_on
        at += len(group)
    # The end of the input hands the last group on at once: not a window later.
    assert not out or out[-1][0] <= arrivals[-1][0]


def test_lines_that_came_within_the_window_are_never_split_without_need() -> None:
    # A burst that reaches the watcher in pieces, as a pipe passes 64 KB at a time.
    pieces = [(0.5 + i * 0.0001, _lines(100, 100 * i)) for i in range(10)]
    out = _run(ScriptedSource(pieces), 0.003)
    assert [len(g) for _, g in out] == [1000]
    out = _run(ScriptedSource(pieces), 0.003, limit=400)
    assert [len(g) for _, g in out] == [400, 400, 200]


def test_fd_source_reads_what_is_there_says_when_nothing_came_and_when_the_pipe_ends() -> None:
    r, w = os.pipe()
    try:
        src = FdSource(r)
        assert src.read(0) == b""  # nothing yet: no wait past the timeout
        os.write(w, b"a\nb")
        assert src.read(0) == b"a\nb"
        os.close(w)
        w = -1
        assert src.read(0) is None  # the writer is gone: the end of the input
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def test_a_followed_file_with_nothing_new_hands_the_group_on(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"a\n")
    fd = os.open(path, os.O_RDONLY)
    now = [0.0]
    try:
        src = FdSource(fd, follow=True, idle_exit=5.0, clock=lambda: now[0])
        assert src.read(None) == b"a\n"
        assert src.read(0.003) == b""  # nothing new: no polling inside a window
        with path.open("ab") as f:
            f.write(b"b\n")
        assert src.read(0.003) == b"b\n"
        now[0] = 5.0  # idle for --idle-exit: the end of the input
        assert src.read(None) is None
    finally:
        os.close(fd)


def _cannot_test(why: str) -> None:
    """Skip on a developer's machine that lacks the feature; under CI (Linux, where watch
    widens its pipe) the test must run, so a missing feature fails it instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI: {why}")
    pytest.skip(why)


def test_the_watcher_widens_a_pipe_it_reads() -> None:
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        _cannot_test("no pipe sizes on this system")
    r, w = os.pipe()
    try:
        before = fcntl.fcntl(r, fcntl.F_GETPIPE_SZ)
        limit = Path("/proc/sys/fs/pipe-max-size")
        if limit.exists() and int(limit.read_text()) <= before:
            _cannot_test("the system allows no larger pipe")
        FdSource(r)
        assert fcntl.fcntl(r, fcntl.F_GETPIPE_SZ) > before
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.parametrize("value", ["-1", "nan", "1001", "soon"])
def test_watch_refuses_a_window_out_of_bounds(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from xfrules.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["watch", "--facts", str(tmp_path / "f.yaml"), "--window", value])
    assert exit_.value.code == 2
    assert "--window" in capsys.readouterr().err


def test_watch_reads_its_input_with_the_window_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from test_monitor import _write_inputs
    from test_monitor_support import tx

    from xfrules.cli import main
    from xfrules.commands import watch

    facts, obs = _write_inputs(tmp_path)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(tx("a", "b1", "1", date(2020, 3, 1))) + "\n")
    windows: list[float] = []
    real = watch.groups

    def recording(source: FdSource, *, limit: int, window: float) -> Iterator[list[bytes]]:
        windows.append(window)
        return real(source, limit=limit, window=window)

    monkeypatch.setattr(watch, "groups", recording)
    args = ["watch", "--facts", str(facts), "--obligations", str(obs), "--start", "2020-03-01"]
    assert main([*args, str(feed), "--window", "5"]) == 0
    assert main([*args, str(feed)]) == 0
    assert windows == [0.005, DEFAULT_WINDOW_MS / 1000]


def test_read_ahead_takes_a_backlog_larger_than_the_pipe_in_one_read() -> None:
    # While the watcher posts (here: sleeps), the producer writes more than a pipe holds;
    # read ahead, all of it comes in the next read, and the end of the input after it.
    r, w = os.pipe()
    src = input_source(r)
    assert isinstance(src, ReadAhead)
    size = fcntl_pipe_size(r)
    backlog = _lines(5 * size // 6 + 1000)  # ~5 pipes' worth: a blocked writer without it
    writer = threading.Thread(target=lambda: (os.write(w, backlog), os.close(w)))
    try:
        assert src.read(0) == b""  # nothing yet
        writer.start()
        writer.join(timeout=10)
        # The writer finished: all of it came off the pipe but what the pipe still holds
        # and the one read (of at most 1 MB) the reading thread may not have handed on yet.
        assert not writer.is_alive()
        first = src.read(0)
        assert first is not None and len(first) >= len(backlog) - size - (1 << 20) > size
        got = [first]
        while (chunk := src.read(1.0)) is not None:
            got.append(chunk)
        assert b"".join(got) == backlog  # then the rest, and the end of the input
    finally:
        os.close(r)


def test_read_ahead_holds_at_most_its_limit_then_the_writer_waits() -> None:
    r, w = os.pipe()
    src = ReadAhead(FdSource(r), limit=10)
    try:
        os.write(w, b"0123456789abcdef\n")  # past the limit: the reader stops after it
        assert src.read(5.0) == b"0123456789abcdef\n"
        os.write(w, b"x\n")
        os.close(w)
        w = -1
        assert src.read(5.0) == b"x\n"  # reading resumed once the first was taken
        assert src.read(5.0) is None
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


def test_read_ahead_hands_a_read_error_to_the_watcher() -> None:
    class Failing:
        def read(self, timeout: float | None) -> bytes | None:
            raise OSError("input gone")

    with pytest.raises(OSError, match="input gone"):
        ReadAhead(Failing()).read(1.0)


def test_a_file_is_read_directly() -> None:
    fd = os.open(__file__, os.O_RDONLY)
    try:
        assert isinstance(input_source(fd), FdSource)
    finally:
        os.close(fd)


def fcntl_pipe_size(fd: int) -> int:
    """The pipe's buffer in bytes (64 KB where the system says nothing)."""
    try:
        import fcntl

        return int(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ))
    except (ImportError, AttributeError, OSError):
        return 1 << 16
