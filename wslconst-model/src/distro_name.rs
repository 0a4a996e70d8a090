//! WSL's rule for distro names, in one place: `s_ValidateDistroName` in
//! `LxssUserSession.cpp` matches `^[a-zA-Z0-9._-]{1,256}$` (256 is
//! `LX_INIT_DISTRO_NAME_MAX`) and refuses `Legacy` in any case
//! (`LXSS_LEGACY_INSTALL_NAME`). WSL applies it to `wsl --import NAME` and to
//! an image's `oobe.defaultName`; a name it refuses makes the install fail,
//! so no fragment is ever written under it. The import script uses the same
//! rule ([`DOTNET_PATTERN`]), the conf check, check-image and `wslconst
//! fragment` call [`check`].
//!
//! ```
//! use wslconst_model::distro_name;
//! assert!(distro_name::check("NixOS-25.05_dev").is_ok());
//! assert_eq!(
//!     distro_name::check("invalid!").unwrap_err().to_string(),
//!     "Invalid distribution name: \"invalid!\". (WSL's own message: a name is 1 to 256 letters, digits, '.', '_' or '-', and not \"Legacy\")"
//! );
//! ```

use std::fmt;

/// The longest name WSL takes (`LX_INIT_DISTRO_NAME_MAX`).
pub const MAX_LEN: usize = 256;

/// The one name WSL reserves, compared ignoring case (`LXSS_LEGACY_INSTALL_NAME`).
pub const LEGACY: &str = "Legacy";

/// The rule as a .NET regular expression, for the PowerShell scripts: `\z`
/// where WSL's `std::regex` has `$`, because .NET's `$` also matches before a
/// final newline (`"NixOS\n"` would pass).
pub const DOTNET_PATTERN: &str = r"^[a-zA-Z0-9._-]{1,256}\z";

/// A name WSL refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidName {
    /// The name as given.
    pub name: String,
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // MessageInvalidInstallDistributionName, en-US.
        write!(
            f,
            "Invalid distribution name: \"{}\". (WSL's own message: a name is 1 to {MAX_LEN} letters, digits, '.', '_' or '-', and not \"{LEGACY}\")",
            self.name
        )
    }
}

impl std::error::Error for InvalidName {}

/// Whether WSL takes `name`.
/// Twin: the import script's `$DistroNamePattern` check
/// (templates/Import-NixOSWSL.ps1), rendered from [`DOTNET_PATTERN`].
pub fn check(name: &str) -> Result<(), InvalidName> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if (1..=MAX_LEN).contains(&name.len())
        && name.chars().all(allowed)
        && !name.eq_ignore_ascii_case(LEGACY)
    {
        Ok(())
    } else {
        Err(InvalidName {
            name: name.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wsls_rule() {
        for ok in ["a", "NixOS", "Ubuntu-24.04", "x_y.z-1", &"n".repeat(256)] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "invalid!",
            "with space",
            "NixOS\n",
            "Ünï",
            "legacy",
            "LEGACY",
            &"n".repeat(257),
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_dotnet_pattern_says_the_same() {
        assert!(DOTNET_PATTERN.contains(&format!("{{1,{MAX_LEN}}}")));
        assert!(DOTNET_PATTERN.ends_with(r"\z"));
    }
}
