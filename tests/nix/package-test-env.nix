# What nix/package.nix declares for its test run (nativeCheckInputs, as
# names, and cargoTestFlags), read with stub arguments where nixpkgs cannot be
# had: scripts/declared-path-test.sh runs exactly those tests with a PATH of
# only these tools and the toolchain.
let
  lib = {
    importTOML = path: builtins.fromTOML (builtins.readFile path);
    optionalAttrs = cond: attrs: if cond then attrs else { };
    licenses = { mit = "mit"; asl20 = "asl20"; };
    platforms.unix = [ ];
    fileset = { unions = xs: xs; toSource = _: "/stub/src"; };
  };
  package = import ../../nix/package.nix {
    inherit lib;
    rustPlatform.buildRustPackage = attrs: attrs;
    python3 = "python3";
  };
in
{
  inherit (package) nativeCheckInputs cargoTestFlags;
}
