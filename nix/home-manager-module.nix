# home-manager module (flake outputs homeManagerModules.default and
# homeModules.default): Windows Terminal profiles for WSL distros, kept in the
# Windows user's settings.json from inside WSL.
#
# Every change goes through `wslconst settings`, so the user's hand edits,
# comments and formatting survive, every changed file gets a timestamped
# backup, and the profile GUIDs are the ones wslconst computes from the
# pinned WSL and Terminal sources: no GUID is written in Nix.
{ self }:
{ config, lib, pkgs, ... }:
let
  cfg = config.wsl.terminal;
  json = pkgs.formats.json { };
  exe = lib.getExe cfg.package;

  # `--distro NAME [--distribution-id ID]`: the profile Terminal shows for it.
  distroArgs = p:
    [ "--distro" p.distro ]
    ++ lib.optionals (p.distributionId != null) [ "--distribution-id" p.distributionId ];

  profileFile = name: p:
    json.generate "wsl-terminal-${name}.json"
      (p.settings // lib.optionalAttrs (p.hidden != null) { inherit (p) hidden; });

  # One wslconst call; a failure (a file Terminal cannot read, an entry the
  # user must merge by hand) is reported and does not stop the activation.
  call = args: ''
    run ${exe} settings ${lib.escapeShellArgs args} "''${wslconst_target[@]}" \
      || warnEcho "wsl.terminal: 'wslconst settings ${lib.head args}' left something for you (see above)"
  '';
in
{
  options.wsl.terminal = {
    enable = lib.mkEnableOption "Windows Terminal profiles for WSL distros, merged into the Windows user's settings.json by wslconst";

    package = lib.mkOption {
      type = lib.types.package;
      default = self.packages.${pkgs.stdenv.hostPlatform.system}.wslconst;
      defaultText = lib.literalExpression "wslconst.packages.\${system}.wslconst";
      description = "The wslconst package.";
    };

    localAppData = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "/mnt/c/Users/me/AppData/Local";
      description = ''
        Windows' %LOCALAPPDATA% as this Linux sees it. When null, the
        activation asks Windows (`cmd.exe /c echo %LOCALAPPDATA%` through
        `wslpath`).
      '';
    };

    channels = lib.mkOption {
      type = lib.types.listOf (lib.types.enum [ "stable" "preview" "canary" "unpackaged" ]);
      default = [ ];
      description = "Only these Terminal installs; empty means every one installed.";
    };

    portable = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      example = [ "/mnt/d/tools/terminal" ];
      description = "Folders of portable Terminal installs (holding WindowsTerminal.exe and .portable) to update too.";
    };

    profiles = lib.mkOption {
      default = { };
      example = lib.literalExpression ''
        {
          NixOS = {
            distributionId = "{fc3bf427-722c-4c2b-84bf-17202d2e3740}";
            settings = { colorScheme = "One Half Dark"; font = { face = "Cascadia Code"; size = 11; }; };
          };
        }
      '';
      description = ''
        Profile settings per distro. wslconst finds the profile by the GUID
        Terminal gives the distro: the profile of WSL's fragment when
        `distributionId` is set (the distro's key under
        HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss), else Terminal's
        own generated profile. Keys are checked against Terminal's profile
        schema; keys the entry has and these settings do not name are kept.
      '';
      type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
        options = {
          distro = lib.mkOption {
            type = lib.types.str;
            default = name;
            description = "The distro's registered name.";
          };
          distributionId = lib.mkOption {
            type = lib.types.nullOr lib.types.str;
            default = null;
            description = "The distro's registry GUID, when it is known.";
          };
          hidden = lib.mkOption {
            type = lib.types.nullOr lib.types.bool;
            default = null;
            description = "Hide the profile (or show it again).";
          };
          settings = lib.mkOption {
            type = json.type;
            default = { };
            description = "Terminal profile keys, as in settings.json.";
          };
        };
      }));
    };

    defaultProfile = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "NixOS";
      description = "The entry of `profiles` whose profile Terminal opens by default.";
    };

    staleDistributionIds = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ ];
      description = ''
        Registry GUIDs of distros that no longer exist (a re-imported distro
        gets a new one): their profiles are removed from settings.json and
        their GUIDs from state.json, so Terminal stops reporting them as
        "no longer detected".
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.defaultProfile == null || cfg.profiles ? ${cfg.defaultProfile};
        message = "wsl.terminal.defaultProfile = ${builtins.toJSON cfg.defaultProfile} is not an entry of wsl.terminal.profiles";
      }
    ];

    home.activation.wslconstTerminal = lib.hm.dag.entryAfter [ "writeBoundary" ] ''
      wslconst_appdata=${lib.escapeShellArg (if cfg.localAppData == null then "" else cfg.localAppData)}
      if [ -z "$wslconst_appdata" ] && command -v cmd.exe >/dev/null 2>&1 && command -v wslpath >/dev/null 2>&1; then
        wslconst_appdata=$(wslpath -u "$(cd /mnt/c 2>/dev/null; cmd.exe /d /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')" 2>/dev/null || true)
      fi
      if [ -z "$wslconst_appdata" ]; then
        warnEcho "wsl.terminal: cannot find Windows' %LOCALAPPDATA% (no cmd.exe/wslpath); set wsl.terminal.localAppData. Terminal settings left alone."
      else
        wslconst_target=(--local-appdata "$wslconst_appdata" ${lib.escapeShellArgs (lib.concatMap (c: [ "--channel" c ]) cfg.channels ++ lib.concatMap (d: [ "--portable" d ]) cfg.portable)})
        ${lib.concatStrings (map (id: call [ "remove" "--distribution-id" id ] + call [ "prune-state" "--distribution-id" id ]) cfg.staleDistributionIds)}
        ${lib.concatStrings (lib.mapAttrsToList (name: p: call ([ "upsert" "--profile" "${profileFile name p}" ] ++ distroArgs p)) cfg.profiles)}
        ${lib.optionalString (cfg.defaultProfile != null && cfg.profiles ? ${cfg.defaultProfile}) (call ([ "set-default" ] ++ distroArgs cfg.profiles.${cfg.defaultProfile}))}
      fi
    '';
  };
}
