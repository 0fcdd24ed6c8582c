"""Running the app under uvicorn so that SIGTERM stops it within `Settings.shutdown_grace` seconds.

uvicorn's graceful shutdown waits for running requests, then the app's lifespan kills the store's
writer and the query workers (a write not yet committed is simply not stored). A request may still
wait in a thread of this process (on the writer's pipe, a page computed in a thread), and the
interpreter waits for such threads at exit. So the first SIGTERM / SIGINT also arms a watchdog: if the
process is still alive a little after the grace period, it exits at once. Child processes end with it
whatever happens (`kg.lifeline`).
"""

from __future__ import annotations

import logging
import math
import os
import threading
from types import FrameType

import uvicorn
from fastapi import FastAPI

from policekg.kg.config import Settings

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, grace: float) -> None:
        super().__init__(config)
        self.grace = grace
        self._watchdog: threading.Timer | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._watchdog is None:
            self._watchdog = threading.Timer(self.grace + 1, _exit_now, (self.grace,))
            self._watchdog.daemon = True
            self._watchdog.start()


def _exit_now(grace: float) -> None:
    log.warning("still busy %g s after the stop signal: exiting now", grace)
    logging.shutdown()
    os._exit(0)


def run(app: FastAPI, settings: Settings) -> None:
    """Serve `app` on the settings' host and port until a stop signal."""
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="info",
                            timeout_graceful_shutdown=max(1, math.ceil(settings.shutdown_grace)))
    _Server(config, settings.shutdown_grace).run()
