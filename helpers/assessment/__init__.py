"""assessment: quizzes, coding exercises, and the attempts they record.

On top, what a lesson calls:

- ``quiz``: quiz banks and their widgets (``helpers.quiz.show("04")``);
- ``exercises``: coding exercises with specific feedback (``helpers.exercises.get(...)``);
- ``exam``: exam mode for the final test;
- ``scores``: your quiz and exercise scores per lesson;
- ``progress``: your saved attempts, and "first try" and "solved" computed once.

Under them, the core both share, one concern a file:

- ``schema``: what a quiz bank and an exercise file may contain (pydantic models), and turning a
  YAML file into them with one clear error naming the file, the item and the field;
- ``grading``: grading a quiz answer, and the order in which a learner sees the options;
- ``render``: the static HTML, Markdown and text forms (no widgets needed);
- ``widgets``: the ipywidgets controls (core controls only, so ipywidgets 7.7 and 8 both work);
- ``recording``: saving a checked answer (quiz or exercise) with its learner and option ids, and
  reading back which options an old or new record picked;
- ``checking``: running an exercise's checks against the learner's code; ``files``: where the
  banks and exercise files are; ``answer`` and ``answer_widget``: the answer box's front end.

May import: ``helpers.serving``, ``helpers.training``, ``helpers.data``, ``helpers.assets`` and
``helpers.core`` (in practice only ``core``: an exercise's own fixtures and worked solution run
with the whole ``helpers`` package, as a lesson's cell does).
"""
