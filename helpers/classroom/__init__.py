"""classroom: what a teacher does with a class's work.

- ``handin``: your progress in one file for your teacher;
- ``classreport``: a class's hand-ins read into one report, and its CSV;
- ``classpage``: the report's HTML page and figures;
- ``answerkey``: the teacher's key to every quiz and exercise.

May import: ``helpers.assessment``, ``helpers.serving``, ``helpers.training``, ``helpers.data``,
``helpers.assets`` and ``helpers.core``.
"""
