# One image for every process: `papiers bot`, `papiers worker`, `papiers run` (both in one).
# Stage 1 builds wheels for every dependency; stage 2 installs them with only the system
# libraries the reading engine needs at run time, and runs as an unprivileged user.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY papiers ./papiers
COPY extraction ./extraction
COPY bot ./bot
COPY jobs ./jobs
COPY docgen ./docgen
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# libglib2.0-0: OpenCV (headless) needs it on slim images; tesseract-ocr-ara: Arabic fields of
# Tunisian cards (the Latin text is read by the PP-OCR models bundled in the rapidocr wheel).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libglib2.0-0 tesseract-ocr tesseract-ocr-ara \
 && rm -rf /var/lib/apt/lists/*
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    PAPIERS_LOCALES_DIR=/app/locales DATABASE_URL=/data/papiers.sqlite3
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels papiers && rm -rf /wheels
WORKDIR /app
COPY locales ./locales
RUN useradd --system --create-home --uid 10001 papiers && mkdir -p /data && chown papiers /data
USER papiers
EXPOSE 8080
ENTRYPOINT ["papiers"]
CMD ["run"]
