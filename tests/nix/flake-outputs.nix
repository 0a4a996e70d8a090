# Evaluates flake.nix's outputs with stub inputs, where nixpkgs cannot be had,
# and checks what does not need nixpkgs to be true:
#  - the flake's upstream input revisions are the ones the pin file records;
#  - the package, the checks and the dev shell hand the pinned trees and their
#    revisions to build.rs through the WSLCONST_* variables;
#  - every system has a package, the checks and a dev shell.
# Run: nix-instantiate --eval --strict --readonly-mode tests/nix/flake-outputs.nix
let
  flake = import ../../flake.nix;
  pin = builtins.fromJSON (builtins.readFile ../../wslconst/upstream-pin.json);

  revOfUrl =
    url:
    let
      parts = builtins.split "/" url;
    in
    builtins.elemAt parts (builtins.length parts - 1);
  wslRev = revOfUrl flake.inputs.wsl-src.url;
  terminalRev = revOfUrl flake.inputs.terminal-src.url;

  pinnedRevs = repo: map (e: e.revision) (builtins.filter (e: e.repo == repo) pin.constants);
  assertAll =
    what: xs: expected:
    builtins.all (
      x: if x == expected then true else throw "${what}: pin file has revision ${x}, flake input has ${expected}"
    ) xs;

  stubLib = {
    genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
    importTOML = path: builtins.fromTOML (builtins.readFile path);
    cleanSource = src: src;
    getExe = drv: "${drv.pname}/bin/${drv.meta.mainProgram}";
    licenses = { mit = "mit"; asl20 = "asl20"; };
  };
  stubPkgs = system: {
    inherit system;
    rustPlatform.buildRustPackage = attrs: attrs // { type = "derivation"; };
    runCommand = name: env: script: { inherit name env script; };
    mkShell = attrs: attrs;
    cargo = "cargo";
    rustc = "rustc";
    clippy = "clippy";
    rustfmt = "rustfmt";
    python3 = "python3";
  };
  nixpkgs = {
    lib = stubLib;
    legacyPackages = stubLib.genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] stubPkgs;
  };
  wsl-src = { outPath = "/stub/wsl-src"; rev = wslRev; };
  terminal-src = { outPath = "/stub/terminal-src"; rev = terminalRev; };
  outputs = flake.outputs { inherit self nixpkgs wsl-src terminal-src; };
  self = outputs;

  expectedEnv = {
    WSLCONST_WSL_SRC = "/stub/wsl-src";
    WSLCONST_WSL_REV = wslRev;
    WSLCONST_TERMINAL_SRC = "/stub/terminal-src";
    WSLCONST_TERMINAL_REV = terminalRev;
  };
  check =
    what: actual: expected:
    if actual == expected then true else throw "${what}: got ${builtins.toJSON actual}, expected ${builtins.toJSON expected}";
  perSystem =
    system:
    let
      pkg = outputs.packages.${system}.default;
      shell = outputs.devShells.${system}.default;
      checks = outputs.checks.${system};
    in
    check "packages.${system}.default env" pkg.env expectedEnv
    && check "devShells.${system}.default env" (builtins.intersectAttrs expectedEnv shell) expectedEnv
    && check "checks.${system} names" (builtins.attrNames checks) [ "fmt" "pin-file-current" "wslconst" ]
    && check "packages.${system}.default mainProgram" pkg.meta.mainProgram "wslconst"
    && builtins.match ".*pin --check.*|.*--pin-file pin.json --check.*" (builtins.replaceStrings [ "\n" "\\" ] [ " " " " ] checks.pin-file-current.script) != null;
in
assertAll "microsoft/WSL" (pinnedRevs "microsoft/WSL") wslRev
&& assertAll "microsoft/terminal" (pinnedRevs "microsoft/terminal") terminalRev
&& builtins.all perSystem (builtins.attrNames outputs.packages)
