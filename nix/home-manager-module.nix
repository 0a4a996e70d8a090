# home-manager module (flake outputs homeManagerModules.default and
# homeModules.default): Windows Terminal profiles for WSL distros, kept in the
# Windows user's settings.json from inside WSL.
#
# Every change goes through `wslconst settings`, so the user's hand edits,
# comments and formatting survive, every changed file gets a timestamped
# backup, and the profile GUIDs are the ones wslconst computes from the
# pinned WSL and Terminal sources: no GUID is written in Nix.
#
# home-manager runs activations with a PATH of its own (bash, coreutils,
# grep, sed, jq, nix...), which holds neither cmd.exe nor wslpath: the
# activation (nix/lib.nix, homeActivation) calls them by absolute path.
{ config, lib, pkgs, ... }:
let
  cfg = config.wsl.terminal;
  wslconstLib = import ./lib.nix { };
  json = pkgs.formats.json { };

  # `--distro NAME [--distribution-id ID]`: the profile Terminal shows for it.
  distroArgs = p:
    [ "--distro" p.distro ]
    ++ lib.optionals (p.distributionId != null) [ "--distribution-id" p.distributionId ];

  profileFile = name: p:
    json.generate "wsl-terminal-${name}.json"
      (p.settings // lib.optionalAttrs (p.hidden != null) { inherit (p) hidden; });

in
{
  options.wsl.terminal = {
    enable = lib.mkEnableOption "Windows Terminal profiles for WSL distros, merged into the Windows user's settings.json by wslconst";

    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.wslconst or (pkgs.callPackage ./package.nix { });
      defaultText = lib.literalExpression "pkgs.wslconst (the flake's overlays.default), else built from this flake's nix/package.nix with home-manager's pkgs";
      description = "The wslconst package.";
    };

    windows = {
      wslpath = lib.mkOption {
        type = lib.types.str;
        default = "/bin/wslpath";
        description = "wslpath, by absolute path (home-manager's activation PATH does not hold it; NixOS-WSL puts it here).";
      };
      cmdExe = lib.mkOption {
        type = lib.types.str;
        default = "/mnt/c/Windows/System32/cmd.exe";
        description = "Windows' cmd.exe as this Linux sees it (under the interop mount, /mnt by default), to ask Windows for %LOCALAPPDATA%.";
      };
    };

    localAppData = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "/mnt/c/Users/me/AppData/Local";
      description = ''
        Windows' %LOCALAPPDATA% as this Linux sees it. When null, the
        activation asks Windows (`windows.cmdExe /c echo %LOCALAPPDATA%`,
        translated by `windows.wslpath`).
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
      type = lib.types.attrsOf (lib.types.submodule ({ name, config, ... }: {
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
          guid = lib.mkOption {
            type = lib.types.str;
            readOnly = true;
            default =
              if config.distributionId != null
              then wslconstLib.tier2 config.distributionId
              else wslconstLib.tier1 config.distro;
            defaultText = lib.literalMD "Tier 2 of `distributionId` when it is set, else Tier 1 of `distro`";
            description = ''
              The GUID of the profile Terminal shows for the distro, computed
              at evaluation time (for other modules: a defaultProfile, a
              new-tab action, a profile list of their own).
            '';
          };
          hidden = lib.mkOption {
            type = lib.types.nullOr lib.types.bool;
            default = null;
            description = "Hide the profile (or show it again).";
          };
          settings = lib.mkOption {
            type = lib.types.attrsOf json.type;
            default = { };
            description = "Terminal profile keys, as in settings.json: an attribute set (a profile is a JSON object).";
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

  config = lib.mkMerge [ {
    # The GUID functions, for other modules (home-manager's convention):
    # config.lib.wslconst.tier1 "NixOS", .tier2 ID, .fragmentProfile SOURCE
    # NAME, .hideEntry NAME.
    lib.wslconst = { inherit (wslconstLib) tier1 tier2 fragmentProfile hideEntry; };
  } (lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = cfg.defaultProfile == null || cfg.profiles ? ${cfg.defaultProfile};
        message = "wsl.terminal.defaultProfile = ${builtins.toJSON cfg.defaultProfile} is not an entry of wsl.terminal.profiles";
      }
    ];

    home.activation.wslconstTerminal = lib.hm.dag.entryAfter [ "writeBoundary" ] (wslconstLib.homeActivation {
      exe = lib.getExe cfg.package;
      inherit (cfg.windows) wslpath cmdExe;
      inherit (cfg) localAppData channels portable staleDistributionIds;
      profiles = lib.mapAttrsToList (name: p: { file = "${profileFile name p}"; args = distroArgs p; }) cfg.profiles;
      defaultArgs =
        if cfg.defaultProfile != null && cfg.profiles ? ${cfg.defaultProfile}
        then distroArgs cfg.profiles.${cfg.defaultProfile}
        else null;
    });
  }) ];
}
