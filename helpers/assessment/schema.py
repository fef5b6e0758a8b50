"""What a quiz bank and an exercise file may contain, and how a YAML file becomes one.

Both are YAML files read into pydantic models. Every mistake in a file stops with one
``CourseError`` whose lines name the file, the question or exercise, the field, and the fix.
The formats are described in ``quizzes/README.md`` and ``exercises/README.md``.
"""

from __future__ import annotations

import keyword
import re
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from helpers.core.errors import CourseError

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Difficulty = Literal["easy", "medium", "hard"]

# --------------------------------------------------------------------------- quiz banks


class Choice(BaseModel):
    """One option, with the feedback shown when the learner picks it."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")  # saved with answers
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = Field(min_length=1)


def _must_be_list(value: Any) -> Any:
    if not isinstance(value, list):
        raise ValueError("must be a YAML list: one item per line, each starting with '- '")
    return value


class Question(BaseModel):
    """One quiz question (see ``quizzes/README.md`` for the YAML form)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    difficulty: Difficulty
    type: Literal["single", "multiple", "true_false", "numeric"]
    topic: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    choices: list[Choice] = Field(default_factory=list)
    answer: float | None = None
    tolerance: float = 0.0
    wrong_feedback: str = ""
    hints: list[str] = Field(min_length=1)
    solution: list[str] = Field(min_length=1)
    quick_check: str = Field(min_length=1)
    mistakes: list[str] = Field(min_length=1)
    verify: str | None = None
    source: str = ""  # e.g. "seed practice question 3"

    _lists = field_validator("hints", "solution", "mistakes", mode="before")(_must_be_list)

    @model_validator(mode="after")
    def _check_answers(self) -> "Question":
        n_correct = sum(c.correct for c in self.choices)
        ids = [c.id for c in self.choices if c.id is not None]
        if len(set(ids)) < len(ids):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"choices: the option id(s) {', '.join(twice)} appear twice: give each "
                             "option its own id (answers are saved under it)")
        if self.type == "numeric":
            if self.answer is None:
                raise ValueError("answer: a numeric question needs `answer: <number>`")
            return self
        if len(self.choices) < 2:
            raise ValueError("choices: give at least two choices")
        if self.type in ("single", "true_false") and n_correct != 1:
            what = "no choice is" if n_correct == 0 else f"{n_correct} choices are"
            raise ValueError(f"choices: a {self.type} question needs exactly one choice with "
                             f"`correct: true`, but {what} marked correct")
        if self.type == "multiple" and n_correct == 0:
            raise ValueError("choices: mark at least one choice `correct: true`")
        if self.type == "true_false" and [c.text for c in self.choices] != ["True", "False"]:
            raise ValueError("choices: a true_false question has exactly two choices, "
                             "'True' then 'False'")
        return self

    def option_ids(self) -> list[str]:
        """Each option's id, in the order of the file; an option without one is known by its
        position (``"#2"``)."""
        return [c.id if c.id is not None else f"#{i}" for i, c in enumerate(self.choices)]

    def correct_indices(self) -> set[int]:
        return {i for i, c in enumerate(self.choices) if c.correct}

    def answer_text(self) -> str:
        if self.type == "numeric":
            value = f"{self.answer:g}"
            return value if not self.tolerance else f"{value} (± {self.tolerance:g})"
        return "; ".join(c.text for c in self.choices if c.correct)


class Bank(BaseModel):
    """A lesson's quiz: its title and questions."""

    model_config = ConfigDict(extra="forbid")
    lesson: str
    title: str
    questions: list[Question] = Field(default_factory=list)  # empty while a lesson is written

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)


# --------------------------------------------------------------------------- exercises


def _python(code: str, mode: str) -> str:
    """Raise a readable error when ``code`` is not valid Python (``mode``: "eval" or "exec")."""
    try:
        compile(code, "<exercise>", mode)
    except SyntaxError as err:
        kind = "a Python expression" if mode == "eval" else "Python code"
        raise ValueError(f"is not valid {kind}: {err.msg} (line {err.lineno}): "
                         f"{(err.text or '').strip()!r}") from None
    return code


