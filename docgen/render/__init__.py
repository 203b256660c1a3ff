"""One module per document type; each exposes `render(rng, seed) -> RenderedDocument`."""
