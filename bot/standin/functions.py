"""The stand-in's Workflow Builder side: `function_execution(...)` makes the
`function_executed` event Slack sends when a workflow reaches one of the app's steps (with a
fresh execution id and that execution's own token); `functions.completeSuccess` and
`functions.completeError` end it, once, with that token, and are kept in
`standin.executions` for assertions."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

TOKEN_PREFIX = "xwfp-"  # an execution's bot_access_token


class FunctionSide:
    """Mixed into `SlackStandIn`; every method runs under the stand-in's lock."""

    executions: dict[str, dict[str, Any]]

    def _init_functions(self) -> None:
        self.executions = {}
        self._execution_ids = itertools.count(1)

    def function_execution(
        self, callback_id: str, inputs: dict[str, Any], *, app_id: str = "A0RAGFT"
    ) -> dict[str, Any]:
        """The `function_executed` event for a new execution of the app's step."""
        n = next(self._execution_ids)
        execution_id = f"Fx{n:010d}"
        token = f"{TOKEN_PREFIX}{execution_id.lower()}-token"
        self.executions[execution_id] = {"token": token, "state": "running", "outputs": None}
        return {
            "type": "function_executed",
            "function": {
                "id": f"Fn{n:08d}",
                "callback_id": callback_id,
                "title": "Assess an LLM workload",
                "type": "app",
                "app_id": app_id,
            },
            "inputs": inputs,
            "function_execution_id": execution_id,
            "workflow_execution_id": f"Wx{n:010d}",
            "event_ts": f"{time.time():.6f}",
            "bot_access_token": token,
        }

    def _function_answer(self, method: str, a: dict[str, Any], bearer: str) -> dict[str, Any]:
        execution = self.executions.get(str(a.get("function_execution_id")))
        if execution is None:
            return {"ok": False, "error": "function_execution_not_found"}
        if bearer != execution["token"]:
            return {"ok": False, "error": "invalid_auth"}
        if execution["state"] != "running":
            return {"ok": False, "error": "function_execution_not_found"}
        if method == "functions.completeSuccess":
            outputs = a.get("outputs")
            execution.update(
                state="completed",
                outputs=json.loads(outputs) if isinstance(outputs, str) else outputs,
            )
        else:
            execution.update(state="failed", error=a.get("error"))
        return {"ok": True}
