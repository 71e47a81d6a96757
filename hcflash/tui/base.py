"""What every hcflash screen shares: typed access to the app, and the TUI's one error path.

A project error in an action run on the UI thread (`reports_errors`) or in a worker
(`on_worker_state_changed`; workers run with exit_on_error=False) becomes the app's notice
(`HcflashApp.report_error`): the screen stays as it was and the app keeps running."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from textual import getters
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from hcflash.errors import HcflashError
from hcflash.tui.app import HcflashApp

Action = TypeVar("Action", bound=Callable[..., Any])


def reports_errors(action: Action) -> Action:
    """Wrap a screen's action so that an HcflashError is reported, not raised."""

    @wraps(action)
    def guarded(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        try:
            return action(self, *args, **kwargs)
        except HcflashError as exc:
            app = self.app
            assert isinstance(app, HcflashApp)
            app.report_error(exc)
            return None

    return cast(Action, guarded)


class HcflashScreen(Screen):
    app = getters.app(HcflashApp)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)
