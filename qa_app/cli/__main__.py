"""``python -m qa_app.cli``: the same as the ``qa-studio`` command."""

from qa_app.cli import main

main()
