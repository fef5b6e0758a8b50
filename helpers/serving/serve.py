"""The fine-tuned model as an HTTP service (FastAPI + uvicorn), the way a team would run it.

    hfcourse serve [--model PATH] [--port 8000] [--host 127.0.0.1]

Endpoints: ``GET /health``, ``POST /predict`` (one text or a batch), and the OpenAPI docs at
``/docs``. The model is loaded once, at start-up. Bad requests get a 4xx answer whose ``message``
says what to fix, and the server keeps serving.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_CHARS = 1000  # reviews in the data are at most 255 characters; longer input is refused
MAX_BATCH = 64  # texts per request


class PredictRequest(BaseModel):
    """Send either ``text`` (one review) or ``texts`` (a batch), not both."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"text": "A dazzling, heartfelt triumph."},
                     {"texts": ["Loved it.", "Two hours I will never get back."]}]})
    text: str | None = Field(None, description=f"one text, 1-{MAX_CHARS} characters")
    texts: list[str] | None = Field(
        None, description=f"1-{MAX_BATCH} texts, each 1-{MAX_CHARS} characters")

    @field_validator("text")
    @classmethod
    def _one(cls, value: str | None) -> str | None:
        if value is not None:
            _check_text(value, MAX_CHARS)
        return value

    @field_validator("texts")
    @classmethod
    def _many(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("the batch is empty: send at least one text")
        if len(value) > MAX_BATCH:
            raise ValueError(f"the batch has {len(value)} texts; the limit is {MAX_BATCH}. "
                             "Split it into several requests")
        for i, text in enumerate(value):
            try:
                _check_text(text, MAX_CHARS)
            except ValueError as err:
                raise ValueError(f"texts[{i}]: {err}") from None
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> "PredictRequest":
        if (self.text is None) == (self.texts is None):
            raise ValueError('send exactly one of "text" (a string) or "texts" (a list of strings)')
        return self


class Prediction(BaseModel):
    label: str
    score: float


class PredictResponse(BaseModel):
    predictions: list[Prediction]


def create_app(model_dir: str | Path) -> Any:
    """A FastAPI app serving the text-classification model in ``model_dir``."""
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from transformers import pipeline

    classifier = pipeline("text-classification", model=str(model_dir))
    lock = threading.Lock()  # one inference at a time: safe for the tokenizer, fair on 2 cores

    app = FastAPI(title="Review sentiment", version="1.0",
                  description=f"Fine-tuned MiniLM: is a film review positive or negative? "
                              f"Texts up to {MAX_CHARS} characters, batches up to {MAX_BATCH}.")

    @app.exception_handler(RequestValidationError)
    async def _explain(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            if err.get("type") == "json_invalid":
                problems.append('the body is not valid JSON. Send e.g. {"text": "A fine film."} '
                                "with Content-Type: application/json")
                continue
            message = str(err.get("msg", "")).removeprefix("Value error, ")
            problems.append(f"{where}: {message}")
        detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
                  for e in exc.errors()]
        return JSONResponse(status_code=422, content={"message": "; ".join(problems), "detail": detail})

    @app.get("/health")
    def health() -> dict[str, Any]:
        """Is the service up, and which model does it serve?"""
        return {"status": "ok", "model": Path(model_dir).name,
                "labels": list(classifier.model.config.id2label.values()),
                "max_chars": MAX_CHARS, "max_batch": MAX_BATCH}

    @app.post("/predict", response_model=PredictResponse)
    def predict(request: PredictRequest) -> dict[str, Any]:
        """Classify one text (``text``) or a batch (``texts``)."""
        texts = [request.text] if request.text is not None else list(request.texts or [])
        with lock:
            outputs = classifier(texts, batch_size=min(len(texts), 32), truncation=True)
        return {"predictions": [{"label": o["label"], "score": float(o["score"])} for o in outputs]}

    return app


def _check_text(text: str, max_chars: int) -> None:
    if not text.strip():
        raise ValueError("the text is empty: send at least one non-space character")
    if len(text) > max_chars:
        raise ValueError(f"the text has {len(text)} characters; the limit is {max_chars}. Shorten it")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    """A service started in the background by ``start_background``."""

    url: str
    process: subprocess.Popen

    def stop(self, timeout: float = 20) -> bool:
        """Stop it with SIGTERM (uvicorn finishes open requests, then exits); True if it exited
        by itself within ``timeout`` seconds, False if it had to be killed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return False
        return True


def start_background(model_dir: str | Path, port: int | None = None, timeout: float = 120) -> Service:
    """Start ``hfcourse serve`` in a separate process and wait until ``/health`` answers."""
    import httpx

    port = port or free_port()
    cmd = [sys.executable, "-m", "helpers.cli", "serve", "--model", str(model_dir), "--port", str(port)]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            from helpers.core.errors import CourseError

            raise CourseError(f"The service stopped at start-up: {process.stderr.read()[-800:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return Service(url, process)
        except httpx.HTTPError:
            time.sleep(0.3)
    Service(url, process).stop()
    from helpers.core.errors import CourseError

    raise CourseError(f"The service did not answer on {url}/health within {timeout:.0f} s.")


_IN_THREAD: dict[str, str] = {}


def start_in_thread(model_dir: str | Path, timeout: float = 60) -> str:
    """Serve ``model_dir`` from a thread of this process and return its address (started once per
    folder, stopped when the process ends). The exercises' checks use it; lessons use
    ``start_background``, a separate process, as a real deployment would."""
    import httpx
    import uvicorn

    key = str(Path(model_dir).resolve())
    if key not in _IN_THREAD:
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(model_dir), host="127.0.0.1", port=port,
                                               log_level="warning"))
        threading.Thread(target=server.run, daemon=True, name=f"serve-{port}").start()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while not server.started:
            if time.monotonic() > deadline:
                from helpers.core.errors import CourseError

                raise CourseError(f"The service in a thread did not start on {url} within "
                                  f"{timeout:.0f} s.")
            time.sleep(0.05)
        httpx.get(f"{url}/health", timeout=10).raise_for_status()
        _IN_THREAD[key] = url
    return _IN_THREAD[key]


def run(model_dir: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM)."""
    import uvicorn

    uvicorn.run(create_app(model_dir), host=host, port=port, log_level="warning")
