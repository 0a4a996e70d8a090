# Evaluates the NixOS and home-manager modules with nixpkgs' lib and stub
# packages, and returns what they produce, for scripts/nix-modules.py to
# check against the Rust rendering (and to run the activation script).
# nixpkgs' lib cannot be downloaded where CI runs, so CI does not run this;
# with a nixpkgs checkout:
#   scripts/nix-modules.py /path/to/nixpkgs/lib target/debug/wslconst
{
  lib,
  # A template file that parses but is not what WSL wants (`{"profile": []}`).
  wrongShapeTemplate,
}:
let
  stub = name: attrs: attrs // { inherit name; type = "derivation"; outPath = "/stub/${name}"; };
  pkgs = {
    stdenv.hostPlatform.system = "x86_64-linux";
    coreutils = stub "coreutils" { };
    gnutar = stub "gnutar" { };
    pigz = stub "pigz" { };
    writeText = name: text: stub name { inherit text; };
    runCommand = name: env: script: stub name { inherit env script; };
    writeShellApplication = args: stub args.name { inherit (args) text runtimeInputs; };
    formats.json = { }: {
      type = lib.types.attrsOf lib.types.anything;
      generate = name: value: stub name { text = builtins.toJSON value; };
    };
  };
  self.packages.x86_64-linux.wslconst = stub "wslconst" { meta.mainProgram = "wslconst"; };

  # The options NixOS (and NixOS-WSL) declare that the module sets or reads.
  nixosOptions = {
    options = {
      assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
      warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
      system.checks = lib.mkOption { type = lib.types.listOf lib.types.package; default = [ ]; };
      system.build = lib.mkOption { type = lib.types.lazyAttrsOf lib.types.unspecified; default = { }; };
      wsl.enable = lib.mkOption { type = lib.types.bool; default = false; };
    };
  };
  nixos = config:
    (lib.evalModules {
      modules = [
        nixosOptions
        { _module.args.pkgs = pkgs; }
        (import ../../nix/nixos-module.nix { inherit self; })
        config
      ];
    }).config;
  summary = config:
    let c = nixos config; in {
      conf = c.wsl.terminal.distributionConf.text;
      template = c.wsl.terminal.profileTemplate.text;
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      warnings = c.warnings;
      build = builtins.attrNames c.system.build;
      checks = map (d: d.script) c.system.checks;
      tarballBuilder = c.system.build.wslconstTarballBuilder.text or null;
    };

  # home-manager's lib.hm.dag and the options the module sets.
  hmLib = lib.extend (final: prev: {
    hm.dag.entryAfter = after: data: { inherit after data; };
  });
  hmOptions = {
    options = {
      assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
      home.activation = lib.mkOption { type = lib.types.attrsOf lib.types.unspecified; default = { }; };
    };
  };
  home = config:
    let
      c = (hmLib.evalModules {
        modules = [
          hmOptions
          { _module.args.pkgs = pkgs; }
          (import ../../nix/home-manager-module.nix { inherit self; })
          config
        ];
      }).config;
    in
    {
      activation = c.home.activation.wslconstTerminal or null;
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      # What each profile's JSON file holds (pkgs.formats.json is stubbed).
      files = lib.mapAttrs
        (name: p: builtins.toJSON (p.settings // lib.optionalAttrs (p.hidden != null) { inherit (p) hidden; }))
        c.wsl.terminal.profiles;
    };
in
{
  nixos = {
    settings = summary (import ./terminal-example.nix);
    nixosWsl = summary {
      wsl.enable = true;
      wsl.terminal.enable = true;
    };
    badPath = summary {
      wsl.terminal = {
        enable = true;
        profileTemplate.path = "/usr/lib/wsl/../terminal.json";
      };
    };
    outsideDirs = summary {
      wsl.terminal = {
        enable = true;
        profileTemplate.path = "/etc/terminal.json";
        distributionConf.oobe.command = "/etc/oobe.sh";
      };
    };
    notRead = summary {
      wsl.terminal = {
        enable = true;
        distributionConf.windowsterminal.enable = false;
      };
    };
    wrongShape = summary {
      wsl.terminal = {
        enable = true;
        profileTemplate.source = wrongShapeTemplate;
      };
    };
    disabled = summary { };
  };
  home = {
    profiles = home {
      wsl.terminal = {
        enable = true;
        localAppData = "@LOCALAPPDATA@";
        profiles.NixOS = {
          distributionId = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}";
          settings = {
            colorScheme = "One Half Dark";
            font = { face = "Cascadia Code"; size = 11; };
          };
        };
        profiles.Debian.hidden = true;
        defaultProfile = "NixOS";
        staleDistributionIds = [ "{4a6c0b1e-8f2d-4c3a-9b7e-1d2f3a4b5c6d}" ];
      };
    };
    unknownDefault = home {
      wsl.terminal = {
        enable = true;
        defaultProfile = "Ubuntu";
      };
    };
  };
}
