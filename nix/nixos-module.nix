# NixOS module (flake output nixosModules.default): the Windows Terminal side of
# a WSL image. It renders /etc/wsl-distribution.conf and the Terminal profile
# template from options, checks them by WSL's rules, and, on NixOS-WSL, builds
# an image that carries them.
#
# NixOS-WSL's tarball builder writes its own fixed /etc/wsl-distribution.conf
# (oobe.defaultName = "NixOS", shortcut.icon = "/etc/nixos.ico") after
# installing the system, so a file from the system configuration cannot reach
# the image. This module therefore keeps those two values as its defaults and
# adds system.build.wslconstTarballBuilder: it runs NixOS-WSL's builder with the
# same arguments, then replaces the conf in the image with the rendered one and
# adds the template, owned by root with the modes WSL's validator expects.
#
# Every WSL fact (key names, modes, size limit, template path) comes from
# wslconst's constants.json through nix/lib.nix.
{ self }:
{ config, lib, pkgs, ... }:
let
  cfg = config.wsl.terminal;
  wslconstLib = import ./lib.nix { };
  rules = wslconstLib.rules;
  fileRule = name: rules.files.${name};
  installMode = name: lib.last (fileRule name).modes;

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

  confPath = wslconstLib.confPath;
  tarballBuilder = pkgs.writeShellApplication {
    name = "nixos-wsl-tarball-builder-wslconst";
    runtimeInputs = [ pkgs.coreutils pkgs.gnutar pkgs.pigz config.system.build.tarballBuilder ];
    text = ''
      # The output file, found the way NixOS-WSL's builder finds it.
      out="nixos.wsl"
      args=("$@")
      while [ $# -gt 0 ]; do
        case "$1" in
          --extra-files) shift ;;
          --chown) shift; shift ;;
          -*) ;;
          *) out="$1" ;;
        esac
        shift
      done

      nixos-wsl-tarball-builder "''${args[@]}"

      echo "[wslconst] Replacing ${confPath}${lib.optionalString templateCfg.enable " and adding ${templateCfg.path}"}"
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      pigz -dc "$out" > "$work/image.tar"
      tar --delete -f "$work/image.tar" ".${confPath}"
      install -D -m ${installMode "distributionConf"} ${confFile} "$work/add${confPath}"
      members=(".${confPath}")
      ${lib.optionalString templateCfg.enable ''
        install -D -m ${installMode "windowsterminal.profileTemplate"} ${templateFile} "$work/add${templateCfg.path}"
        members+=(".${templateCfg.path}")
      ''}
      tar -C "$work/add" -r -f "$work/image.tar" --owner=0 --group=0 --numeric-owner --mtime='@1' "''${members[@]}"
      pigz < "$work/image.tar" > "$out"
      echo "[wslconst] $out is ready; check it with: wslconst distribution-conf check and wslconst template check"
    '';
  };
in
{
  options.wsl.terminal = {
    enable = lib.mkEnableOption "the Windows Terminal integration of the WSL image (wsl-distribution.conf and the profile template)";

    package = lib.mkOption {
      type = lib.types.package;
      default = self.packages.${pkgs.stdenv.hostPlatform.system}.wslconst;
      defaultText = lib.literalExpression "wslconst.packages.\${system}.wslconst";
      description = "The wslconst package that checks the rendered files.";
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
        description = "A ready template file (JSON, no comments: WSL's parser refuses them). Overrides settings.";
      };
      settings = {
        fontFace = settingsOption lib.types.str "font.face.";
        fontSize = settingsOption (lib.types.either lib.types.int lib.types.float) "font.size in points.";
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
          default = if config.wsl.enable or false then "/etc/nixos.ico" else null;
          defaultText = lib.literalExpression ''"/etc/nixos.ico" on NixOS-WSL (where its builder puts the icon), else null'';
          description = "shortcut.icon: an .ico file in the image, at most 1 MiB.";
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

  config = lib.mkIf cfg.enable {
    assertions =
      map (message: { assertion = false; message = "wsl.terminal.profileTemplate: ${message}"; }) templateProblems
      ++ [
        {
          assertion = !templateCfg.enable || !(confCfg.windowsterminal.enable == false);
          message = "wsl.terminal: a profile template is shipped but distributionConf.windowsterminal.enable is false, so WSL would never read it; disable profileTemplate.enable too";
        }
        {
          assertion = confCfg.shortcut.icon == null || !(lib.hasInfix ".." confCfg.shortcut.icon);
          message = "wsl.terminal.distributionConf.shortcut.icon: ${confCfg.shortcut.icon} contains \"..\"; WSL refuses it and uses its default icon";
        }
      ];

    warnings =
      lib.optional (templateCfg.enable && !(underOneOf (fileRule "windowsterminal.profileTemplate").dirs templateCfg.path))
        "wsl.terminal.profileTemplate.path ${templateCfg.path} is not under ${lib.concatStringsSep " or " (fileRule "windowsterminal.profileTemplate").dirs}, where WSL's validator expects it"
      ++ lib.optional (confCfg.oobe.command != null && !(underOneOf (fileRule "oobe.command").dirs confCfg.oobe.command))
        "wsl.terminal.distributionConf.oobe.command is not under ${lib.concatStringsSep " or " (fileRule "oobe.command").dirs}, where WSL's validator expects it";

    system.checks = [ checks ];

    system.build = {
      wslDistributionConf = confFile;
      wslTerminalProfileTemplate = templateFile;
    } // lib.optionalAttrs (config.wsl.enable or false) {
      # NixOS-WSL's builder, then this module's files in the image.
      wslconstTarballBuilder = tarballBuilder;
    };
  };
}
