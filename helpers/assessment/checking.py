"""Running an exercise's checks against a learner's code.

Each check owns its inputs. The fixtures of an exercise are built once (``Inputs``), and every
known-mistake test and every case then works on a fresh deep copy of them, so code that changes
its arguments (``batch.pop("labels")``, ``W += ...``) can never spoil a later case, a later check,
or the reference solution.

A case tests one property that the task states, and says in words which property failed,
on what input, what was expected and what the code gave.
"""

from __future__ import annotations

import copy
import math
import reprlib
import types
from collections.abc import Callable, Mapping
from typing import Any

from helpers.core.errors import CourseError
from helpers.assessment.grading import Result, Status
from helpers.assessment.schema import Case, Exercise


def _stub() -> None:
    ...


def is_placeholder(value: Any) -> bool:
    """True for what an untouched exercise cell defines: ``...``, or a function whose body is
    only ``...`` (or ``pass``)."""
    if value is Ellipsis:
        return True
    code = getattr(value, "__code__", None)
    return code is not None and code.co_code == _stub.__code__.co_code and \
        set(code.co_consts) <= {None, Ellipsis}


def raises(action: Callable[[], Any], error: type[BaseException] | tuple = Exception,
           text: str = "") -> bool:
    """For mistake checks: does ``action()`` raise ``error`` with ``text`` in its message?"""
    try:
        action()
    except CourseError:
        raise
    except error as err:  # noqa: BLE001 - the point is to catch what the learner's code raises
        return text.lower() in str(err).lower()
    except Exception:  # noqa: BLE001
        return False
    return False


def attempt(action: Callable[[], Any]) -> Any:
    """For mistake checks: ``action()``, or the exception it raised (never raises)."""
    try:
        return action()
    except CourseError:
        raise
    except Exception as err:  # noqa: BLE001
        return err


CHECK_TOOLS = {"raises": raises, "attempt": attempt}

# --------------------------------------------------------------------------- comparing values

_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist, _short.maxdict = 120, 120, 8, 8


def describe(value: Any) -> str:
    """A short readable form of a value for feedback (arrays and tensors by shape)."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, type) and len(tuple(shape)) > 0:
        kind = type(value).__name__
        try:
            dtype = f", {value.dtype}"
        except AttributeError:
            dtype = ""
        return f"a {kind} of shape {tuple(shape)}{dtype}"
    return _short.repr(value)


def _numpy(value: Any) -> Any:
    detach = getattr(value, "detach", None)
    return detach().float().cpu().numpy() if detach else value


def _is_array(value: Any) -> bool:
    return hasattr(value, "shape") and not isinstance(value, (int, float, type))


def same(got: Any, expected: Any, tolerance: float = 1e-6) -> bool:
    """Equal, with a tolerance for numbers; arrays and tensors are compared by shape and values."""
    if _is_array(expected):
        import numpy as np

        try:
            a, b = np.asarray(_numpy(got)), np.asarray(_numpy(expected))
        except Exception:  # noqa: BLE001
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, atol=tolerance, rtol=1e-4))
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, (int, float)):
        try:
            return not isinstance(got, (bool, str)) and math.isclose(float(got), float(expected),
                                                                    abs_tol=tolerance)
        except (TypeError, ValueError):
            return False
    if isinstance(expected, Mapping):
        return isinstance(got, Mapping) and set(got) == set(expected) and all(
            same(got[k], v, tolerance) for k, v in expected.items())
    if isinstance(expected, (list, tuple)):
        return isinstance(got, (list, tuple)) and len(got) == len(expected) and all(
            same(g, e, tolerance) for g, e in zip(got, expected))
    to_dict = getattr(expected, "to_dict", None)  # a datasets.Dataset: by its content
    if callable(to_dict) and callable(getattr(got, "to_dict", None)):
        try:
            return same(got.to_dict(), to_dict(), tolerance)
        except Exception:  # noqa: BLE001
            return False
    return bool(got == expected)


def difference(got: Any, expected: Any) -> str:
    """Where ``got`` differs from ``expected``, in words ("" when it can't say more than the
    two values do): the largest difference of two arrays and its position, the first differing
    item of two lists, the missing or extra keys of two dicts."""
    if _is_array(expected) and _is_array(got):
        import numpy as np

        try:
            a, b = np.asarray(_numpy(got), dtype=float), np.asarray(_numpy(expected), dtype=float)
        except Exception:  # noqa: BLE001
            return ""
        if a.shape != b.shape:
            return f"the shapes differ: {tuple(a.shape)} where {tuple(b.shape)} was expected"
        gap = np.abs(a - b)
        if gap.size == 0 or not np.isfinite(gap).any():
            return "the values are not finite" if gap.size else ""
        where = np.unravel_index(int(np.nanargmax(gap)), gap.shape)
        at = f" at index {tuple(int(i) for i in where)}" if a.ndim else ""
        wrong = int((gap > 1e-6 + 1e-4 * np.abs(b)).sum())
        return (f"the values differ in {wrong} of {gap.size} places; the largest difference is "
                f"{gap[where]:.4g}{at} (expected {b[where]:.4g}, got {a[where]:.4g})")
    if isinstance(expected, Mapping) and isinstance(got, Mapping):
        missing = sorted(set(expected) - set(got), key=str)
        extra = sorted(set(got) - set(expected), key=str)
        if missing or extra:
            parts = ([f"missing key(s) {', '.join(map(repr, missing))}"] if missing else []) + \
                    ([f"unexpected key(s) {', '.join(map(repr, extra))}"] if extra else [])
            return "; ".join(parts)
        for key, value in expected.items():
            if not same(got[key], value):
                inner = difference(got[key], value)
                return f"key {key!r}: expected {describe(value)}, got {describe(got[key])}" + \
                    (f" ({inner})" if inner else "")
        return ""
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        if len(got) != len(expected):
            return f"{len(got)} items where {len(expected)} were expected"
        for i, (g, e) in enumerate(zip(got, expected)):
            if not same(g, e):
                return (f"the first difference is at position {i}: expected {describe(e)}, "
                        f"got {describe(g)}")
        return ""
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and \
            type(got) in (str, bool):
        return f"a {type(got).__name__} where a number was expected"
    return ""


# --------------------------------------------------------------------------- the check's inputs


class Inputs:
    """An exercise's fixtures: built once, handed out as fresh deep copies for every use.

    A copy is made when a name is first read, so that a test pays only for what it uses.
    Functions that the fixtures define are rebound to the copy, so that ``build()`` uses the
    copy's ``MODEL``, not the original. The names listed in a fixture variable ``SHARED`` (a
    running service, a server that records requests) are handed out as they are. A value that
    cannot be deep-copied is built again from the fixtures instead.
    """

    def __init__(self, code: str, name: str) -> None:
        self.code, self.name = code, name
        self._pristine = self._build()

    def _build(self) -> dict[str, Any]:
        import helpers

        ns: dict[str, Any] = {"helpers": helpers, "__name__": f"fixtures_{self.name}"}
        exec(compile(self.code, f"<fixtures of {self.name}>", "exec"), ns)  # noqa: S102
        return ns

    def fresh(self) -> dict[str, Any]:
        """A namespace of the check's inputs that nothing else shares."""
        return _Fresh(self)


