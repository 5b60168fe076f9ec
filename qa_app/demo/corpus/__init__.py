"""Deterministic bilingual demo corpus generator.

Entry points: ``qa_app.demo.corpus.generator.generate_corpus`` / ``write_jsonl`` / ``DemoCorpus``,
``qa_app.demo.corpus.describe.describe``, ``qa_app.demo.corpus.personas`` (teams, agents, personas) and
``python -m qa_app.demo.corpus OUT.jsonl``. See ``qa_app/demo/README.md``.
"""
