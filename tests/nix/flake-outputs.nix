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
    optionalAttrs = cond: attrs: if cond then attrs else { };
    importTOML = path: builtins.fromTOML (builtins.readFile path);
    cleanSource = src: src;
    getExe = drv: "${drv.pname}/bin/${drv.meta.mainProgram}";
    licenses = { mit = "mit"; asl20 = "asl20"; };
  };
  stubPkgs = system: {
    inherit system;
    stdenv.isLinux = builtins.match ".*-linux" system != null;
    jq = "jq";
    rustPlatform.buildRustPackage = attrs: attrs // { type = "derivation"; outPath = "/stub/${attrs.pname}"; };
    runCommand = name: env: script: { inherit name env script; type = "derivation"; outPath = "/stub/${name}"; };
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
  # Whether a (multi-line) script matches a regular expression somewhere.
  mentions =
    what: script: regex:
    check what (builtins.match ".*${regex}.*" (builtins.replaceStrings [ "\n" ] [ " " ] script) != null) true;
  perSystem =
    system:
    let
      pkg = outputs.packages.${system}.default;
      shell = outputs.devShells.${system}.default;
      checks = outputs.checks.${system};
    in
    check "packages.${system}.default env" pkg.env expectedEnv
    && check "devShells.${system}.default env" (builtins.intersectAttrs expectedEnv shell) expectedEnv
    && check "checks.${system} names" (builtins.attrNames checks) (
      [ "clippy" "fmt" ]
      ++ (if builtins.match ".*-linux" system != null then [ "nixos-module" ] else [ ])
      ++ [ "pin-file-current" "reference-copies" "wslconst" ]
    )
    && check "packages.${system} names" (builtins.attrNames outputs.packages.${system}) [ "default" "import-nixos-wsl" "wsl-terminal-constants" "wslconst" ]
    && check "checks.${system}.clippy env" checks.clippy.env expectedEnv
    && mentions "checks.${system}.reference-copies renders and compares rendered/" checks.reference-copies.script "render [^ ]*rendered --check"
    && mentions "packages.${system}.wsl-terminal-constants renders into $out" outputs.packages.${system}.wsl-terminal-constants.script "render [$]out"
    && mentions "packages.${system}.import-nixos-wsl copies both scripts" outputs.packages.${system}.import-nixos-wsl.script "Import-NixOSWSL[.]ps1 .*Compute-WslProfileGuid[.]ps1"
    && mentions "packages.${system}.import-nixos-wsl publishes their SHA256SUMS" outputs.packages.${system}.import-nixos-wsl.script "grep '[[][.][]]ps1[$]' [^ ]*/SHA256SUMS > [$]out/SHA256SUMS"
    && check "packages.${system}.default mainProgram" pkg.meta.mainProgram "wslconst"
    && builtins.match ".*pin --check.*|.*--pin-file pin.json --check.*" (builtins.replaceStrings [ "\n" "\\" ] [ " " " " ] checks.pin-file-current.script) != null;
  modules =
    check "nixosModules.default is a module function" (builtins.isFunction outputs.nixosModules.default) true
    && check "homeManagerModules.default is a module function" (builtins.isFunction outputs.homeManagerModules.default) true
    # Functions cannot be compared; the flake defines one as the other.
    && check "homeModules.default is a module function" (builtins.isFunction outputs.homeModules.default) true
    && check "homeModules.default aliases homeManagerModules.default"
      (builtins.match ".*homeModules.default = self.homeManagerModules.default;.*" (builtins.replaceStrings [ "\n" ] [ " " ] (builtins.readFile ../../flake.nix)) != null) true
    && check "lib renders the conf" (builtins.isString (outputs.lib.renderDistributionConf { })) true;
in
modules
&& assertAll "microsoft/WSL" (pinnedRevs "microsoft/WSL") wslRev
&& assertAll "microsoft/terminal" (pinnedRevs "microsoft/terminal") terminalRev
&& builtins.all perSystem (builtins.attrNames outputs.packages)
