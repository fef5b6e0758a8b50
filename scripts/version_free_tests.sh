#!/usr/bin/env bash
# Prints pytest's --ignore options for the test files that check the course's own text and files,
# not library calls: the README's figures, TEACHING.md, the notebooks' format, the quiz forms,
# packaging, the asset cache and threads, the time budget, the work folder's copies. Their verdict does not depend on the
# library versions, so the main suite runs them and the Colab and lowest-versions suites do not.
for name in test_readme_numbers test_teaching test_notebooks test_quiz_form test_packaging \
            test_assets test_threads test_budget test_setup test_workcopy test_benchmarks test_settings \
            test_imports; do
  printf -- '--ignore=tests/%s.py ' "$name"
done
