"""A tiny, fast stand-in for the embedding model in tests: folded words hashed into 64 dimensions.

Texts sharing words get close vectors, which is all the aid's tests need; one
test runs the real bundled model (test_aid_model.py).
"""

import hashlib
import re

import numpy as np

from concertation.synthesis.grouping import fold

DIMENSIONS = 64
NAME = "python:tests.synthesis.fake_model:encode"


def encode(texts: list[str]) -> np.ndarray:
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"[a-z]{4,}", fold(text)):
            vectors[row, int(hashlib.md5(word[:6].encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
    vectors[:, 0] += 0.01
    return vectors
