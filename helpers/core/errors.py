"""The one exception type of the course.

Every error a learner can meet says what went wrong *and* how to fix it.
"""

from __future__ import annotations


class CourseError(RuntimeError):
    """A problem the learner can fix; the message names the file, the field and the fix."""
