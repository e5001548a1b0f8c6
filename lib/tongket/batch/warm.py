"""The ``tongket_warm`` papermill engine: one kernel per worker process, kept across notebooks.

Registered through papermill's plug-in mechanism (entry point ``papermill.engine`` in
pyproject.toml) and, should the package metadata be missing, by ``register()``. Imported only
where a notebook runs, so ``import tongket`` does not pay for papermill.
"""

from __future__ import annotations

import threading
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine
from papermill.utils import merge_kwargs, remove_args

from ..common import paths
from .engines import PRELOAD, RESET

NAME = "tongket_warm"
# A kernel picks free ports, releases them, then binds them: another process starting a kernel at
# the same moment can take one, and the new kernel dies at once (jupyter/jupyter_client#154, #276).
# Its maintainers' remedy is a fresh kernel on new ports; three attempts make the race negligible.
START_ATTEMPTS = 3


def died_at_start(exc: BaseException) -> bool:
    """Whether a kernel failed while starting (the port race), not while running a cell."""
    return "died before replying to kernel_info" in str(exc)


def register() -> None:
    """Make sure papermill knows the engine (the entry point normally does it)."""
    from papermill.engines import papermill_engines

    from ..common.compat import papermill_engine_registered

    if not papermill_engine_registered(NAME, WarmEngine):
        papermill_engines.register(NAME, WarmEngine)


class _WarmClient(PapermillNotebookClient):
    """papermill's client, resetting the kept kernel's namespace before the first cell."""

    def papermill_execute_cells(self) -> None:
        run_in_kernel(self, RESET)
        super().papermill_execute_cells()


def run_in_kernel(client: Any, code: str) -> None:
    """Run `code` silently in the client's kernel (within the client's time limit); raise if it fails."""
    reply = client.wait_for_reply(client.kc.execute(code, silent=True, store_history=False))
    if reply is None or reply["content"]["status"] != "ok":
        content = (reply or {}).get("content", {})
        raise RuntimeError(f"Không chuẩn bị được kernel: {content.get('ename')}: {content.get('evalue')}")


class WarmEngine(NBClientEngine):
    """A papermill engine that keeps one kernel per worker process alive across notebooks."""

    _km: Any = None
    _kc: Any = None  # its client, kept too: a new client per notebook costs ~0.2 s to be ready
    _lock = threading.Lock()

    @classmethod
    def kernel(cls, kernel_name: str) -> Any:
        """This process's kernel manager, started (with the kit imported) on first use."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from ..common.compat import execute_interactive

        if cls._km is not None and run_sync(cls._km.is_alive)():
            return cls._km
        cls.discard()
        for attempt in range(1, START_ATTEMPTS + 1):
            km = AsyncKernelManager(kernel_name=kernel_name)  # new ports on every attempt
            run_sync(km.start_kernel)(cwd=str(paths.ROOT))
            kc = km.client()
            kc.allow_stdin = False
            # No heartbeat: a client made by its manager asks the manager whether the kernel lives,
            # and a heartbeat thread still creating its socket when a failed start is torn down
            # dies with ZMQError "Too many open files" (jupyter_client 8.10, pyzmq 27).
            kc.start_channels(hb=False)
            try:
                run_sync(kc.wait_for_ready)(timeout=120)
            except RuntimeError as exc:  # "Kernel died before replying to kernel_info"
                kc.stop_channels()
                run_sync(km.shutdown_kernel)(now=True)
                if attempt == START_ATTEMPTS or not died_at_start(exc):
                    raise
                continue
            except BaseException:
                kc.stop_channels()
                run_sync(km.shutdown_kernel)(now=True)
                raise
            break
        try:
            reply = execute_interactive(kc, PRELOAD, silent=True, store_history=False, timeout=300)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"Không nạp được thư viện trong kernel: {reply['content'].get('evalue')}")
        except BaseException:
            kc.stop_channels()
            run_sync(km.shutdown_kernel)(now=True)
            raise
        cls._km, cls._kc = km, kc
        _register_shutdown()
        return km

    @classmethod
    def discard(cls) -> None:
        """Shut the kept kernel down (after a failure or a timeout, and when the worker exits)."""
        from jupyter_core.utils import run_sync

        km, kc, cls._km, cls._kc = cls._km, cls._kc, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None and km.has_kernel:
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - a kernel already gone is what we want
                pass

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        partial = kwargs.pop("tongket_partial", None)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log_output=log_output, stdout_file=stdout_file,
                             stderr_file=stderr_file)
        with cls._lock:  # one notebook at a time per kernel
            client = _WarmClient(nb_man, km=cls.kernel(kernel_name), **final)
            client.kc = cls._kc  # nbclient starts a client only where it has none
            try:
                nb = client.execute()
                cls._kc = client.kc
                return nb
            except BaseException:
                cls.discard()  # a failed or stopped kernel may hold state or still be busy
                if partial:  # what ran until the failure, for the analyst (papermill saved nothing yet)
                    from papermill.iorw import write_ipynb

                    write_ipynb(nb_man.nb, partial)
                raise


_SHUTDOWN_REGISTERED = False


def _register_shutdown() -> None:
    """Shut the warm kernel down when the worker exits: multiprocessing workers skip atexit, so
    use multiprocessing's own finaliser as well."""
    global _SHUTDOWN_REGISTERED
    if not _SHUTDOWN_REGISTERED:
        from ..common.compat import at_process_exit

        at_process_exit(WarmEngine.discard)
        _SHUTDOWN_REGISTERED = True
