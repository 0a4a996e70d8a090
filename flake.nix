{
  description = "wslconst: WSL and Windows Terminal GUID constants as compile-time facts";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    # The upstream sources the constants are read from. The revisions are the
    # ones wslconst/upstream-pin.json records (a check in .ci/run compares them);
    # move both together with `wslconst pin`.
    wsl-src = {
      url = "github:microsoft/WSL/3e27a6a50177ce4e32e72f7b957aef5db5768062";
      flake = false;
    };
    terminal-src = {
      url = "github:microsoft/terminal/0cacbbc05e307f402f8d5846832f4d3305e5cee3";
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

      # What build.rs reads to extract from the pinned trees instead of the pin file.
      upstreamEnv = {
        WSLCONST_WSL_SRC = "${wsl-src}";
        WSLCONST_WSL_REV = wsl-src.rev;
        WSLCONST_TERMINAL_SRC = "${terminal-src}";
        WSLCONST_TERMINAL_REV = terminal-src.rev;
      };

      cargoToml = lib.importTOML ./Cargo.toml;

      wslconstFor =
        pkgs: extra:
        pkgs.rustPlatform.buildRustPackage (
          {
            pname = "wslconst";
            version = cargoToml.workspace.package.version;
            src = lib.cleanSource ./.;
            cargoLock.lockFile = ./Cargo.lock;
            cargoBuildFlags = [
              "-p"
              "wslconst"
            ];
            # trybuild needs a writable cargo home and runs its own builds; the
            # UI tests run in .ci/run instead.
            cargoTestFlags = [
              "-p"
              "wslconst"
              "-p"
              "wslconst-macros"
            ];
            env = upstreamEnv;
            meta = {
              description = cargoToml.workspace.package.description or "WSL and Windows Terminal GUID constants";
              mainProgram = "wslconst";
              license = with lib.licenses; [
                mit
                asl20
              ];
            };
          }
          // extra
        );
    in
    {
      # The pure functions (builtins only): wsl-distribution.conf and profile
      # template rendering, WSL's template rules, constants.json.
      lib = import ./nix/lib.nix { };

      packages = forAllSystems (
        pkgs:
        let
          wslconst = wslconstFor pkgs { };
          # `wslconst render`: constants.json, validate.py and the PowerShell
          # scripts, from the build against the pinned trees.
          rendered = pkgs.runCommand "wsl-terminal-constants" { } ''
            ${lib.getExe wslconst} render $out
          '';
        in
        {
          # Built against the pinned upstream trees: drift from the pin file fails this build.
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

      nixosModules.default = import ./nix/nixos-module.nix { inherit self; };
      homeManagerModules.default = import ./nix/home-manager-module.nix { inherit self; };
      # The name newer home-manager looks for.
      homeModules.default = self.homeManagerModules.default;

      checks = forAllSystems (
        pkgs:
        let
          wslconst = self.packages.${pkgs.system}.wslconst;
          exe = lib.getExe wslconst;
          # A NixOS system with the module and every kind of option, for the
          # module check below.
          moduleSystem = nixpkgs.lib.nixosSystem {
            inherit (pkgs) system;
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
          # The crate built and tested against the real pinned sources.
          inherit wslconst;

          # The committed pin file is exactly what the pinned trees say.
          pin-file-current = pkgs.runCommand "wslconst-pin-file-current" { } ''
            cp ${./wslconst/upstream-pin.json} pin.json
            chmod +w pin.json
            ${exe} pin \
              --wsl-src ${wsl-src} --wsl-rev ${wsl-src.rev} \
              --terminal-src ${terminal-src} --terminal-rev ${terminal-src.rev} \
              --pin-file pin.json --check
            touch $out
          '';

          # rendered/ (the copies for users who do not build) equals a fresh
          # render against the pinned trees.
          reference-copies = pkgs.runCommand "wslconst-reference-copies" { } ''
            ${exe} render ${./rendered} --check
            touch $out
          '';

          fmt = pkgs.runCommand "wslconst-fmt" { nativeBuildInputs = [ pkgs.cargo pkgs.rustfmt ]; } ''
            cd ${lib.cleanSource ./.}
            cargo fmt --all --check
            touch $out
          '';

          clippy = wslconstFor pkgs {
            pname = "wslconst-clippy";
            nativeBuildInputs = [ pkgs.clippy ];
            buildPhase = ''
              runHook preBuild
              cargo clippy --workspace --all-targets --offline -- -D warnings
              runHook postBuild
            '';
            doCheck = false;
            installPhase = "touch $out";
          };

        }
        // lib.optionalAttrs pkgs.stdenv.isLinux {
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
