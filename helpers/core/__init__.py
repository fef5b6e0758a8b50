"""core: the facts and settings that every other part of the course stands on.

- ``course``: the course's facts (lessons, badges, the repository);
- ``errors``: the course's one exception type, ``CourseError``;
- ``settings``: every ``HFCOURSE_*`` variable, with one spelling of on and off;
- ``device``: the device, and one rule for mixed precision;
- ``threads``: torch's CPU threads fitted to a shared machine;
- ``cache``: the course cache, every folder in it named once.

May import: nothing else of ``helpers`` (only the standard library and the libraries the course
installs). It is the bottom layer.
"""
