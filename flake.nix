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
      packages = forAllSystems (pkgs: rec {
        # Built against the pinned upstream trees: drift from the pin file fails this build.
        wslconst = wslconstFor pkgs { };
        default = wslconst;
      });

      checks = forAllSystems (
        pkgs:
        let
          wslconst = self.packages.${pkgs.system}.wslconst;
        in
        {
          # The crate built and tested against the real pinned sources.
          inherit wslconst;

          # The committed pin file is exactly what the pinned trees say.
          pin-file-current = pkgs.runCommand "wslconst-pin-file-current" { } ''
            cp ${./wslconst/upstream-pin.json} pin.json
            chmod +w pin.json
            ${lib.getExe wslconst} pin \
              --wsl-src ${wsl-src} --wsl-rev ${wsl-src.rev} \
              --terminal-src ${terminal-src} --terminal-rev ${terminal-src.rev} \
              --pin-file pin.json --check
            touch $out
          '';

          fmt = pkgs.runCommand "wslconst-fmt" { nativeBuildInputs = [ pkgs.cargo pkgs.rustfmt ]; } ''
            cd ${lib.cleanSource ./.}
            cargo fmt --all --check
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
