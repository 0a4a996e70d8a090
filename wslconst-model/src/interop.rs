//! Asking Windows, from inside WSL: where `%LOCALAPPDATA%` is, what WSL's
//! registry key holds, whether Windows Terminal runs.
//!
//! Through WSL's interop, which runs Windows executables from Linux when
//! `/proc/sys/fs/binfmt_misc/WSLInterop` (or `WSLInterop-late`) is
//! registered, and is off with `[interop] enabled = false` in `/etc/wsl.conf`.
//! Executables are called by absolute path under the Windows drive's mount:
//! PATH may not hold the Windows folders (`appendWindowsPath = false`).
//! `WSLCONST_WINDOWS_ROOT` names that mount when `/proc/mounts` cannot (and
//! lets tests stand in for Windows); `WSLCONST_WSLPATH` names `wslpath`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Windows, reached through interop.
#[derive(Clone, Debug)]
pub struct Interop {
    /// Where `C:` is mounted (`/mnt/c`).
    pub windows_root: PathBuf,
    /// `wslpath`, which turns Windows paths into Linux ones.
    pub wslpath: PathBuf,
}

/// Why Windows cannot be asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteropError(pub String);

impl fmt::Display for InteropError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `HKCU\...\Lxss`, in reg.exe's spelling.
pub const LXSS_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss";

impl Interop {
    /// Interop as this process can use it, or why not.
    pub fn detect() -> Result<Interop, InteropError> {
        let wslpath = std::env::var_os("WSLCONST_WSLPATH")
            .map(PathBuf::from)
            .or_else(|| {
                ["/usr/bin/wslpath", "/bin/wslpath"]
                    .into_iter()
                    .map(PathBuf::from)
                    .find(|p| p.exists())
            });
        if let Some(root) = std::env::var_os("WSLCONST_WINDOWS_ROOT") {
            return Ok(Interop {
                windows_root: PathBuf::from(root),
                wslpath: wslpath.unwrap_or_else(|| PathBuf::from("/usr/bin/wslpath")),
            });
        }
        let binfmt = Path::new("/proc/sys/fs/binfmt_misc");
        let registered = ["WSLInterop", "WSLInterop-late"]
            .iter()
            .any(|name| binfmt.join(name).exists());
        if !registered {
            let inside_wsl = std::env::var_os("WSL_DISTRO_NAME").is_some()
                || std::fs::read_to_string("/proc/sys/kernel/osrelease")
                    .is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft"));
            return Err(InteropError(if inside_wsl {
                "WSL's interop is disabled here ([interop] enabled = false in /etc/wsl.conf, or binfmt_misc has no WSLInterop)".into()
            } else {
                "this is not WSL, so Windows cannot be asked".into()
            }));
        }
        let Some(wslpath) = wslpath else {
            return Err(InteropError(
                "wslpath is missing (WSL's init provides it as /bin/wslpath)".into(),
            ));
        };
        let windows_root = windows_drive_mount().ok_or_else(|| {
            InteropError(
                "no mount of the Windows drive C: in /proc/mounts; set WSLCONST_WINDOWS_ROOT to where it is mounted".into(),
            )
        })?;
        Ok(Interop {
            windows_root,
            wslpath,
        })
    }

    /// A program of `C:\Windows\System32`, by its Linux path.
    pub fn system32(&self, exe: &str) -> PathBuf {
        self.windows_root.join("Windows").join("System32").join(exe)
    }

    /// Runs a Windows program from the Windows drive (so `cmd.exe` does not
    /// warn about a UNC working directory); its stdout, or why it failed.
    fn run(&self, exe: &str, args: &[&str]) -> Result<String, InteropError> {
        let program = self.system32(exe);
        if !program.exists() {
            return Err(InteropError(format!(
                "{} does not exist",
                program.display()
            )));
        }
        let out = Command::new(&program)
            .args(args)
            .current_dir(&self.windows_root)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| InteropError(format!("{}: {e}", program.display())))?;
        if !out.status.success() {
            return Err(InteropError(format!(
                "{} {} failed: {}",
                program.display(),
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// A Windows path as a Linux one.
    pub fn to_linux(&self, windows: &str) -> Result<PathBuf, InteropError> {
        let out = Command::new(&self.wslpath)
            .args(["-u", windows])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| InteropError(format!("{}: {e}", self.wslpath.display())))?;
        let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !out.status.success() || path.is_empty() {
            return Err(InteropError(format!(
                "wslpath cannot translate {windows:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(PathBuf::from(path))
    }

    /// `%LOCALAPPDATA%` as a Windows path (`C:\Users\me\AppData\Local`).
    pub fn local_app_data_windows(&self) -> Result<String, InteropError> {
        let out = self.run("cmd.exe", &["/d", "/c", "echo", "%LOCALAPPDATA%"])?;
        let value = out.trim().to_owned();
        if value.is_empty() || value.contains('%') {
            return Err(InteropError(format!(
                "cmd.exe did not expand %LOCALAPPDATA% (it printed {value:?})"
            )));
        }
        Ok(value)
    }

    /// `%LOCALAPPDATA%` as a Linux path.
    pub fn local_app_data(&self) -> Result<PathBuf, InteropError> {
        self.to_linux(&self.local_app_data_windows()?)
    }

    /// A `reg export` of WSL's `Lxss` key: UTF-16LE bytes, as the file
    /// `--registry` takes. reg.exe writes it into `%LOCALAPPDATA%\Temp`,
    /// where it is read and deleted.
    pub fn export_lxss(&self) -> Result<Vec<u8>, InteropError> {
        let local = self.local_app_data_windows()?;
        let name = format!("wslconst-lxss-{}.reg", std::process::id());
        let windows = format!(r"{local}\Temp\{name}");
        self.run("reg.exe", &["export", LXSS_KEY, &windows, "/y"])?;
        let linux = self.to_linux(&windows)?;
        let bytes =
            std::fs::read(&linux).map_err(|e| InteropError(format!("{}: {e}", linux.display())));
        let _ = std::fs::remove_file(&linux);
        bytes
    }

    /// Whether Windows Terminal runs (`tasklist.exe`).
    pub fn terminal_running(&self) -> Result<bool, InteropError> {
        let out = self.run(
            "tasklist.exe",
            &["/FI", "IMAGENAME eq WindowsTerminal.exe", "/NH"],
        )?;
        Ok(out.to_ascii_lowercase().contains("windowsterminal.exe"))
    }
}

/// The mount point of the Windows drive C: (`/mnt/c` by default; drvfs and
/// 9p mounts name the drive as their source).
fn windows_drive_mount() -> Option<PathBuf> {
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let found = mounts.lines().find_map(|line| {
        let mut fields = line.split(' ');
        let source = fields.next()?;
        let target = fields.next()?;
        let fstype = fields.next()?;
        let drive_c = source.len() >= 2 && source[..2].eq_ignore_ascii_case("c:");
        (drive_c && matches!(fstype, "9p" | "drvfs" | "virtiofs"))
            .then(|| PathBuf::from(target.replace("\\040", " ")))
    });
    found.or_else(|| {
        let default = PathBuf::from("/mnt/c");
        default.join("Windows").is_dir().then_some(default)
    })
}
