#!/usr/bin/env bash
# Build (once) the separate virtualenv that runs a real LibreTranslate server for the tests.
#
# Why a separate venv: libretranslate pins its own versions (polib 1.1.1, numpy<2,
# flask 2.2.5, packaging 23.1) that clash with transflow's, and it pulls
# argostranslate -> stanza -> torch. transflow only talks to it over HTTP.
#
# Usage: scripts/libretranslate-env.sh [DIR]    (default: .transflow/libretranslate-venv)
# Idempotent: a stamp file records what was installed; a matching stamp means nothing to do.
# Prints the directory's libretranslate executable path on the last line.
set -euo pipefail

TORCH_VERSION="2.13.0"
LIBRETRANSLATE_VERSION="1.9.6"
PYTHON="${PYTHON:-python3}"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$repo/.transflow/libretranslate-venv}"
stamp="$dir/.transflow-stamp"
want="torch==$TORCH_VERSION libretranslate==$LIBRETRANSLATE_VERSION $("$PYTHON" -c 'import sys; print("py%d.%d" % sys.version_info[:2])')"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$dir/bin/libretranslate" ]; then
    echo "libretranslate venv up to date: $dir ($want)" >&2
    echo "$dir/bin/libretranslate"
    exit 0
fi

start=$(date +%s)
echo "building libretranslate venv in $dir ($want)" >&2
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
"$PYTHON" -m venv "$dir"
# torch first: a CPU build lies on this machine (pip's find-links); letting
# libretranslate's resolver pick torch would download a ~6 GB CUDA build instead.
quiet_pip() {  # pip -q still warns about every missing local index folder: drop those lines
    "$dir/bin/python" -m pip install -q "$@" 2>&1 | { grep -v "is ignored: it is neither" || true; } >&2
}
quiet_pip "torch==$TORCH_VERSION"
quiet_pip "libretranslate==$LIBRETRANSLATE_VERSION"
# Refuse a venv where pip swapped torch for another build behind our back.
"$dir/bin/python" - "$TORCH_VERSION" >&2 <<'PY'
import sys
from importlib.metadata import version
got = version("torch")
if not got.startswith(sys.argv[1]):
    sys.exit(f"libretranslate venv: expected torch {sys.argv[1]}, got {got}")
PY
echo "$want" >"$stamp"
end=$(date +%s)
size=$(du -sh "$dir" | cut -f1)
echo "libretranslate venv built in $((end - start)) s, $size: $dir" >&2
echo "$dir/bin/libretranslate"
