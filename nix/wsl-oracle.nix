# checks.wsl-oracle: WSL's own code, built from the pinned wsl-src, run
# against wslconst's models of it (scripts/wsl-oracle; docs/GUIDE.md's "Pinned
# behaviour" says which code holds which model). Re-pinning wsl-src then tests
# the new behaviour as well as the new constants: a changed function text or
# an unexpected difference fails this check.
{
  lib,
  runCommand,
  python3,
  zig,
  microsoft-gsl,
  nlohmann_json,
  wslconst,
  # The microsoft/WSL tree and its revision (the flake's wsl-src input).
  wslSrc,
  wslRev,
  # The repository's scripts/ and fuzz/corpus/ (the harness and its corpora).
  src,
}:
let
  # distributions/requirements.txt of validate-modern.py. json-cfg (and its
  # one dependency) are not in nixpkgs: built from PyPI's sdists, the
  # versions requirements.txt pins.
  python = python3.withPackages (
    ps:
    let
      kwonly-args = ps.buildPythonPackage rec {
        pname = "kwonly-args";
        version = "1.0.10";
        pyproject = true;
        build-system = [ ps.setuptools ];
        src = ps.fetchPypi {
          inherit pname version;
          hash = "sha256-WcheH6YmwOrVQ4tk8QtT3aJFngBC6iQljJ3CEVl5pZg=";
        };
      };
      json-cfg = ps.buildPythonPackage rec {
        pname = "json-cfg";
        version = "0.4.2";
        pyproject = true;
        build-system = [ ps.setuptools ];
        dependencies = [ kwonly-args ];
        src = ps.fetchPypi {
          inherit pname version;
          hash = "sha256-090aswsWo7skm26zX8xCGY+WVvMxJ+NqP621439Q1Fs=";
        };
      };
    in
    [
      ps.python-magic
      ps.click
      ps.gitpython
      ps.pygithub
      ps.requests
      json-cfg
    ]
  );
in
runCommand "wslconst-wsl-oracle"
  {
    nativeBuildInputs = [ python ];
    WSLCONST_WSL_SRC = wslSrc;
    WSLCONST_WSL_REV = wslRev;
    WSLCONST_ZIG = lib.getExe zig;
    WSLCONST_GSL_INCLUDE = "${microsoft-gsl}/include";
    WSLCONST_NLOHMANN_INCLUDE = "${nlohmann_json}/include";
    WSLCONST_VALIDATOR_PYTHON = python.interpreter;
  }
  ''
    # zig keeps its caches under HOME, which the build sandbox does not have.
    export HOME=$TMPDIR ZIG_GLOBAL_CACHE_DIR=$TMPDIR/zig-global ZIG_LOCAL_CACHE_DIR=$TMPDIR/zig-local
    if ! python3 ${src}/scripts/wsl-oracle run --require --wslconst ${lib.getExe wslconst} --work $TMPDIR/work > $out; then
      cat $out
      exit 1
    fi
    cat $out
  ''
