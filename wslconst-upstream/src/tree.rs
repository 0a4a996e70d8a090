//! The two upstream repositories wslconst reads, and the names that go with each.

/// Which upstream repository a constant comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tree {
    /// `microsoft/WSL`.
    Wsl,
    /// `microsoft/terminal`.
    Terminal,
}

impl Tree {
    /// Both trees, WSL first.
    pub const ALL: [Tree; 2] = [Tree::Wsl, Tree::Terminal];

    /// The GitHub `owner/name`.
    pub const fn repo(self) -> &'static str {
        match self {
            Tree::Wsl => "microsoft/WSL",
            Tree::Terminal => "microsoft/terminal",
        }
    }

    /// How people call it in messages.
    pub const fn label(self) -> &'static str {
        match self {
            Tree::Wsl => "WSL",
            Tree::Terminal => "Terminal",
        }
    }

    /// The keyword in `upstream!` and the variant name in `wslconst::upstream::Tree`.
    pub const fn keyword(self) -> &'static str {
        match self {
            Tree::Wsl => "wsl",
            Tree::Terminal => "terminal",
        }
    }

    /// The environment variable a user sets to build against a source tree.
    pub const fn src_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_WSL_SRC",
            Tree::Terminal => "WSLCONST_TERMINAL_SRC",
        }
    }

    /// The environment variable with the tree's revision.
    pub const fn rev_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_WSL_REV",
            Tree::Terminal => "WSLCONST_TERMINAL_REV",
        }
    }

    /// What build.rs hands to the macros once it has checked the user's variable.
    pub const fn resolved_src_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_RESOLVED_WSL_SRC",
            Tree::Terminal => "WSLCONST_RESOLVED_TERMINAL_SRC",
        }
    }

    /// The resolved revision build.rs hands to the macros.
    pub const fn resolved_rev_env(self) -> &'static str {
        match self {
            Tree::Wsl => "WSLCONST_RESOLVED_WSL_REV",
            Tree::Terminal => "WSLCONST_RESOLVED_TERMINAL_REV",
        }
    }
}
