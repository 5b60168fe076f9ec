"""The pipeline version follows the bytes of the scoring code, lexicons and models."""

from __future__ import annotations

import shutil

from scoring.pipeline.fingerprint import PACKAGE_DIR, files_digest, scoring_files


def test_lexicon_and_model_edits_change_the_digest_training_code_does_not(tmp_path):
    root = tmp_path / "scoring"
    shutil.copytree(PACKAGE_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    before = files_digest(root)
    assert files_digest(root) == before  # stable

    (root / "training" / "notes.py").write_text("# a training script\n", encoding="utf-8")
    (root / "rubric" / "schema.py").write_text("# rubrics never change a score\n", encoding="utf-8")
    assert files_digest(root) == before

    lexicon = root / "lexicons" / "politeness_ru.tsv"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "gratitude\tблагодарю\n", "utf-8")
    after_lexicon = files_digest(root)
    assert after_lexicon != before

    model = next((root / "models").glob("*.npz"))
    model.write_bytes(model.read_bytes() + b"\0")
    assert files_digest(root) != after_lexicon


def test_every_lexicon_and_model_file_is_covered():
    names = {p.relative_to(PACKAGE_DIR).as_posix() for p in scoring_files()}
    for folder in ("lexicons", "models"):
        for path in (PACKAGE_DIR / folder).iterdir():
            if path.suffix in {".tsv", ".json", ".txt", ".npz"}:
                assert f"{folder}/{path.name}" in names
    assert "scorers/politeness.py" in names and "rubric/files.py" not in names
