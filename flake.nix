{
  description = "wslconst: WSL and Windows Terminal GUID constants as compile-time facts";

  inputs = {
    # A fixed revision, whose rustc (1.95.0) is the workspace's rust-version.
    # The modules and the overlay build wslconst with the pkgs they are given,
    # so a system can also follow its own nixpkgs:
    # inputs.wslconst.inputs.nixpkgs.follows = "nixpkgs".
    nixpkgs.url = "github:NixOS/nixpkgs/fc3f2e72c142be53877d3f728f949330811bc7dd";
    # The upstream sources the constants are read from, by checks.upstream-drift
    # and the dev shell only. The revisions are the ones
    # wslconst/upstream-pin.json records (.ci/run compares them); move both
    # together with `wslconst pin`.
    wsl-src = {
      url = "github:microsoft/WSL/3e27a6a50177ce4e32e72f7b957aef5db5768062";
      flake = false;
    };
    terminal-src = {
      url = "github:microsoft/terminal/20588130d8ef2ba40eb56bdae88e04cce7fc5b5d";
      flake = false;
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      wsl-src,
      terminal-src,
    }:
    let
      lib = nixpkgs.lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      wslconstLib = import ./nix/lib.nix { };

      # Of each upstream tree, only the files wslconst reads: a change
      # elsewhere upstream neither rebuilds nor re-checks anything.
      trimmed =
        name: tree:
        builtins.path {
          inherit name;
          path = tree;
          filter =
            path: type:
            let
              relative = lib.removePrefix (toString tree + "/") (toString path);
            in
            if type == "directory" then
              lib.any (f: lib.hasPrefix (relative + "/") f) wslconstLib.upstreamFiles
            else
              lib.elem relative wslconstLib.upstreamFiles;
        };
      # A `path:` or tarball override has no `rev`; build.rs then asks git or
      # records "unknown".
      upstream = {
        wsl = {
          src = trimmed "wsl-src" wsl-src;
          rev = wsl-src.rev or "";
        };
        terminal = {
          src = trimmed "terminal-src" terminal-src;
          rev = terminal-src.rev or "";
        };
      };
      # What build.rs reads to extract from the pinned trees instead of the pin file.
      upstreamEnv = {
        WSLCONST_WSL_SRC = "${upstream.wsl.src}";
        WSLCONST_WSL_REV = upstream.wsl.rev;
        WSLCONST_TERMINAL_SRC = "${upstream.terminal.src}";
        WSLCONST_TERMINAL_REV = upstream.terminal.rev;
      };
    in
    {
      # The pure functions (builtins only): wsl-distribution.conf and profile
      # template rendering, WSL's template rules, constants.json.
      lib = wslconstLib;

      # pkgs.wslconst, built with the nixpkgs it is applied to.
      overlays.default = final: prev: { wslconst = final.callPackage ./nix/package.nix { }; };

      packages = forAllSystems (
        pkgs:
        let
          # From the embedded pin file: nothing of Microsoft's is fetched.
          wslconst = pkgs.callPackage ./nix/package.nix { };
          # `wslconst render`: constants.json, validate.py, the PowerShell
          # scripts and their SHA256SUMS.
          rendered = pkgs.runCommand "wsl-terminal-constants" { } ''
            ${lib.getExe wslconst} render $out
          '';
        in
        {
          inherit wslconst;
          default = wslconst;
          wsl-terminal-constants = rendered;
          # The Windows side: Import-NixOSWSL.ps1 and Compute-WslProfileGuid.ps1,
          # with their lines of the rendered SHA256SUMS to publish beside them.
          import-nixos-wsl = pkgs.runCommand "import-nixos-wsl" { } ''
            mkdir -p $out
            cp ${rendered}/Import-NixOSWSL.ps1 ${rendered}/Compute-WslProfileGuid.ps1 $out/
            grep '[.]ps1$' ${rendered}/SHA256SUMS > $out/SHA256SUMS
          '';
        }
      );

      # `nix run github:wslconst/wslconst#check-image -- nixos.wsl --personal jdoe`
      apps = forAllSystems (
        pkgs:
        let
          wslconst = self.packages.${pkgs.stdenv.hostPlatform.system}.wslconst;
          checkImage = pkgs.writeShellScriptBin "wslconst-check-image" ''
            exec ${lib.getExe wslconst} check-image "$@"
          '';
        in
        {
          default = {
            type = "app";
            program = lib.getExe wslconst;
            meta.description = "wslconst";
          };
          check-image = {
            type = "app";
            program = "${checkImage}/bin/wslconst-check-image";
            meta.description = "wslconst check-image: WSL's rules, a secret scan and the Terminal preview of a .wsl image";
          };
        }
      );

      # Modules as files: the module system names them in errors and imports
      # each once, however often a configuration lists it.
      nixosModules.default = ./nix/nixos-module.nix;
      homeManagerModules.default = ./nix/home-manager-module.nix;
      # The name newer home-manager looks for.
      homeModules.default = self.homeManagerModules.default;

      checks = forAllSystems (
        pkgs:
        let
          system = pkgs.stdenv.hostPlatform.system;
          wslconst = self.packages.${system}.wslconst;
          exe = lib.getExe wslconst;
          # A NixOS system with the module and every kind of option, for the
          # module check below.
          moduleSystem = nixpkgs.lib.nixosSystem {
            inherit system;
            modules = [
              self.nixosModules.default
              ./tests/nix/terminal-example.nix
              {
                boot.isContainer = true;
                system.stateVersion = "25.05";
              }
            ];
          };
          built = moduleSystem.config.system.build;
        in
        {
          # The crate built and tested from the embedded pin file.
          inherit wslconst;

          # The same against the pinned upstream trees: a constant or the
          # profile schema drifted from the pin file fails this build.
          upstream-drift = pkgs.callPackage ./nix/package.nix { inherit upstream; };

          # The committed pin file is exactly what the pinned trees say.
          pin-file-current = pkgs.runCommand "wslconst-pin-file-current" { } ''
            cp ${./wslconst/upstream-pin.json} pin.json
            chmod +w pin.json
            ${exe} pin \
              --wsl-src ${upstream.wsl.src} --wsl-rev ${wsl-src.rev or "unknown"} \
              --terminal-src ${upstream.terminal.src} --terminal-rev ${terminal-src.rev or "unknown"} \
              --pin-file pin.json --check
            touch $out
          '';

          # rendered/ (the copies for users who do not build) equals a fresh render.
          reference-copies = pkgs.runCommand "wslconst-reference-copies" { } ''
            ${exe} render ${./rendered} --check
            touch $out
          '';

          fmt = pkgs.runCommand "wslconst-fmt" { nativeBuildInputs = [ pkgs.cargo pkgs.rustfmt ]; } ''
            cd ${wslconst.src}
            cargo fmt --all --check
            touch $out
          '';

          clippy = wslconst.overrideAttrs (old: {
            pname = "wslconst-clippy";
            nativeBuildInputs = old.nativeBuildInputs ++ [ pkgs.clippy ];
            buildPhase = ''
              runHook preBuild
              cargo clippy --workspace --all-targets --offline -- -D warnings
              runHook postBuild
            '';
            doCheck = false;
            installPhase = "touch $out";
          });
        }
        // lib.optionalAttrs pkgs.stdenv.isLinux {
          # WSL's own ParseConfigFile, _CreateTerminalProfile and
          # validate-modern.py, built from the pinned wsl-src, against the
          # Rust models (scripts/wsl-oracle): behaviour drift fails like
          # constant drift. The oracles' Linux builds need a Linux host.
          wsl-oracle = pkgs.callPackage ./nix/wsl-oracle.nix {
            inherit wslconst;
            wslSrc = wsl-src;
            wslRev = wsl-src.rev or "unknown";
            src = lib.fileset.toSource {
              root = ./.;
              fileset = lib.fileset.unions [
                ./scripts
                ./fuzz/corpus
              ];
            };
          };

          # The NixOS module's files, from pure Nix, against the Rust rendering
          # of the same options: the conf byte for byte, the template by value
          # and by wslconst's own template check.
          nixos-module = pkgs.runCommand "wslconst-nixos-module" { nativeBuildInputs = [ pkgs.jq ]; } ''
            echo '{"oobe.defaultName": "NixOS", "oobe.defaultUid": 1000, "windowsterminal.profileTemplate": "/usr/lib/wsl/terminal-profile.json"}' > conf.json
            ${exe} distribution-conf render --from-json conf.json -o expected.conf
            diff -u expected.conf ${built.wslDistributionConf}
            echo '{"fontFace": "Cascadia Code", "fontSize": 11, "colorScheme": "One Half Dark"}' > template.json
            ${exe} template render --from-json template.json -o expected.json
            [ "$(jq -S . expected.json)" = "$(jq -S . ${built.wslTerminalProfileTemplate})" ]
            ${exe} template check ${built.wslTerminalProfileTemplate} --image-path /usr/lib/wsl/terminal-profile.json
            touch $out
          '';
        }
      );

      # `nix develop`: cargo builds against the pinned trees, as the checks do.
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell (
          upstreamEnv
          // {
            packages = [
              pkgs.cargo
              pkgs.rustc
              pkgs.clippy
              pkgs.rustfmt
              pkgs.python3
            ];
          }
        );
      });
    };
}