class Case(BaseModel):
    """One test case: one property that the task states, tested by calling the learner's code.

    ``property`` says the property in words (the learner sees it when the case fails), and
    ``input`` the input in words. ``expect`` is a Python expression for the expected value
    (compared with a tolerance for numbers); ``test`` is a Python expression about ``got`` that
    must be true, with ``explain`` saying in words what was expected. ``detail``, an optional
    expression evaluated when the case fails, says what went wrong ("validation and test share
    21 rows"); ``test`` and ``detail`` see the inputs as they were before the call, ``got``, and
    ``used``, the namespace the call ran in. ``unchanged`` names inputs the code must not change (a
list, or a mapping from the input's name to the name the task gives it).
    """

    model_config = ConfigDict(extra="forbid")
    property: str = Field(min_length=1)
    call: str = Field(min_length=1)
    input: str = ""
    expect: str | None = None
    test: str | None = None
    explain: str = ""
    detail: str | None = None
    unchanged: dict[str, str] = Field(default_factory=dict)  # input name: its name in the task
    tolerance: float = 1e-6

    @field_validator("unchanged", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return {name: name for name in value} if isinstance(value, list) else value

    @field_validator("call", "expect", "test", "detail")
    @classmethod
    def _is_expression(cls, value: str | None) -> str | None:
        return None if value is None else _python(value, "eval")

    @model_validator(mode="after")
    def _one_kind(self) -> "Case":
        if (self.expect is None) == (self.test is None):
            raise ValueError("expect: give exactly one of `expect` (the expected value) or `test` "
                             "(a condition on `got`)")
        if self.test is not None and not self.explain:
            raise ValueError("explain: a case with `test` needs `explain`, the expected result "
                             "in words (the learner sees it when the case fails)")
        return self


class Mistake(BaseModel):
    """A known mistake: how to recognise it, what to tell the learner, and the mistake as code."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    when: str = Field(min_length=1)  # a Python expression, true when the mistake is present
    feedback: str = Field(min_length=1)
    example: str = Field(min_length=1)  # the mistake written as real code (tests run it)

    @field_validator("when")
    @classmethod
    def _when(cls, value: str) -> str:
        return _python(value, "eval")

    @field_validator("example")
    @classmethod
    def _example(cls, value: str) -> str:
        return _python(value, "exec")


def _plain(text: str) -> str:
    """Text without Markdown emphasis and code marks, in one line, lower case (for quoting)."""
    return " ".join(re.sub(r"[*`_]", "", text).split()).lower()


class _Answer(BaseModel):
    """A learner's cell written out as data: Python code that must compile."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _python(value, "exec")


class Accepted(_Answer):
    """A correct solution in another style than the reference: the check must accept it."""

    style: str = Field(min_length=1)  # what makes it different, e.g. "attribute access"


class Rejected(_Answer):
    """A plausible wrong answer (not one of the known mistakes): the check must reject it."""

    why: str = Field(min_length=1)  # what is wrong, in one sentence
    breaks: str = Field(min_length=1)  # the words of the prompt that it breaks


class Exercise(BaseModel):
    """One coding exercise (see ``exercises/README.md`` for the YAML form)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    difficulty: Difficulty
    topic: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    names: list[str] = Field(min_length=1)
    placeholder: str = Field(min_length=1)
    given: str = ""  # what the lesson has already defined when the exercise comes
    fixtures: str = ""  # code run once, in a private namespace, before the checks
    cases: list[Case] = Field(min_length=1)
    mistakes: list[Mistake] = Field(min_length=1)
    hints: list[str] = Field(min_length=1)
    solution: str = Field(min_length=1)
    explanation: list[str] = Field(min_length=1)
    success: str = ""  # one line to remember, shown with the confirmation
    accepted: list[Accepted] = Field(min_length=2)  # other correct styles: the check accepts them
    rejected: list[Rejected] = Field(min_length=2)  # other wrong answers: the check rejects them

    _lists = field_validator("names", "cases", "mistakes", "hints", "explanation", "accepted",
                             "rejected", mode="before")(_must_be_list)

    @field_validator("names")
    @classmethod
    def _identifiers(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.isidentifier() or keyword.iskeyword(name):
                raise ValueError(f"{name!r} is not a Python name")
        return value

    @field_validator("placeholder", "given", "fixtures", "solution")
    @classmethod
    def _code(cls, value: str) -> str:
        return _python(value, "exec")

    @model_validator(mode="after")
    def _unique_mistakes(self) -> "Exercise":
        seen = [m.id for m in self.mistakes]
        twice = sorted({m for m in seen if seen.count(m) > 1})
        if twice:
            raise ValueError(f"mistakes: the id {twice[0]!r} is used twice; give each its own")
        prompt = _plain(self.prompt)
        for number, rejected in enumerate(self.rejected):
            for words in re.split(r"\.\.\.|…", _plain(rejected.breaks)):  # "..." skips words
                words = words.strip("\"'.,;: ")
                if words and words not in prompt:
                    raise ValueError(f"rejected.{number}.breaks: quote the words of the prompt "
                                     f"that this answer breaks; {words!r} is not in the prompt")
        return self


class ExerciseSet(BaseModel):
    """A lesson's exercises."""

    model_config = ConfigDict(extra="forbid")
    lesson: str
    exercises: list[Exercise] = Field(default_factory=list)


# --------------------------------------------------------------------------- YAML to models

Model = TypeVar("Model", bound=BaseModel)
# PyYAML's safe loader in C (libyaml, in PyYAML's wheels) where present: the same result, parsed
# about ten times faster than the pure-Python one (a lesson's banks load on every check).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str, source: str) -> Any:
    """Parse YAML; a syntax error names the file, line and column, and the usual fix."""
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CourseError(f"{source}{where}: YAML syntax error ({problem}). Fix: check the "
                          "indentation and quote text that contains ': ' or starts with '`'.") from None


def _where(raw: Any, loc: tuple[Any, ...], items: str) -> tuple[str, str]:
    """The item (question or exercise, by id) and the field of a pydantic error location."""
    word = items.rstrip("s")
    if len(loc) >= 2 and loc[0] == items and isinstance(loc[1], int):
        item_id = "?"
        try:
            item_id = str(raw[items][loc[1]].get("id", f"#{loc[1] + 1}"))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        field_path = ".".join(str(p) for p in loc[2:]) or f"(the {word})"
        return f"{word} '{item_id}'", field_path
    return "the file", ".".join(str(p) for p in loc) or "(top level)"


def validate(model: type[Model], raw: Any, source: str, items: str) -> Model:
    """Validate parsed YAML against ``model``; one CourseError lists every problem, each naming
    the file, the item (``items`` is the list field: "questions" or "exercises") and the field."""
    word = items.rstrip("s")
    if not isinstance(raw, dict):
        raise CourseError(f"{source}: the file is a mapping with `lesson` and `{items}` "
                          f"(got {type(raw).__name__}).")
    first_seen: dict[str, int] = {}
    for number, item in enumerate(raw.get(items) or [], start=1):
        item_id = item.get("id") if isinstance(item, dict) else None
        if item_id in first_seen:
            raise CourseError(f"{source}, {word} '{item_id}', field 'id': {items} "
                              f"{first_seen[item_id]} and {number} share this id. Fix: give each "
                              f"{word} its own id (progress is saved under it).")
        if item_id is not None:
            first_seen[item_id] = number
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            who, field_name = _where(raw, tuple(err["loc"]), items)
            msg = err["msg"].removeprefix("Value error, ")
            model_level = re.match(r"^([a-z_][a-z0-9_.]*): (.*)$", msg, flags=re.S)
            if err["type"] == "value_error" and model_level:  # a model's check: "field: message"
                inner, msg = model_level.groups()
                field_name = inner if field_name.startswith("(the ") else f"{field_name}.{inner}"
            if err["type"] == "literal_error":
                msg = f"{msg} (got {err.get('input')!r})"
            if err["type"] == "missing":
                msg = "this field is required"
            if err["type"] == "string_type" and isinstance(err.get("input"), bool):
                msg += (f" (YAML read the bare word as the boolean {err['input']}: "
                        "put the text in quotes, e.g. \"yes\")")
            lines.append(f"{source}, {who}, field '{field_name}': {msg}")
        raise CourseError("\n".join(lines)) from None


def parse_bank(text: str, source: str) -> Bank:
    """Parse and validate a quiz bank's YAML; raise one CourseError naming file, question and field."""
    return validate(Bank, read_yaml(text, source), source, "questions")


def parse_exercises(text: str, source: str) -> ExerciseSet:
    """Parse and validate an exercise file; raise one CourseError naming file, exercise and field."""
    return validate(ExerciseSet, read_yaml(text, source), source, "exercises")
