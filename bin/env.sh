# Sourced by the bin/ scripts: where builds go and what they need.
# The cargo target dir lives outside the checkout so clean clones (and CI) reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rusty_racer/target}"
export LIBCLANG_PATH="${LIBCLANG_PATH:-/usr/lib/llvm-22/lib}"
RR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RR_ROOT
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# V8: the crate's build cannot download its prebuilt archive here. Use, in order,
# $RUSTY_V8_ARCHIVE, the shared archive beside the checkout (checked against its
# SHA256SUMS), or the one bin/build-v8 built.
V8_SHARED_DIR="${RR_V8_SHARED_DIR:-$RR_ROOT/../shared/v8}"
V8_OWN_ARCHIVE="${XDG_CACHE_HOME:-$HOME/.cache}/rusty_racer/v8-build/152.2.0/librusty_v8.a.gz"
find_v8_archive() {
  if [ -n "${RUSTY_V8_ARCHIVE:-}" ]; then
    [ -f "$RUSTY_V8_ARCHIVE" ] || { echo "RUSTY_V8_ARCHIVE=$RUSTY_V8_ARCHIVE does not exist" >&2; return 1; }
    return 0
  fi
  if [ -f "$V8_SHARED_DIR/librusty_v8.a.gz" ]; then
    local want have
    want=$(awk '$2 == "librusty_v8.a.gz" { print $1 }' "$V8_SHARED_DIR/SHA256SUMS" 2>/dev/null)
    have=$(sha256sum "$V8_SHARED_DIR/librusty_v8.a.gz" | cut -d' ' -f1)
    if [ -z "$want" ]; then
      echo "$V8_SHARED_DIR/SHA256SUMS has no line for librusty_v8.a.gz: cannot verify the archive" >&2; return 1
    elif [ "$want" != "$have" ]; then
      echo "$V8_SHARED_DIR/librusty_v8.a.gz does not match SHA256SUMS (got $have, want $want): corrupt or wrong archive" >&2
      return 1
    fi
    RUSTY_V8_ARCHIVE="$(cd "$V8_SHARED_DIR" && pwd)/librusty_v8.a.gz"
  elif [ -f "$V8_OWN_ARCHIVE" ]; then
    RUSTY_V8_ARCHIVE="$V8_OWN_ARCHIVE"
  else
    return 1
  fi
  export RUSTY_V8_ARCHIVE
}
# Quietly here; bin/setup reports a missing or mismatched archive.
find_v8_archive 2>/dev/null || true

# The target dir is shared by every checkout of this project. Cargo keys our
# crates by their place in the workspace, not by the checkout, so artifacts
# built in another checkout whose sources are newer would be taken as fresh
# here (with that checkout's paths baked in). When the checkout changes,
# touch our sources so cargo rebuilds our crates (dependencies stay cached).
rr_mark="$CARGO_TARGET_DIR/.rusty_racer-checkout"
if [ "$(cat "$rr_mark" 2>/dev/null)" != "$RR_ROOT" ]; then
  mkdir -p "$CARGO_TARGET_DIR"
  find "$RR_ROOT/runtime" "$RR_ROOT/bindings" "$RR_ROOT/codegen" "$RR_ROOT/bench" "$RR_ROOT/idl" \
    -type f \( -name '*.rs' -o -name '*.yaml' -o -name 'Cargo.toml' \) -exec touch {} + 2>/dev/null
  printf '%s' "$RR_ROOT" > "$rr_mark"
fi
