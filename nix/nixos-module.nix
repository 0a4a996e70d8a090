# NixOS module (flake output nixosModules.default): the Windows Terminal side of
# a WSL image. It renders /etc/wsl-distribution.conf and the Terminal profile
# template from options, checks them by WSL's rules, and, on NixOS-WSL, builds
# an image that carries them.
#
# NixOS-WSL's tarball builder writes its own fixed /etc/wsl-distribution.conf
# (oobe.defaultName = "NixOS", shortcut.icon = "/etc/nixos.ico") after
# installing the system, so a file from the system configuration cannot reach
# the image. This module therefore adds system.build.wslconstTarballBuilder
# (nix/wrap-image.sh): it runs NixOS-WSL's builder with the same arguments,
# replaces the conf in the image with the rendered one, adds the template and
# NixOS-WSL's icon where WSL's validator expects them (/usr/lib/wsl,
# /usr/share/wsl), owned by root with the modes it expects, and runs
# `wslconst check-image` on the result (wsl.terminal.imageCheck).
#
# wslconst is built with the `pkgs` of the configuration (nix/package.nix),
# from its embedded pin file. Every WSL fact (key names, modes, size limit,
# template path) comes from wslconst's constants.json through nix/lib.nix.
{ config, lib, pkgs, ... }:
let
  cfg = config.wsl.terminal;
  wslconstLib = import ./lib.nix { };
  rules = wslconstLib.rules;
  fileRule = name: rules.files.${name};
  onNixosWsl = config.wsl.enable or false;

  templateCfg = cfg.profileTemplate;
  # The template's text: the given file, or the structured settings.
  templateText =
    if templateCfg.source != null
    then builtins.readFile templateCfg.source
    else wslconstLib.renderProfileTemplate (lib.filterAttrs (_: v: v != null) templateCfg.settings);
  templateFile = pkgs.writeText "terminal-profile.json" templateText;
  templateProblems =
    if templateCfg.enable then wslconstLib.checkProfileTemplate { path = templateCfg.path; text = templateText; } else [ ];

  confCfg = cfg.distributionConf;
  confOptions = {
    oobe = {
      inherit (confCfg.oobe) command defaultUid defaultName;
    };
    shortcut = {
      enabled = confCfg.shortcut.enable;
      inherit (confCfg.shortcut) icon;
    };
    windowsterminal = {
      enabled = confCfg.windowsterminal.enable;
      profileTemplate = if templateCfg.enable then templateCfg.path else null;
    };
  };
  confText = wslconstLib.renderDistributionConf confOptions;
  confFile = pkgs.writeText "wsl-distribution.conf" confText;

  underOneOf = dirs: path: dirs == [ ] || lib.any (d: lib.hasPrefix d path) dirs;

  settingsOption = type: description: lib.mkOption {
    type = lib.types.nullOr type;
    default = null;
    inherit description;
  };

  # wslconst checks what pure Nix cannot: the template against Terminal's
  # profile schema, and the conf parsed back exactly as WSL parses it.
  checks = pkgs.runCommand "wsl-terminal-checks" { nativeBuildInputs = [ cfg.package ]; } ''
    wslconst distribution-conf check ${confFile}
    ${lib.optionalString templateCfg.enable ''
      wslconst template check ${templateFile} --image-path ${lib.escapeShellArg templateCfg.path}
    ''}
    touch $out
  '';

  checkCfg = cfg.imageCheck;
  tarballBuilder = pkgs.writeShellApplication {
    name = "nixos-wsl-tarball-builder-wslconst";
    runtimeInputs = [ pkgs.coreutils pkgs.gnused pkgs.gnutar pkgs.pigz ];
    text = wslconstLib.imageWrapper {
      builder = lib.getExe config.system.build.tarballBuilder;
      wslconst = lib.getExe cfg.package;
      inherit confFile;
      templateFile = if templateCfg.enable then templateFile else null;
      templatePath = templateCfg.path;
      iconFile = confCfg.shortcut.iconFile;
      iconPath = confCfg.shortcut.icon;
      imageCheck = checkCfg.enable;
      checkArgs = lib.concatMap (p: [ "--personal" p ]) checkCfg.personalIdentifiers ++ checkCfg.extraArgs;
      inherit (checkCfg) failOnWarnings;
    };
  };
