"""Log output for the service: readable lines by default, one JSON object a line with GUIDEBOT_LOG_FORMAT=json
(what log collectors in container platforms read without parsing rules)."""
from __future__ import annotations

import json
import logging
import os
import time


class JsonFormatter(logging.Formatter):
    def __init__(self, worker: str = "") -> None:
        super().__init__()
        self.worker = worker

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "pid": record.process}
        if self.worker:
            entry["worker"] = self.worker
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(worker: str = "") -> None:
    """LOG_LEVEL (default INFO) and GUIDEBOT_LOG_FORMAT (text or json) from the environment."""
    handler = logging.StreamHandler()
    if os.environ.get("GUIDEBOT_LOG_FORMAT", "text").lower() == "json":
        handler.setFormatter(JsonFormatter(worker))
    else:
        name = f"%(name)s[{worker}]" if worker else "%(name)s"
        handler.setFormatter(logging.Formatter(f"%(asctime)s %(levelname)s {name}: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
