"""Synthetic document photos with ground truth, for tests, benchmarks and demos."""

from docgen.api import RENDERERS, Difficulty, Sample, dataset, generate, render_document

DOCUMENT_TYPES = tuple(RENDERERS)

__all__ = ["DOCUMENT_TYPES", "Difficulty", "Sample", "dataset", "generate", "render_document"]