in
{
  options.wsl.terminal = {
    enable = lib.mkEnableOption "the Windows Terminal integration of the WSL image (wsl-distribution.conf and the profile template)";

    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.wslconst or (pkgs.callPackage ./package.nix { });
      defaultText = lib.literalExpression "pkgs.wslconst (the flake's overlays.default), else built from this flake's nix/package.nix with the system's pkgs";
      description = "The wslconst package that checks the rendered files and the image.";
    };

    checks.enable = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether `system.checks` runs wslconst on the rendered conf and template (Terminal's profile schema, WSL's parser).";
    };

    imageCheck = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Whether system.build.wslconstTarballBuilder runs `wslconst
          check-image` on the image it wrote (WSL's rules, a secret scan):
          an error fails the build with the report, and the JSON report is
          written beside the image as IMAGE.check-image.json.
        '';
      };
      personalIdentifiers = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        example = [ "jdoe" "jane.doe@example.com" "jdoe-laptop" ];
        description = "User names, emails and host names that must not ship in the image (`--personal`, any case, in paths and contents).";
      };
      failOnWarnings = lib.mkOption {
        type = lib.types.bool;
        default = false;
        description = "Fail the build on warnings too.";
      };
      extraArgs = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [ ];
        example = [ "--arm64" ];
        description = "More `wslconst check-image` arguments.";
      };
    };

    profileTemplate = {
      enable = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Whether the image ships a Terminal profile template, which WSL turns
          into the profile in its fragment. Without one WSL uses its default
          template (only "startingDirectory": "~").
        '';
      };
      path = lib.mkOption {
        type = lib.types.str;
        default = rules.profileTemplatePath;
        defaultText = lib.literalExpression "wslRules.profileTemplatePath from constants.json";
        description = "Where the template is in the image; windowsterminal.profileTemplate names it.";
      };
      source = lib.mkOption {
        type = lib.types.nullOr lib.types.path;
        default = null;
        description = ''
          A ready template file (JSON, no comments: WSL's parser refuses
          them). Overrides settings. It is read at evaluation time
          (builtins.readFile, for WSL's checks): a file of the configuration
          costs nothing, while a derivation's output here is
          import-from-derivation (built during evaluation).
        '';
      };
      settings = {
        fontFace = settingsOption lib.types.str "font.face.";
        fontSize = settingsOption lib.types.number "font.size in points.";
        fontWeight = settingsOption (lib.types.either lib.types.str lib.types.int) "font.weight: a name (\"bold\") or 100 to 990.";
        colorScheme = settingsOption lib.types.str "colorScheme; defaults to the embedded scheme's name.";
        scheme = settingsOption (lib.types.attrsOf lib.types.str) ''
          A color scheme to embed: its name and all of Terminal's 18 scheme
          colors as "#rrggbb" (background, foreground, cursorColor,
          selectionBackground, black ... brightWhite).
        '';
        cursorShape = settingsOption lib.types.str "cursorShape (bar, vintage, underscore, filledBox, emptyBox, doubleUnderscore).";
        opacity = settingsOption lib.types.int "opacity, 0 to 100.";
        padding = settingsOption lib.types.str "padding, e.g. \"8, 8\".";
        startingDirectory = settingsOption lib.types.str "startingDirectory; \"~\" when unset, as WSL's default template has it.";
        tabTitle = settingsOption lib.types.str "tabTitle.";
        tabColor = settingsOption lib.types.str "tabColor, \"#rrggbb\".";
      };
      text = lib.mkOption {
        type = lib.types.str;
        readOnly = true;
        default = templateText;
        defaultText = lib.literalMD "the rendered template";
        description = "The template as it goes into the image.";
      };
    };

    distributionConf = {
      oobe = {
        command = settingsOption lib.types.str "oobe.command: run as root at first start (under /usr/lib/wsl or /usr/libexec/wsl).";
        defaultUid = settingsOption lib.types.int "oobe.defaultUid: the default user after oobe.command (WSL's validator expects 1000).";
        defaultName = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = "NixOS";
          description = "oobe.defaultName: the distro name when `wsl --install --from-file` is given none (NixOS-WSL's value by default).";
        };
      };
      shortcut = {
        enable = settingsOption lib.types.bool "shortcut.enabled: a Start menu shortcut (WSL's default: true).";
        icon = lib.mkOption {
          type = lib.types.nullOr lib.types.str;
          default = if onNixosWsl then wslconstLib.defaultIconPath else null;
          defaultText = lib.literalExpression ''"${wslconstLib.defaultIconPath}" on NixOS-WSL, else null'';
          description = ''
            shortcut.icon: where the .ico file is in the image (at most 1 MiB;
            WSL's validator expects it under ${lib.concatStringsSep " or " (fileRule "shortcut.icon").dirs}).
            The image builder puts iconFile there, or NixOS-WSL's own icon.
          '';
        };
        iconFile = lib.mkOption {
          type = lib.types.nullOr lib.types.path;
          default = null;
          description = "The .ico file to ship at `icon`; null takes the one NixOS-WSL's builder puts at /etc/nixos.ico.";
        };
      };
      windowsterminal.enable = settingsOption lib.types.bool "windowsterminal.enabled: whether WSL writes a Terminal fragment (WSL's default: true).";
      text = lib.mkOption {
        type = lib.types.str;
        readOnly = true;
        default = confText;
        defaultText = lib.literalMD "the rendered file";
        description = "/etc/wsl-distribution.conf as it goes into the image.";
      };
    };
  };

  config = lib.mkMerge [ {
    # The GUID functions, for other modules: config.lib.wslconst.tier1
    # "NixOS", .tier2 ID, .fragmentProfile SOURCE NAME, .hideEntry NAME.
    lib.wslconst = { inherit (wslconstLib) tier1 tier2 fragmentProfile hideEntry; };
  } (lib.mkIf cfg.enable {
    assertions =
      map (message: { assertion = false; message = "wsl.terminal.profileTemplate: ${message}"; }) templateProblems
      ++ [
        {
          assertion = !templateCfg.enable || !(confCfg.windowsterminal.enable == false);
          message = "wsl.terminal: a profile template is shipped but distributionConf.windowsterminal.enable is false, so WSL would never read it; disable profileTemplate.enable too";
        }
        {
          assertion = confCfg.shortcut.iconFile == null || confCfg.shortcut.icon != null;
          message = "wsl.terminal.distributionConf.shortcut.iconFile is set but shortcut.icon is null, so the image would not name it; set shortcut.icon (e.g. /usr/share/wsl/nixos.ico)";
        }
        {
          assertion = confCfg.shortcut.icon == null || !(lib.hasInfix ".." confCfg.shortcut.icon);
          message = "wsl.terminal.distributionConf.shortcut.icon: ${confCfg.shortcut.icon} contains \"..\"; WSL refuses it and uses its default icon";
        }
      ];

    warnings =
      lib.optional (templateCfg.enable && !(underOneOf (fileRule "windowsterminal.profileTemplate").dirs templateCfg.path))
        "wsl.terminal.profileTemplate.path ${templateCfg.path} is not under ${lib.concatStringsSep " or " (fileRule "windowsterminal.profileTemplate").dirs}, where WSL's validator expects it"
      ++ lib.optional (confCfg.shortcut.icon != null && !(underOneOf (fileRule "shortcut.icon").dirs confCfg.shortcut.icon))
        "wsl.terminal.distributionConf.shortcut.icon ${confCfg.shortcut.icon} is not under ${lib.concatStringsSep " or " (fileRule "shortcut.icon").dirs}, where WSL's validator expects it"
      ++ lib.optional (confCfg.oobe.command != null && !(underOneOf (fileRule "oobe.command").dirs confCfg.oobe.command))
        "wsl.terminal.distributionConf.oobe.command is not under ${lib.concatStringsSep " or " (fileRule "oobe.command").dirs}, where WSL's validator expects it";

    # NixOS links /etc files into the store, mode 0444, and WSL's validator
    # follows the link and expects 0644 or 0664 of /etc/wsl.conf. A `mode`
    # makes NixOS copy the file with that mode instead.
    environment.etc = lib.mkIf onNixosWsl {
      "wsl.conf".mode = lib.mkDefault (lib.last (fileRule "distributionConf").modes);
    };

    system.checks = lib.optional cfg.checks.enable checks;

    system.build = {
      wslDistributionConf = confFile;
      wslTerminalProfileTemplate = templateFile;
    } // lib.optionalAttrs onNixosWsl {
      # NixOS-WSL's builder, then this module's files in the image, checked.
      wslconstTarballBuilder = tarballBuilder;
    };
  }) ];
}
