# wslconst as a nixpkgs package: `pkgs.callPackage ./nix/package.nix { }`.
#
# By default it builds from the pin file embedded in the crate
# (wslconst/upstream-pin.json): no microsoft/WSL or microsoft/terminal tree is
# fetched or read, so users of the modules and the overlay build nothing but
# this crate. The flake's `checks.upstream-drift` passes `upstream` instead:
# { wsl = { src; rev; }; terminal = { src; rev; }; }, and build.rs then reads
# the constants from those trees, where any drift from the pin file fails the
# build. An empty `rev` falls back to build.rs's own (git, else "unknown").
{
  lib,
  rustPlatform,
  python3,
  upstream ? null,
}:
let
  cargoToml = lib.importTOML ../Cargo.toml;
  crateToml = lib.importTOML ../wslconst-cli/Cargo.toml;
in
rustPlatform.buildRustPackage {
  pname = if upstream == null then "wslconst" else "wslconst-upstream-drift";
  version = cargoToml.workspace.package.version;

  # The workspace and the files its tests read, nothing else of the repository.
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../Cargo.toml
      ../Cargo.lock
      ../wslconst-upstream
      ../wslconst-macros
      ../wslconst
      ../wslconst-model
      ../wslconst-render
      ../wslconst-cli
      ../ui-tests
      ../templates
      ../rendered
    ];
  };
  cargoLock.lockFile = ../Cargo.lock;

  cargoBuildFlags = [
    "-p"
    "wslconst-cli"
  ];
  # trybuild needs a writable cargo home and runs its own builds; the UI tests
  # run in .ci/run instead.
  cargoTestFlags = [
    "-p"
    "wslconst-upstream"
    "-p"
    "wslconst-macros"
    "-p"
    "wslconst"
    "-p"
    "wslconst-model"
    "-p"
    "wslconst-render"
    "-p"
    "wslconst-cli"
  ];
  # wslconst-cli/tests/validate_py.rs runs the rendered validate.py. .ci/run runs
  # these tests with a PATH of only this list and the toolchain, so a tool
  # missing here fails CI rather than `nix flake check`.
  nativeCheckInputs = [ python3 ];

  env = lib.optionalAttrs (upstream != null) {
    WSLCONST_WSL_SRC = "${upstream.wsl.src}";
    WSLCONST_WSL_REV = upstream.wsl.rev;
    WSLCONST_TERMINAL_SRC = "${upstream.terminal.src}";
    WSLCONST_TERMINAL_REV = upstream.terminal.rev;
  };

  meta = {
    description = crateToml.package.description;
    homepage = cargoToml.workspace.package.repository;
    license = with lib.licenses; [
      mit
      asl20
    ];
    mainProgram = "wslconst";
    platforms = lib.platforms.unix;
  };
}
