# The wsl.terminal settings the flake's nixos-module check and
# tests/nix/modules.nix evaluate; both compare the result with
# `wslconst distribution-conf render` and `wslconst template render` of the
# same options (oobe.defaultUid 1000; Cascadia Code 11, One Half Dark).
{
  wsl.terminal = {
    enable = true;
    distributionConf.oobe.defaultUid = 1000;
    profileTemplate.settings = {
      fontFace = "Cascadia Code";
      fontSize = 11;
      colorScheme = "One Half Dark";
    };
  };
}
