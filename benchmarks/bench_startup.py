"""Benchmark: start-up of the command line against importing its two libraries.

    python benchmarks/bench_startup.py              # 15 rounds
    python benchmarks/bench_startup.py --rounds 30

Times, each as a fresh process (bytecode cached: one warm-up run of each first), in rounds
that alternate the commands (load drifts), keeping each command's best:

- baseline: ``python -c "import pydantic, pluggy"``;
- ``xfrules --help``: building the parser of every command;
- ``xfrules plugins``: listing the installed plug-ins, each from its cached validated summary
  (:mod:`xfrules.plugin_listing`; round 0 fills the cache);
- ``xfrules plugins`` with the caches off (``XFRULES_CACHE=off``): parsing every file and
  validating every obligation;
- the floor of ``plugins`` from the cache: finding the plug-ins (their entry points loaded,
  ``xfrules.plugin_manager``) without listing them;
- two floors of ``plugins`` without the cache (and of every command that reads the rules):
  importing pydantic's model machinery (``import pydantic`` alone is lazy and loads none of
  it) with pluggy, and importing the rules' model classes and the plug-in machinery
  (``xfrules.registry``) without loading a plug-in.

Prints the best times and each command's ratio to the baseline, measured in this one run,
wall-clock and CPU time (user + system of the child: steadier on a shared machine).
Targets (issue 17): ``--help`` ≤ 2.5×, ``plugins`` ≤ 3×. Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    xfrules = str(Path(sys.executable).parent / "xfrules")
    cached = dict(os.environ)
    cached.pop("XFRULES_CACHE", None)
    # Bytecode as an installed user has it: a shell that sets PYTHONDONTWRITEBYTECODE would
    # have every run compile xfrules' modules again (pydantic's were compiled at install).
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {
        "import pydantic, pluggy": ([sys.executable, "-c", "import pydantic, pluggy"], cached),
        "xfrules --help": ([xfrules, "--help"], cached),
        "xfrules plugins": ([xfrules, "plugins"], cached),
        "xfrules plugins (no cache)": ([xfrules, "plugins"], {**cached, "XFRULES_CACHE": "off"}),
        # What plugins cannot do without: finding the plug-ins; and without the cache,
        # pydantic's model machinery (``import pydantic`` itself is lazy: it loads none of
        # it) and the rules' model classes.
        "floor: plug-ins found": (
            [
                sys.executable,
                "-c",
                "from xfrules.plugin_manager import get_plugin_manager; get_plugin_manager()",
            ],
            cached,
        ),
        "floor: pydantic BaseModel": (
            [sys.executable, "-c", "from pydantic import BaseModel; import pluggy"],
            cached,
        ),
        "floor: rules' models": ([sys.executable, "-c", "import xfrules.registry"], cached),
    }
    best = dict.fromkeys(commands, float("inf"))
    cpu = dict.fromkeys(commands, float("inf"))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for rnd in range(args.rounds + 1):
        for name, (cmd, env) in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            if rnd:  # round 0 warms the bytecode and the parsed-data cache
                best[name] = min(best[name], elapsed)
                cpu[name] = min(cpu[name], used)
    base = best["import pydantic, pluggy"]
    base_cpu = cpu["import pydantic, pluggy"]
    # CPU time (the child's user + system) beside wall time: on a shared machine a process
    # waits for a core now and then, which the CPU time does not count.
    for name, seconds in best.items():
        print(
            f"{name:<28} {seconds * 1000:7.1f} ms  {seconds / base:5.2f}x baseline"
            f"   CPU {cpu[name] * 1000:6.1f} ms  {cpu[name] / base_cpu:5.2f}x"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
