#!/usr/bin/env bash
# The package's tests as `nix flake check` runs them, as far as PATH goes:
# only the tools nix/package.nix declares (nativeCheckInputs) and the
# toolchain (cargo, rustc, the C compiler and linker) are on PATH. A test
# that needs a tool the derivation does not declare fails here, as it would
# in the Nix sandbox, rather than on a user's machine.
set -euo pipefail
cd "$(dirname "$0")/.."
declared=$(nix-instantiate --eval --strict --json --readonly-mode tests/nix/package-test-env.nix)
mapfile -t inputs < <(python3 -c 'import json,sys; print("\n".join(json.loads(sys.argv[1])["nativeCheckInputs"]))' "$declared")
mapfile -t flags < <(python3 -c 'import json,sys; print("\n".join(json.loads(sys.argv[1])["cargoTestFlags"]))' "$declared")
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
link() {
  local path
  path=$(command -v "$1") || { echo "declared-path-test: $1 is not installed here" >&2; exit 1; }
  if [ "$1" = python3 ]; then
    # A pyenv shim is a script that needs pyenv on PATH: link the interpreter.
    path=$(python3 -c 'import sys; print(sys.executable)')
  fi
  ln -sf "$path" "$bin/$1"
}
# The toolchain, as rustPlatform's stdenv provides it.
for tool in cargo rustc cc gcc c++ g++ ld as ar ranlib; do link "$tool"; done
# What the derivation declares.
for tool in "${inputs[@]}"; do if [ -n "$tool" ]; then link "$tool"; fi; done
echo "PATH holds: $(cd "$bin" && echo *)"
PATH="$bin" cargo test "${flags[@]}"
