"""Child processes that end when their parent does, however it ends (SIGKILL included).

Query workers and ingest's extraction processes can be busy for minutes in native code; when the
process that started them is killed, nobody closes their pipes or joins them, and they would run on
as orphans holding hundreds of MB. `die_with_parent()` starts a thread that notices the parent is
gone (the process is re-parented) and ends this process at once. Linux's PR_SET_PDEATHSIG is not
used: it fires when the parent *thread* that forked exits, and our parents start children from
short-lived pool threads.
"""

from __future__ import annotations

import os
import threading

#: Seconds between looks at the parent: how long an orphan may outlive it.
_POLL_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Exit this process (status 1) as soon as `parent`, the pid of the process that started it (told
    by that process: by the time a child asks, its parent may be gone already), is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
