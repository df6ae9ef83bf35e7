# Sourced by the bin/ scripts: where builds go and what they need.
# The cargo target dir lives outside the checkout so clean clones (and CI) reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rusty_racer/target}"
export LIBCLANG_PATH="${LIBCLANG_PATH:-/usr/lib/llvm-22/lib}"
RR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RR_ROOT
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