class _Fresh(dict):  # type: ignore[type-arg]
    """The inputs' namespace: each value is deep-copied from the originals when first read."""

    def __init__(self, inputs: Inputs) -> None:
        super().__init__()
        self._inputs, pristine = inputs, inputs._pristine
        self._memo: dict[int, Any] = {id(pristine): self}
        for name in pristine.get("SHARED", ()):
            self._memo[id(pristine[name])] = pristine[name]
        for name, value in pristine.items():
            if isinstance(value, types.FunctionType) and value.__globals__ is pristine:
                self._memo[id(value)] = _rebind(value, self)
            elif isinstance(value, (types.ModuleType, type, types.FunctionType,
                                    types.BuiltinFunctionType)):
                self._memo[id(value)] = value
            else:
                continue
            self[name] = self._memo[id(value)]
        for name in pristine.get("SHARED", ()):
            self[name] = pristine[name]

    def __missing__(self, name: str) -> Any:
        pristine = self._inputs._pristine
        if name not in pristine:
            raise KeyError(name)
        try:
            value = copy.deepcopy(pristine[name], self._memo)
        except Exception:  # noqa: BLE001 - it can't be copied: a new one, built from scratch
            value = self._inputs._build()[name]
        self[name] = value
        return value

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in self._inputs._pristine

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[name] if name in self else default


def _rebind(fn: types.FunctionType, namespace: dict[str, Any]) -> types.FunctionType:
    new = types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__)
    new.__kwdefaults__ = copy.copy(fn.__kwdefaults__)
    new.__dict__.update(fn.__dict__)
    return new


# --------------------------------------------------------------------------- running the checks


def not_attempted(exercise: Exercise, user_ns: Mapping[str, Any]) -> Result | None:
    """The "not attempted yet" result while a name is missing or still the placeholder, else
    None."""
    missing = [n for n in exercise.names if n not in user_ns]
    untouched = [n for n in exercise.names if n in user_ns and is_placeholder(user_ns[n])]
    if not (missing or untouched):
        return None
    names = ", ".join(f"`{n}`" for n in exercise.names)
    what = (f"Run the cell with your code first: it defines {names}." if missing else
            "Replace the `...` in the cell above with your code, run that cell, then run this "
            "check again.")
    return Result(False, 0.0, [f"Not attempted yet. {what}"], status=Status.NOT_ATTEMPTED)


