# Evaluates flake.nix's outputs with stub inputs, where nixpkgs cannot be had,
# and checks what does not need nixpkgs to be true:
#  - the flake's upstream input revisions are the ones the pin file records,
#    and nixpkgs is pinned to a revision;
#  - the package builds from the embedded pin file (no WSLCONST_*: users fetch
#    nothing of Microsoft's), with nativeCheckInputs for its tests and full
#    meta; checks.upstream-drift and the dev shell hand build.rs the pinned
#    trees, trimmed to the files wslconst reads, and their revisions;
#  - inputs without `rev` (`path:`, tarballs) still evaluate;
#  - every system has the packages, the apps, the checks and a dev shell; the
#    modules are files (so the module system names and deduplicates them);
#    the overlay adds pkgs.wslconst.
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

  hasPrefix = prefix: s: builtins.substring 0 (builtins.stringLength prefix) s == prefix;
  stubLib = {
    genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
    optionalAttrs = cond: attrs: if cond then attrs else { };
    importTOML = path: builtins.fromTOML (builtins.readFile path);
    getExe = drv: "${drv.pname}/bin/${drv.meta.mainProgram}";
    licenses = { mit = "mit"; asl20 = "asl20"; };
    platforms.unix = [ "unix" ];
    fileset = {
      unions = paths: paths;
      toSource = { root, fileset }: { inherit root fileset; outPath = "/stub/src"; };
    };
    inherit hasPrefix;
    removePrefix = prefix: s:
      if hasPrefix prefix s
      then builtins.substring (builtins.stringLength prefix) (builtins.stringLength s) s
      else s;
    any = builtins.any;
    elem = builtins.elem;
  };
  stubDrv = attrs: attrs // {
    type = "derivation";
    outPath = "/stub/${attrs.pname or attrs.name}";
    overrideAttrs = f: stubDrv (attrs // f attrs);
  };
  # A python3 whose withPackages evaluates the package list it is given.
  stubPython = {
    outPath = "python3";
    withPackages = f: stubDrv {
      pname = "python3-env";
      interpreter = "python3-env/bin/python3";
      packages = f stubPythonPackages;
    };
  };
  stubPythonPackages = {
    buildPythonPackage = attrs: stubDrv attrs;
    fetchPypi = attrs: attrs;
    setuptools = "setuptools";
    python-magic = "python-magic";
    click = "click";
    gitpython = "gitpython";
    pygithub = "pygithub";
    requests = "requests";
  };
  stubPkgs = system: rec {
    inherit system;
    stdenv.isLinux = builtins.match ".*-linux" system != null;
    stdenv.hostPlatform.system = system;
    jq = "jq";
    lib = stubLib;
    rustPlatform.buildRustPackage = attrs: stubDrv (attrs // { nativeBuildInputs = [ ]; });
    # As nixpkgs' callPackage: the function's arguments from pkgs, then `args`.
    callPackage =
      path: args:
      let
        f = import path;
      in
      f (builtins.intersectAttrs (builtins.functionArgs f) (stubPkgs system) // args);
    runCommand = name: env: script: stubDrv { inherit name env script; };
    writeShellScriptBin = name: script: stubDrv { inherit name script; };
    mkShell = attrs: attrs;
    cargo = "cargo";
    rustc = "rustc";
    clippy = "clippy";
    rustfmt = "rustfmt";
    python3 = stubPython;
    zig = stubDrv { pname = "zig"; meta.mainProgram = "zig"; };
    microsoft-gsl = "microsoft-gsl";
    nlohmann_json = "nlohmann_json";
  };
  nixpkgs = {
    lib = stubLib;
    legacyPackages = stubLib.genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] stubPkgs;
  };
  # Real folders, so builtins.path can trim them; with and without `rev`.
  wsl-src = { outPath = ../../templates; rev = wslRev; };
  terminal-src = { outPath = ../../rendered; rev = terminalRev; };
  outputsWith = inputs: flake.outputs ({ inherit self nixpkgs; } // inputs);
  outputs = outputsWith { inherit wsl-src terminal-src; };
  self = outputs;
  # An override such as `--override-input wsl-src path:../WSL`: no rev.
  withoutRev = outputsWith {
    wsl-src = { outPath = ../../templates; };
    terminal-src = { outPath = ../../rendered; };
  };

  # The trees as build.rs gets them: only the files the pin file and
  # upstream.rs name (none of which these stand-in folders hold).
  trimmed = name: dir: toString (builtins.path { inherit name; path = dir; filter = _: _: false; });
  expectedEnv = {
    WSLCONST_WSL_SRC = trimmed "wsl-src" ../../templates;
    WSLCONST_WSL_REV = wslRev;
    WSLCONST_TERMINAL_SRC = trimmed "terminal-src" ../../rendered;
    WSLCONST_TERMINAL_REV = terminalRev;
  };
  check =
    what: actual: expected:
    if actual == expected then true else throw "${what}: got ${builtins.toJSON actual}, expected ${builtins.toJSON expected}";
  # Whether a (multi-line) script matches a regular expression somewhere.
  mentions =
    what: script: regex:
    check what (builtins.match ".*${regex}.*" (builtins.replaceStrings [ "\n" ] [ " " ] script) != null) true;
  # checks.wsl-oracle runs the harness on the untrimmed pinned tree, with
  # nixpkgs' zig, GSL, nlohmann and a Python holding validate-modern.py's
  # requirements, and fails when the harness is skipped.
  wslOracle =
    system: drv:
    check "checks.${system}.wsl-oracle tree" (toString drv.env.WSLCONST_WSL_SRC) (toString wsl-src.outPath)
    && check "checks.${system}.wsl-oracle revision" drv.env.WSLCONST_WSL_REV wslRev
    && check "checks.${system}.wsl-oracle toolchain" [ drv.env.WSLCONST_ZIG drv.env.WSLCONST_GSL_INCLUDE drv.env.WSLCONST_NLOHMANN_INCLUDE ] [ "zig/bin/zig" "microsoft-gsl/include" "nlohmann_json/include" ]
    && check "checks.${system}.wsl-oracle validator python" (builtins.length drv.env.nativeBuildInputs) 1
    && check "checks.${system}.wsl-oracle json-cfg" (builtins.elemAt (builtins.head drv.env.nativeBuildInputs).packages 5).pname "json-cfg"
    && mentions "checks.${system}.wsl-oracle runs the harness and requires the tree" drv.script "scripts/wsl-oracle run --require --wslconst";
  perSystem =
    system:
    let
      pkg = outputs.packages.${system}.default;
      shell = outputs.devShells.${system}.default;
      checks = outputs.checks.${system};
      noRev = withoutRev.checks.${system};
    in
    check "packages.${system}.default builds from the pin file" pkg.env { }
    && check "packages.${system}.default nativeCheckInputs" (map toString pkg.nativeCheckInputs) [ "python3" ]
    && check "packages.${system}.default meta" (builtins.attrNames pkg.meta) [ "description" "homepage" "license" "mainProgram" "platforms" ]
    && check "packages.${system}.default source" pkg.src.fileset [
      ../../Cargo.toml ../../Cargo.lock ../../wslconst-upstream ../../wslconst-macros ../../wslconst ../../wslconst-model
      ../../wslconst-render ../../wslconst-cli ../../ui-tests ../../templates ../../rendered
    ]
    && check "checks.${system}.upstream-drift env" checks.upstream-drift.env expectedEnv
    && check "devShells.${system}.default env" (builtins.intersectAttrs expectedEnv shell) expectedEnv
    && check "checks.${system}.upstream-drift env without rev" noRev.upstream-drift.env (expectedEnv // { WSLCONST_WSL_REV = ""; WSLCONST_TERMINAL_REV = ""; })
    && mentions "checks.${system}.pin-file-current without rev" noRev.pin-file-current.script "--wsl-rev unknown"
    && check "checks.${system} names" (builtins.attrNames checks) (
      [ "clippy" "fmt" ]
      ++ (if builtins.match ".*-linux" system != null then [ "nixos-module" ] else [ ])
      ++ [ "pin-file-current" "reference-copies" "upstream-drift" ]
      ++ (if builtins.match ".*-linux" system != null then [ "wsl-oracle" ] else [ ])
      ++ [ "wslconst" ]
    )
    && check "packages.${system} names" (builtins.attrNames outputs.packages.${system}) [ "default" "import-nixos-wsl" "wsl-terminal-constants" "wslconst" ]
    && check "apps.${system} names" (builtins.attrNames outputs.apps.${system}) [ "check-image" "default" ]
    && mentions "apps.${system}.check-image runs check-image" outputs.apps.${system}.check-image.program "wslconst-check-image"
    && check "checks.${system}.clippy builds from the pin file" checks.clippy.env { }
    && (builtins.match ".*-linux" system == null || wslOracle system checks.wsl-oracle)
    && mentions "checks.${system}.reference-copies renders and compares rendered/" checks.reference-copies.script "render [^ ]*rendered --check"
    && mentions "packages.${system}.wsl-terminal-constants renders into $out" outputs.packages.${system}.wsl-terminal-constants.script "render [$]out"
    && mentions "packages.${system}.import-nixos-wsl copies both scripts" outputs.packages.${system}.import-nixos-wsl.script "Import-NixOSWSL[.]ps1 .*Compute-WslProfileGuid[.]ps1"
    && mentions "packages.${system}.import-nixos-wsl publishes their SHA256SUMS" outputs.packages.${system}.import-nixos-wsl.script "grep '[[][.][]]ps1[$]' [^ ]*/SHA256SUMS > [$]out/SHA256SUMS"
    && check "packages.${system}.default mainProgram" pkg.meta.mainProgram "wslconst"
    && builtins.match ".*pin --check.*|.*--pin-file pin.json --check.*" (builtins.replaceStrings [ "\n" "\\" ] [ " " " " ] checks.pin-file-current.script) != null;
  # A module given as a file is named in errors by that file and imported
  # once however often it is listed (the module system keys it by its path).
  modules =
    check "nixosModules.default is the module's file" outputs.nixosModules.default ../../nix/nixos-module.nix
    && check "homeManagerModules.default is the module's file" outputs.homeManagerModules.default ../../nix/home-manager-module.nix
    && check "homeModules.default aliases homeManagerModules.default" outputs.homeModules.default outputs.homeManagerModules.default
    && check "the modules take no flake arguments" (map (m: builtins.attrNames (builtins.functionArgs (import m)))
      [ outputs.nixosModules.default outputs.homeManagerModules.default ]) [ [ "config" "lib" "pkgs" ] [ "config" "lib" "pkgs" ] ]
    && check "overlays.default adds pkgs.wslconst" (builtins.attrNames (outputs.overlays.default (stubPkgs "x86_64-linux") { })) [ "wslconst" ]
    && check "nixpkgs is pinned to a revision" (builtins.match "github:NixOS/nixpkgs/[0-9a-f]{40}" flake.inputs.nixpkgs.url != null) true
    && check "lib renders the conf" (builtins.isString (outputs.lib.renderDistributionConf { })) true
    && check "lib computes GUIDs" (outputs.lib.hideEntry "Ubuntu") { guid = outputs.lib.tier1 "Ubuntu"; hidden = true; };
in
modules
&& assertAll "microsoft/WSL" (pinnedRevs "microsoft/WSL") wslRev
&& assertAll "microsoft/terminal" (pinnedRevs "microsoft/terminal") terminalRev
&& builtins.all perSystem (builtins.attrNames outputs.packages)
