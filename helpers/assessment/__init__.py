"""The assessment core shared by quizzes and coding exercises.

One concern a file, each depending only on the ones above it in this list:

- ``schema``: what a quiz bank and an exercise file may contain (pydantic models), and turning a
  YAML file into them with one clear error naming the file, the item and the field;
- ``grading``: grading a quiz answer, the order in which a learner sees the options, and running
  an exercise's checks against the learner's code;
- ``render``: the static HTML, Markdown and text forms (no widgets needed);
- ``widgets``: the ipywidgets controls (core controls only, so ipywidgets 7.7 and 8 both work);
- ``recording``: saving a checked answer (quiz or exercise) with its learner and option ids, and
  reading back which options an old or new record picked;
- ``checking``: running an exercise's checks against the learner's code; ``files``: where the
  banks and exercise files are; ``answer`` and ``answer_widget``: the answer box's front end.

``helpers.quiz`` and ``helpers.exercises`` sit on top; ``helpers.progress`` sits below, and
depends on none of this.
"""