def course_error(what: str, err: BaseException) -> Result:
    """The check itself failed: the course's problem, shown with its fix, never recorded."""
    fix = str(err) if isinstance(err, CourseError) else (
        f"{type(err).__name__}: {str(err)[:300]}. Run `hfcourse doctor` in a terminal, fix "
        "what it reports, and run this cell again; if it reports nothing, tell your teacher")
    return Result(False, 0.0, [f"This is not your mistake: the check could not {what}. {fix}"],
                  status=Status.COURSE_ERROR)


def check_exercise(exercise: Exercise, user_ns: Mapping[str, Any], inputs: Inputs) -> Result:
    """Run an exercise's checks against the names the learner defined in ``user_ns``.

    In order: an untouched placeholder is "not attempted"; then each known mistake is looked
    for, and the first one found gives its own feedback; then each case tests one property of
    the task, and the first that fails is named with the property, the input, what was expected
    and what the code gave. Every mistake test and every case gets its own copy of the inputs.
    Never raises: an error in the learner's code becomes feedback, and an error of the check
    itself a course error.
    """
    waiting = not_attempted(exercise, user_ns)
    if waiting is not None:
        return waiting
    learner = {n: user_ns[n] for n in exercise.names}

    def space() -> dict[str, Any]:
        # The learner's names go into the inputs' own namespace, so that helper functions of the
        # fixtures (``def build(): return make_trainer(...)``) can call them too.
        ns = inputs.fresh()
        ns.update(CHECK_TOOLS)
        ns.update(learner)
        return ns

    try:
        for mistake in exercise.mistakes:
            try:
                found = bool(eval(mistake.when, space()))  # noqa: S307 - course-authored code
            except CourseError:
                raise
            except Exception:  # noqa: BLE001 - a test that cannot run has not found its mistake
                found = False
            if found:
                return Result(False, 0.0, [mistake.feedback], mistake.id, status=Status.MISTAKE,
                              mistake=mistake.id)
        for number, case in enumerate(exercise.cases, start=1):
            failed = _run_case(case, number, len(exercise.cases), space)
            if failed is not None:
                return failed
    except CourseError as err:
        return course_error("run", err)
    notes = ["All checks pass."] + ([exercise.success] if exercise.success else [])
    return Result(True, 1.0, notes, "passed")


def _run_case(case: Case, number: int, total: int,
              space: Callable[[], dict[str, Any]]) -> Result | None:
    """None when the case passes, else the failure in words."""
    label = f"Test case {number} of {total}: `{case.call}`" + \
        (f", {case.input}" if case.input else "")

    def fail(detail: str, shown: str = "") -> Result:
        lines = [f"**{case.property}**: {detail}", label] + ([shown] if shown else [])
        return Result(False, 0.0, lines, f"case {number}: {case.property}")

    expected: Any = None
    if case.expect is not None:
        try:
            expected = eval(case.expect, space())  # noqa: S307 - before the learner's code runs
        except CourseError:
            raise
        except Exception as err:  # noqa: BLE001
            raise CourseError(f"Test case {number}'s expected value failed to build "
                              f"({type(err).__name__}: {err}).") from err
    used = space()
    try:
        got = eval(case.call, used)  # noqa: S307
    except CourseError:
        raise
    except Exception as err:  # noqa: BLE001
        return fail(f"your code raised {type(err).__name__}: {str(err)[:300]}")
    pristine = space()
    for name, words in case.unchanged.items():
        if not same(used[name], pristine[name]):
            return fail(f"your code changed `{words}`, one of its inputs, and the task says to "
                        "leave its inputs as they are. Work on a copy (`list(...)`, `dict(...)`, "
                        "`.clone()`) or build a new object.")
    if case.expect is not None:
        if same(got, expected, case.tolerance):
            return None
        shown = f"Expected {describe(expected)}; your code gave {describe(got)}."
        detail = difference(got, expected)
    else:
        try:
            pristine.update(got=got, used=used)
            ok = bool(eval(case.test, pristine))  # noqa: S307
        except Exception:  # noqa: BLE001
            ok = False
        if ok:
            return None
        shown = f"Expected {case.explain}; your code gave {describe(got)}."
        detail = ""
    if case.detail:
        pristine.update(got=got, used=used)
        try:
            detail = str(eval(case.detail, pristine))  # noqa: S307
        except Exception:  # noqa: BLE001
            pass
    return fail(detail or "this does not hold yet", shown)
