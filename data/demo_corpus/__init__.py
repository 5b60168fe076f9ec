"""Deterministic bilingual demo corpus generator.

Entry points: ``demo_corpus.generator.generate_corpus`` / ``write_jsonl`` / ``DemoCorpus``,
``demo_corpus.describe.describe``, ``demo_corpus.personas`` (teams, agents, personas) and
``python -m demo_corpus OUT.jsonl``. See ``data/README.md``.
"""
