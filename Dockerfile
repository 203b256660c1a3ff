# One image for every process: `papiers bot`, `papiers worker`, `papiers run` (both in one).
# Stage 1 installs Papiers and its dependencies into a virtualenv; stage 2 copies that virtualenv
# onto a slim base with only the system packages the reading engine needs, as an unprivileged user.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/papiers
WORKDIR /src
# Dependencies first, from pyproject alone, so that code changes reuse this (large) layer.
COPY pyproject.toml README.md ./
RUN /opt/papiers/bin/python -c 'import subprocess, tomllib; \
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]; \
subprocess.check_call(["/opt/papiers/bin/pip", "install", *deps])'
# docgen (the synthetic photo generator) and the benchmarks are development tools: not shipped.
COPY papiers ./papiers
COPY extraction ./extraction
COPY bot ./bot
COPY jobs ./jobs
RUN /opt/papiers/bin/pip install --no-deps . && /opt/papiers/bin/papiers --help >/dev/null

FROM python:3.11-slim-bookworm
# Every shared library in the wheels (OpenCV, onnxruntime, pdfium, libheif, zxing) is bundled
# and links only against glibc, libstdc++, libgcc and zlib, all in the base image (checked below).
# Tesseract with its Arabic data reads the Arabic fields of Tunisian cards (the Latin text is
# read by the PP-OCR models that ship inside the rapidocr wheel, so nothing is downloaded).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-ara \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/papiers /opt/papiers
# Fail the build, not the first scan, if a native library is missing.
RUN ! find /opt/papiers -name '*.so*' -type f -exec ldd {} + 2>/dev/null | grep 'not found' \
 && /opt/papiers/bin/python -c "import cv2, onnxruntime, rapidocr, zxingcpp, pypdfium2, pillow_heif"
ENV PATH=/opt/papiers/bin:$PATH \
    PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    PAPIERS_LOCALES_DIR=/app/locales \
    DATABASE_URL=/data/papiers.sqlite3 \
    HTTP_HOST=0.0.0.0 HTTP_PORT=8080 LOG_JSON=true
WORKDIR /app
COPY locales ./locales
RUN useradd --system --create-home --uid 10001 papiers && mkdir -p /data && chown papiers /data
USER papiers
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('HTTP_PORT', '8080'), timeout=4)"
ENTRYPOINT ["papiers"]
CMD ["run"]
