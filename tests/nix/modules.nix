# Evaluates the NixOS and home-manager modules with nixpkgs' lib and stub
# packages, and returns what they produce, for scripts/nix-modules.py to
# check against the Rust rendering. The scripts they generate (the image
# builder, the activation) come from nix/lib.nix, which CI runs for real
# (scripts/nix-image.py, scripts/nix-activation.py); here each module is
# checked to hand its options to those generators. nixpkgs' lib cannot be
# downloaded where CI runs, so CI does not run this; with a nixpkgs checkout:
#   scripts/nix-modules.py /path/to/nixpkgs/lib target/debug/wslconst
{
  lib,
  # A template file that parses but is not what WSL wants (`{"profile": []}`).
  wrongShapeTemplate,
}:
let
  stub = name: attrs: attrs // { inherit name; type = "derivation"; outPath = "/stub/${name}"; };
  wslconstLib = import ../../nix/lib.nix { };
  pkgs = {
    stdenv.hostPlatform.system = "x86_64-linux";
    coreutils = stub "coreutils" { };
    gnused = stub "gnused" { };
    gnutar = stub "gnutar" { };
    pigz = stub "pigz" { };
    # What the modules build wslconst with when pkgs has no pkgs.wslconst.
    callPackage = path: args: stub "wslconst-from-${baseNameOf path}" { meta.mainProgram = "wslconst"; };
    writeText = name: text: stub name { inherit text; };
    runCommand = name: env: script: stub name { inherit env script; };
    writeShellApplication = args: stub args.name { inherit (args) text runtimeInputs; };
    formats.json = { }: {
      # Any JSON value, as the real json.type takes.
      type = lib.types.anything;
      generate = name: value: stub name { text = builtins.toJSON value; };
    };
  };
  # pkgs with the flake's overlay applied.
  overlaid = pkgs // { wslconst = stub "wslconst-overlay" { meta.mainProgram = "wslconst"; }; };

  # The options NixOS (and NixOS-WSL) declare that the module sets or reads.
  nixosOptions = {
    options = {
      assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
      warnings = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
      system.checks = lib.mkOption { type = lib.types.listOf lib.types.package; default = [ ]; };
      system.build = lib.mkOption { type = lib.types.lazyAttrsOf lib.types.unspecified; default = { }; };
      environment.etc = lib.mkOption { type = lib.types.attrsOf (lib.types.attrsOf lib.types.unspecified); default = { }; };
      wsl.enable = lib.mkOption { type = lib.types.bool; default = false; };
      lib = lib.mkOption { type = lib.types.attrsOf lib.types.attrs; default = { }; };
    };
  };
  # NixOS-WSL's builder, as its module declares it.
  nixosWslBuilder = { config, ... }: {
    config = lib.mkIf config.wsl.enable {
      system.build.tarballBuilder = stub "nixos-wsl-tarball-builder" { meta.mainProgram = "nixos-wsl-tarball-builder"; };
    };
  };
  nixosWith = modulePkgs: config:
    (lib.evalModules {
      modules = [
        nixosOptions
        nixosWslBuilder
        { _module.args.pkgs = modulePkgs; }
        ../../nix/nixos-module.nix
        config
      ];
    }).config;
  nixos = nixosWith pkgs;
  summary = config:
    let c = nixos config; in {
      conf = c.wsl.terminal.distributionConf.text;
      template = c.wsl.terminal.profileTemplate.text;
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      warnings = c.warnings;
      build = builtins.attrNames c.system.build;
      checks = map (d: d.script) c.system.checks;
      tarballBuilder = c.system.build.wslconstTarballBuilder.text or null;
      package = c.wsl.terminal.package.name;
      etc = c.environment.etc;
    };

  # home-manager's lib.hm.dag and the options the module sets.
  hmLib = lib.extend (final: prev: {
    hm.dag.entryAfter = after: data: { inherit after data; };
  });
  hmOptions = {
    options = {
      assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
      home.activation = lib.mkOption { type = lib.types.attrsOf lib.types.unspecified; default = { }; };
      lib = lib.mkOption { type = lib.types.attrsOf lib.types.attrs; default = { }; };
    };
  };
  homeConfig = config:
    (hmLib.evalModules {
      modules = [
        hmOptions
        { _module.args.pkgs = pkgs; }
        ../../nix/home-manager-module.nix
        config
      ];
    }).config;
  home = config:
    let
      c = homeConfig config;
    in
    {
      activation = c.home.activation.wslconstTerminal or null;
      failed = map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
      # What each profile's JSON file holds (pkgs.formats.json is stubbed).
      files = lib.mapAttrs
        (name: p: builtins.toJSON (p.settings // lib.optionalAttrs (p.hidden != null) { inherit (p) hidden; }))
        c.wsl.terminal.profiles;
      package = c.wsl.terminal.package.name;
    };
  # Whether evaluating `config` fails (a type error, an assertion thrown).
  fails = value: !(builtins.tryEval (builtins.deepSeq value value)).success;
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
    # The module listed twice (two flake inputs importing it, a host file
    # and a shared profile): the module system imports a file once.
    twice = summary {
      imports = [ ../../nix/nixos-module.nix ../../nix/nixos-module.nix ];
      wsl.terminal.enable = true;
    };
    noChecks = summary {
      wsl.terminal = {
        enable = true;
        checks.enable = false;
      };
    };
    imageCheck = summary {
      wsl.enable = true;
      wsl.terminal = {
        enable = true;
        imageCheck.personalIdentifiers = [ "jdoe" ];
        imageCheck.failOnWarnings = true;
      };
    };
    overlay = (nixosWith overlaid { wsl.terminal.enable = true; }).wsl.terminal.package.name;
    guid = (nixos { }).lib.wslconst.tier2 "fc3bf427-722c-4c2b-84bf-17202d2e3740";
    # The builder the module makes is nix/lib.nix's, with the module's values.
    builderIsTheTestedOne =
      let c = nixos { wsl.enable = true; wsl.terminal.enable = true; };
      in c.system.build.wslconstTarballBuilder.text == wslconstLib.imageWrapper {
        builder = "/stub/nixos-wsl-tarball-builder/bin/nixos-wsl-tarball-builder";
        wslconst = "/stub/wslconst-from-package.nix/bin/wslconst";
        confFile = c.system.build.wslDistributionConf;
        templateFile = c.system.build.wslTerminalProfileTemplate;
        iconPath = wslconstLib.defaultIconPath;
      };
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
    twice = home {
      imports = [ ../../nix/home-manager-module.nix ];
      wsl.terminal.enable = true;
    };
    # A profile's settings is an attribute set: anything else is refused when
    # the configuration is evaluated, not when the activation runs.
    settingsRefused = map (settings: fails (homeConfig {
      wsl.terminal = { enable = true; profiles.NixOS.settings = settings; };
    }).wsl.terminal.profiles) [ null [ 1 ] "x" 3 ];
    # GUIDs at evaluation time, for other modules.
    guids =
      let c = homeConfig {
        wsl.terminal = {
          enable = true;
          profiles.NixOS.distributionId = "{FC3BF427-722C-4C2B-84BF-17202D2E3740}";
          profiles.Debian = { };
        };
      };
      in {
        nixos = c.wsl.terminal.profiles.NixOS.guid;
        debian = c.wsl.terminal.profiles.Debian.guid;
        lib = c.lib.wslconst.tier1 "Ubuntu";
        disabled = (homeConfig { }).lib.wslconst.hideEntry "Ubuntu";
      };
    settingsTaken = fails (homeConfig {
      wsl.terminal = { enable = true; profiles.NixOS.settings = { font.size = 11; hidden = false; }; };
    }).wsl.terminal.profiles;
    # The activation the module makes is nix/lib.nix's, with the module's values.
    activationIsTheTestedOne =
      let c = homeConfig { wsl.terminal = { enable = true; profiles.Debian.hidden = true; defaultProfile = "Debian"; }; };
      in c.home.activation.wslconstTerminal.data == wslconstLib.homeActivation {
        exe = "/stub/wslconst-from-package.nix/bin/wslconst";
        wslpath = "/bin/wslpath";
        cmdExe = "/mnt/c/Windows/System32/cmd.exe";
        profiles = [ { file = "/stub/wsl-terminal-Debian.json"; args = [ "--distro" "Debian" ]; } ];
        defaultArgs = [ "--distro" "Debian" ];
      };
  };
}
