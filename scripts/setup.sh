#!/usr/bin/env bash
# Idempotent set-up shared by scripts/demo and scripts/test: Debian packages (when root),
# a virtualenv in .venv, and the project with its dev extras. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PAPIERS_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# System packages the reading engine and the test suite use (Tesseract for Arabic on Tunisian
# cards, redis-server for tests that stop and restart their own Redis).
DEBIAN_PACKAGES=(tesseract-ocr tesseract-ocr-ara tesseract-ocr-fra tesseract-ocr-eng
                 redis-server libglib2.0-0 fonts-dejavu-core fonts-ocr-b)

install_debian_packages() {
    command -v dpkg >/dev/null 2>&1 || return 0
    local missing=()
    for package in "${DEBIAN_PACKAGES[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "note: not root, cannot install: ${missing[*]} (some tests or the Arabic reader may be skipped)" >&2
        return 0
    fi
    echo "installing Debian packages: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.papiers-installed"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]"
        touch "$stamp"
    fi
}

install_debian_packages
install_python_packages
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
