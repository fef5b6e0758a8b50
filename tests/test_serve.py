"""The HTTP service, for real: uvicorn on a free loopback port, real requests, bad input, load."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

import helpers
from helpers import modelcard, serve


@pytest.fixture(scope="module")
def model_dir(course_cache):
    return helpers.training.finetuned_model()


@pytest.fixture(scope="module")
def service(model_dir):
    running = serve.start_background(model_dir)
    yield running
    assert running.stop()  # SIGTERM: uvicorn shuts down by itself, no kill needed
    assert running.process.poll() is not None


@pytest.fixture(scope="module")
def reference(model_dir):
    from transformers import pipeline

    return pipeline("text-classification", model=str(model_dir))


def test_binds_to_loopback_by_default():
    import inspect

    assert inspect.signature(serve.run).parameters["host"].default == "127.0.0.1"
    from helpers import cli

    assert cli.build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_health_and_docs(service):
    health = httpx.get(f"{service.url}/health").json()
    assert health["status"] == "ok" and health["labels"] == ["negative", "positive"]
    assert httpx.get(f"{service.url}/docs").status_code == 200
    paths = httpx.get(f"{service.url}/openapi.json").json()["paths"]
    assert {"/health", "/predict"} <= set(paths)


def test_one_text_and_a_batch_match_the_pipeline(service, reference):
    texts = list(helpers.load_reviews()["test"]["text"][:32])
    one = httpx.post(f"{service.url}/predict", json={"text": texts[0]})
    assert one.status_code == 200
    expected = reference(texts, batch_size=8)
    assert one.json()["predictions"][0]["label"] == expected[0]["label"]
    batch = httpx.post(f"{service.url}/predict", json={"texts": texts}).json()["predictions"]
    assert [p["label"] for p in batch] == [e["label"] for e in expected]
    assert [p["score"] for p in batch] == pytest.approx([e["score"] for e in expected], abs=1e-4)


@pytest.mark.parametrize("name,request_kwargs,fragment", [
    ("empty text", {"json": {"text": "  "}}, "empty"),
    ("text too long", {"json": {"text": "x" * (serve.MAX_CHARS + 1)}}, "limit is 1000"),
    ("batch too big", {"json": {"texts": ["ok"] * (serve.MAX_BATCH + 1)}}, "limit is 64"),
    ("empty batch", {"json": {"texts": []}}, "batch is empty"),
    ("empty text in a batch", {"json": {"texts": ["ok", ""]}}, "texts[1]"),
    ("not JSON", {"content": b"text=hello", "headers": {"Content-Type": "application/json"}}, "not valid JSON"),
    ("wrong type", {"json": {"text": 42}}, "text"),
    ("texts not a list", {"json": {"texts": "one string"}}, "texts"),
    ("neither field", {"json": {}}, "exactly one"),
    ("both fields", {"json": {"text": "a", "texts": ["b"]}}, "exactly one"),
    ("unknown field", {"json": {"txt": "a"}}, "txt"),
])
def test_bad_input_gets_a_4xx_that_says_what_to_fix(service, name, request_kwargs, fragment):
    answer = httpx.post(f"{service.url}/predict", **request_kwargs)
    assert 400 <= answer.status_code < 500, name
    assert fragment in answer.json()["message"], answer.json()
    assert httpx.get(f"{service.url}/health").status_code == 200


def test_16_concurrent_clients_lose_nothing(service, reference):
    texts = list(helpers.load_reviews()["test"]["text"][:160])   # 16 clients, 10 requests each
    expected = [p["label"] for p in reference(texts, batch_size=32)]

    def client(worker: int) -> list[tuple[int, int, str]]:
        answers = []
        with httpx.Client(base_url=service.url, timeout=60) as http:
            for i in range(10):
                index = worker * 10 + i
                r = http.post("/predict", json={"text": texts[index]})
                answers.append((index, r.status_code, r.json()["predictions"][0]["label"]))
        return answers

    with ThreadPoolExecutor(16) as pool:
        results = [a for answers in pool.map(client, range(16)) for a in answers]
    assert len(results) == 160
    assert all(status == 200 for _, status, _ in results)
    assert sorted(i for i, _, _ in results) == list(range(160))
    assert all(label == expected[i] for i, _, label in results)
    assert httpx.get(f"{service.url}/health").json()["status"] == "ok"


def test_model_card_has_what_users_need(tmp_path):
    sizes = {"train": 9202, "validation": 994, "test": 2556}
    text = modelcard.model_card(metrics={"accuracy": 0.8419}, recipe={"learning_rate": 1e-4},
                                split_sizes=sizes)
    import yaml

    meta = yaml.safe_load(text.split("---")[1])
    assert meta["pipeline_tag"] == "text-classification" and meta["license"] == "apache-2.0"
    assert helpers.assets.MODEL.files["model.safetensors"] in text
    assert helpers.assets.MODEL.wheel_sha256 in text
    assert "train 9,202" in text and "test 2,556" in text and "| accuracy | 0.842 |" in text
    for heading in ("## Intended use", "## Limitations and biases", "## Data and split"):
        assert heading in text
    assert "critics" in text.lower()
    path = modelcard.write_model_card(tmp_path, metrics={"accuracy": 0.8}, recipe={}, split_sizes=sizes)
    assert path.name == "README.md" and path.read_text().startswith("---")


def test_demo_widget_updates_label_and_bar():
    demo = helpers.demo.Demo(lambda text: {"label": "negative", "score": 0.75}, example="")
    assert "Type a review" in (demo.update() or demo.result.value)
    demo.text.value = "A dull film."  # the observer classifies on change
    assert "negative" in demo.result.value and demo.bar.value == 0.75
    assert demo.bar.bar_style == "danger"
