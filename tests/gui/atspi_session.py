"""One accessibility walk, run inside ``dbus-run-session`` (tests/gui/test_atspi.py starts it):

    dbus-run-session -- python tests/gui/atspi_session.py SCRATCH_FOLDER [--canary]

Starts Xvfb on a free display, the AT-SPI bus, then the app's screens (a11y_harness.py, with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` on the xcb platform), waits for them, walks them with the system's Python
and pyatspi (atspi_walk.py), prints the walker's JSON, and stops everything it started.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
SYSTEM_PYTHON = "/usr/bin/python3"
#: Bounds against a hang (the walk itself takes seconds); never an assertion on speed.
READY_LIMIT_S = 240


def main(scratch: Path, extra: list[str]) -> int:
    started: list[subprocess.Popen] = []
    try:
        read, write = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(xvfb)
        os.close(write)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        env = dict(os.environ, DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
                   XDG_CONFIG_HOME=str(scratch / "config"), XDG_DATA_HOME=str(scratch / "data"),
                   PYTHONPATH=str(ROOT))
        started.append(subprocess.Popen([BUS_LAUNCHER, "--launch-immediately"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        harness_out = (scratch / "harness.out").open("w")
        harness = subprocess.Popen([sys.executable, str(HERE / "a11y_harness.py"), str(scratch), *extra], env=env,
                                   stdout=harness_out, stderr=(scratch / "harness.err").open("w"), cwd=ROOT)
        started.append(harness)
        deadline = time.monotonic() + READY_LIMIT_S
        while "ready" not in (scratch / "harness.out").read_text():
            if harness.poll() is not None or time.monotonic() > deadline:
                sys.stderr.write((scratch / "harness.err").read_text()[-3000:])
                return 1
            time.sleep(0.2)
        walk = subprocess.run([SYSTEM_PYTHON, str(HERE / "atspi_walk.py"), str(harness.pid)], env=env,
                              capture_output=True, text=True, timeout=READY_LIMIT_S)
        sys.stdout.write(walk.stdout)
        sys.stderr.write(walk.stderr[-3000:])
        return walk.returncode
    finally:
        for process in reversed(started):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2:]))
