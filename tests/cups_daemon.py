"""A CUPS scheduler of the test's own, with a cups-pdf queue: started in the foreground, stopped after.

Everything of the daemon lives in a scratch folder: its configuration (ServerRoot), spool, cache, state and logs,
and it listens on a unix socket there only (never on the system's socket or a network port). Clients find it
through ``CUPS_SERVER`` (libcups, and so Qt's print plugin and the ``lp*`` tools).

The queue is a real cups-pdf printer (Debian ``printer-driver-cups-pdf``): the job goes through the scheduler, the
filters and Ghostscript, and the backend writes a PDF. cups-pdf reads its settings from the fixed folder /etc/cups
only; its device URI ``cups-pdf:/<instance>`` makes it read ``/etc/cups/cups-pdf-<instance>.conf``, so the daemon
writes one such file with a unique instance name (its ``Out`` folder in the scratch folder) and removes it when it
stops. The system's own ``cups-pdf.conf`` is never touched. That needs root (the cups-pdf backend runs as root
anyway); :func:`unavailable` says why when the machine cannot run it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_ETC = Path("/etc/cups")
#: Bounds for waiting on the scheduler and on a job (never an assertion on speed: only a guard against a hang).
STARTUP_LIMIT_S = 60
JOB_LIMIT_S = 180


def unavailable() -> str | None:
    """Why a CUPS test cannot run here, or ``None``."""
    for tool in ("cupsd", "lpadmin", "lpstat", "cupsenable", "cupsaccept", "pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (bootstrap.py installs cups-daemon, cups-client, poppler-utils)"
    if not CUPS_PDF_PPD.is_file() or not CUPS_PDF_BACKEND.is_file():
        return "printer-driver-cups-pdf is not installed"
    if os.geteuid() != 0 or not os.access(CUPS_ETC, os.W_OK):
        return "the cups-pdf backend and its per-queue settings in /etc/cups need root"
    return None


def reset_libcups_server() -> None:
    """Make libcups in this process read ``CUPS_SERVER`` again (it keeps the server name of its first call)."""
    name = ctypes.util.find_library("cups")
    if name:
        lib = ctypes.CDLL(name)
        lib.cupsSetServer.argtypes = [ctypes.c_char_p]
        lib.cupsSetServer(None)


class CupsDaemon:
    """``cupsd -f`` on a scratch folder, with one cups-pdf queue named :attr:`queue`.

    The folder is made in the system's temporary folder, readable by all: the scheduler runs its filters as the
    ``lp`` user, which cannot enter pytest's own (private) temporary folders.
    """

    def __init__(self, queue: str = "ward-pdf"):
        self.base = Path(tempfile.mkdtemp(prefix="crs-bedside-cups-"))
        self.queue = queue
        self.instance = f"crs{uuid.uuid4().hex[:10]}"
        self.socket = self.base / "cups.sock"
        self.out = self.base / "out"
        self.conf = CUPS_ETC / f"cups-pdf-{self.instance}.conf"
        self.env = dict(os.environ, CUPS_SERVER=str(self.socket))
        self._process: subprocess.Popen | None = None

    # -- life -----------------------------------------------------------------------------------------------------
    def start(self) -> CupsDaemon:
        root = self.base / "root"
        for folder in ("root", "spool", "spool/tmp", "cache", "state", "log", "out"):
            (self.base / folder).mkdir(parents=True, exist_ok=True)
            (self.base / folder).chmod(0o755)
        (self.base / "spool/tmp").chmod(0o1777)
        self.base.chmod(0o755)
        (root / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n", encoding="utf-8")
        (root / "cups-files.conf").write_text(
            f"ServerRoot {root}\nRequestRoot {self.base / 'spool'}\nTempDir {self.base / 'spool/tmp'}\n"
            f"CacheDir {self.base / 'cache'}\nStateDir {self.base / 'state'}\n"
            f"AccessLog {self.base / 'log/access_log'}\nErrorLog {self.base / 'log/error_log'}\n"
            f"PageLog {self.base / 'log/page_log'}\nPrintcap {self.base / 'printcap'}\n"
            "SystemGroup root\nSandboxing Relaxed\n", encoding="utf-8")
        self.conf.write_text(f"Out {self.out}\nAnonDirName {self.out}\nLabel 0\nUserUMask 0022\nGrp root\n",
                             encoding="utf-8")
        log = (self.base / "log" / "cupsd.out").open("wb")
        self._process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
            stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while self.lp("lpstat", "-r", check=False).stdout.strip() != "scheduler is running":
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"cupsd did not start: {self.error_log()}")
            time.sleep(0.1)
        try:
            self.add_queue()
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        self.conf.unlink(missing_ok=True)
        shutil.rmtree(self.base, ignore_errors=True)

    # -- queues and jobs ------------------------------------------------------------------------------------------
    def lp(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a CUPS client tool against this daemon."""
        result = subprocess.run(list(command), capture_output=True, text=True, env=self.env, timeout=60)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {result.stderr.strip()}")
        return result

    def add_queue(self, default: bool = True) -> None:
        self.lp("lpadmin", "-p", self.queue, "-E", "-v", f"cups-pdf:/{self.instance}", "-P", str(CUPS_PDF_PPD))
        if default:
            self.lp("lpadmin", "-d", self.queue)

    def remove_queue(self) -> None:
        self.lp("lpadmin", "-x", self.queue)

    def pending_jobs(self) -> str:
        return self.lp("lpstat", "-o", self.queue, check=False).stdout.strip()

    def stopped(self) -> bool:
        return "disabled" in self.lp("lpstat", "-p", self.queue, check=False).stdout

    def ready(self) -> None:
        """The queue empty, printing and accepting jobs."""
        self.lp("cancel", "-a", self.queue, check=False)
        self.lp("cupsenable", self.queue)
        self.lp("cupsaccept", self.queue)

    def printed(self, before: set[Path]) -> list[Path]:
        """Wait until the queue is empty (or stopped by a failed job), then the PDFs cups-pdf wrote since
        ``before`` (a listing of :attr:`out`)."""
        deadline = time.monotonic() + JOB_LIMIT_S
        while self.pending_jobs() and not self.stopped() and time.monotonic() < deadline:
            time.sleep(0.2)
        return sorted(set(self.out.glob("*.pdf")) - before)

    def error_log(self) -> str:
        path = self.base / "log" / "error_log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
