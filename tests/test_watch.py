"""``xfrules watch`` posts the lines already waiting together and a lone line alone."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_monitor import _write_inputs
from test_monitor_support import clock, tx

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

START = date(2020, 3, 1)


def _watch(tmp_path: Path, *extra: str) -> list[str]:
    facts, obs = _write_inputs(tmp_path)
    return [sys.executable, "-m", "xfrules", "watch", "--facts", str(facts), "--obligations",
            str(obs), "--start", START.isoformat(), *extra]  # fmt: skip


def _lines(*events: dict[str, Any]) -> bytes:
    return "".join(json.dumps(e) + "\n" for e in events).encode()


def _paired(out: str) -> list[str]:
    return [line for line in out.splitlines() if "b1 mon.paired_purchases" in line]


def test_lines_waiting_on_a_pipe_are_posted_together_and_a_lone_line_alone(
    tmp_path: Path,
) -> None:
    proc = subprocess.Popen(
        _watch(tmp_path),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdout = proc.stdout

    def until_b1_paired() -> list[str]:
        seen: list[str] = []
        while not _paired("".join(seen)):
            line = stdout.readline().decode()
            assert line, "the watcher stopped"
            seen.append(line)
        return seen

    # Two purchases in one write: read together, one net change (6,000 is never shown).
    proc.stdin.write(_lines(tx("a", "b1", "6000", START), tx("b", "b1", "6000", START)))
    proc.stdin.flush()
    first = _paired("".join(until_b1_paired()))
    # Then one line alone: its change comes out while the watcher waits for the next.
    proc.stdin.write(_lines(tx("c", "b1", "1", START)))
    proc.stdin.flush()
    second = _paired("".join(until_b1_paired()))
    out, err = proc.communicate(timeout=60)
    assert len(first) == 1 and "not_yet_due -> compliant [target_met] 12000/10000" in first[0]
    assert len(second) == 1 and "compliant -> compliant 12001/10000" in second[0]
    assert _paired(out.decode()) == []
    assert proc.returncode == 0, err  # nothing due yet on 1 March


def test_batch_1_posts_every_line_alone(tmp_path: Path) -> None:
    events = _lines(tx("a", "b1", "6000", START), tx("b", "b1", "6000", START))
    done = subprocess.run(
        [*_watch(tmp_path), "--batch", "1"], input=events, capture_output=True, timeout=60
    )
    shown = _paired(done.stdout.decode())
    assert len(shown) == 2, done.stderr
    assert "not_yet_due -> not_yet_due [on_pace] 6000/10000" in shown[0]
    assert "not_yet_due -> compliant [target_met] 12000/10000" in shown[1]


def test_errors_in_a_batch_name_their_lines_and_the_rest_go_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xfrules.cli import main

    facts, obs = _write_inputs(tmp_path)
    lines = [
        json.dumps(tx("a", "b1", "6000", START)),
        "{not json",
        json.dumps({**tx("b", "b1", "1", START), "amount": "-5"}),
        json.dumps(tx("c", "nobody", "1", START)),
        json.dumps(clock(date(2020, 3, 2))),
        json.dumps(tx("d", "b1", "4000", START)),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    args = ["watch", "--facts", str(facts), "--obligations", str(obs), "--start", "2020-03-01"]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    assert "line 2: not JSON" in err
    assert "line 3" in err and "amount" in err
    assert "line 4" in err and "unknown unit 'nobody'" in err
    assert "2020-03-02 b1 mon.paired_purchases: not_yet_due -> compliant" in out
    assert "10000/10000" in out  # lines 1 and 6 went in


def test_a_growing_file_is_read_in_groups_too(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(tx("a", "b1", "6000", START), tx("b", "b1", "6000", START)))
    done = subprocess.run(
        [*_watch(tmp_path), "--follow", "--idle-exit", "0.3", str(feed)],
        capture_output=True,
        timeout=60,
    )
    shown = _paired(done.stdout.decode())
    assert len(shown) == 1 and "12000/10000" in shown[0], done.stderr


def test_batch_caps_a_group(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(*(tx(t, "b1", a, START) for t, a in
                              (("a", "6000"), ("b", "6000"), ("c", "1"), ("d", "1")))))  # fmt: skip
    done = subprocess.run(
        [*_watch(tmp_path), "--batch", "2", str(feed)], capture_output=True, timeout=60
    )
    shown = _paired(done.stdout.decode())
    assert len(shown) == 2, done.stderr
    assert "12000/10000" in shown[0] and "12002/10000" in shown[1]


def test_the_default_group_takes_more_than_ten_thousand_waiting_lines(tmp_path: Path) -> None:
    # In slices of 10,000 this printed two changes: 10000/10000, then 10001/10000.
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(_lines(*(tx(f"t{i}", "b1", "1", START) for i in range(10_001))))
    done = subprocess.run([*_watch(tmp_path), str(feed)], capture_output=True, timeout=120)
    shown = _paired(done.stdout.decode())
    assert len(shown) == 1, done.stderr
    assert "not_yet_due -> compliant [target_met] 10001/10000" in shown[0]


def test_start_up_objects_are_frozen_while_watching_and_thawed_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from xfrules.cli import main
    from xfrules.commands import watch

    facts, obs = _write_inputs(tmp_path)
    frozen_while_posting: list[int] = []
    post = watch._post

    def counting_post(*args: Any) -> int:
        frozen_while_posting.append(gc.get_freeze_count())
        return post(*args)

    monkeypatch.setattr(watch, "_post", counting_post)
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(tx("a", "b1", "1", START)) + "\n"))
    assert gc.get_freeze_count() == 0
    args = ["watch", "--facts", str(facts), "--obligations", str(obs), "--start", "2020-03-01"]
    assert main(args) == 0
    assert frozen_while_posting and all(n > 0 for n in frozen_while_posting)
    assert gc.get_freeze_count() == 0  # the caller's process is left as it was
