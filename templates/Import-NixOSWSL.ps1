<#
.SYNOPSIS
Imports a NixOS (or any) WSL image as WSL 2 and cleans up the Windows
Terminal profiles a reimport leaves behind.

.DESCRIPTION
Start it with (Windows blocks unsigned scripts by default):

  powershell.exe -ExecutionPolicy Bypass -File .\Import-NixOSWSL.ps1 .\nixos.wsl

or once: Set-ExecutionPolicy -Scope CurrentUser RemoteSigned, then
Unblock-File .\Import-NixOSWSL.ps1. Compare the script with the SHA256SUMS
published beside it first: (Get-FileHash .\Import-NixOSWSL.ps1).Hash

What it does, in this order:

 1. Self-check. It recomputes GUIDs and settings.json edits that wslconst
    computed when it rendered this script, and stops if this PowerShell
    disagrees. The base64 blocks in the script are that self-test data only:
    hand-written settings.json texts before and after an edit; nothing in
    them is run.
 2. Checks, before anything changes: not elevated (-AllowElevated), WSL
    {{ ctx.min_wsl_version }} or later (wsl.exe --version), a valid -Name, a readable image,
    a free -InstallLocation, not run from inside the distro being replaced,
    -BackupDirectory outside it (an image inside it is copied to %TEMP%
    first), and whether
    Windows Terminal is running (it rewrites settings.json itself when it
    finds the new profile, and may undo an edit made while it runs).
 3. Reimport (-Force). The existing distro is exported to -BackupDirectory
    (unless -SkipDistroBackup) and unregistered; WSL deletes its disk and its
    Terminal fragment. Should anything fail from here on, or a step be
    declined under -Confirm, the script prints the wsl.exe --import command
    that restores the old distro.
 4. Import: wsl.exe --import NAME LOCATION IMAGE --version 2, then a start of
    the distro to prove it runs. WSL writes the Terminal fragment itself
    during the import (from the image's /etc/wsl-distribution.conf); this
    script never writes one. A distro that was the default distro is made
    the default again.
 5. settings.json of every installed Terminal: profiles with the old
    distro's profile GUID are removed, a defaultProfile that named it moves
    to the new profile, and -SetDefault makes the new profile the default,
    but only when that profile exists (WSL wrote its fragment). Every file
    is backed up first (FILE.TIMESTAMP.bak, UTC); comments and unrelated
    entries are never touched, and where an edit cannot be made safely the
    file is left alone and you are told what to change.

-WhatIf shows every change without making it; -Confirm asks before each.
Runs on Windows PowerShell 5.1 and PowerShell 7.

.PARAMETER Path
The image: a .wsl file or a .tar, .tar.gz or .tar.xz root filesystem.

.PARAMETER Name
The distro name (letters, digits, '.', '_' and '-', at most 256; WSL's rule).

.PARAMETER InstallLocation
The folder for the distro's virtual disk. Default: %LOCALAPPDATA%\wsl\NAME.
It must not hold another distro's disk.

.PARAMETER SetDefault
Make the distro's profile the default profile of Windows Terminal.

.PARAMETER Force
Replace a distro of the same name. Without it an existing distro is an error.

.PARAMETER SkipDistroBackup
With -Force: do not export the distro being replaced first. Its files are
then gone for good.

.PARAMETER BackupDirectory
Where the export of a replaced distro goes. Default:
%LOCALAPPDATA%\wslconst\backups.

.PARAMETER PortableTerminal
Folders of portable Windows Terminal installs (the folder holding
WindowsTerminal.exe and its {{ ctx.portable_marker|comment|safe }} file) whose settings are
updated too. Installed Terminals are found without it.

.PARAMETER AllowElevated
Run from an elevated (administrator) PowerShell anyway. Without it the
script refuses: elevated with another account, the distro and the Terminal
settings would go to that account; elevated with your own, the files it
writes would be owned by Administrators, which breaks Terminal.

.EXAMPLE
.\Import-NixOSWSL.ps1 .\nixos.wsl

Imports nixos.wsl as NixOS into %LOCALAPPDATA%\wsl\NixOS.

.EXAMPLE
.\Import-NixOSWSL.ps1 .\nixos.wsl -Name NixOS-dev -Force -SetDefault

Replaces NixOS-dev (exported to a backup first) and makes it Terminal's default profile.

.EXAMPLE
.\Import-NixOSWSL.ps1 .\nixos.wsl -Force -WhatIf

Shows what a reimport would change, changing nothing.

.NOTES
Rendered by {{ ctx.generator|comment|safe }} from templates/Import-NixOSWSL.ps1; do not edit, re-render.
Constants read from microsoft/WSL@{{ ctx.c.wsl_source_rev|comment|safe }} and microsoft/terminal@{{ ctx.c.terminal_source_rev|comment|safe }}.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [string]$Path,

    [Parameter(Position = 1)]
    [string]$Name = '{{ ctx.default_distro_name }}',

    [string]$InstallLocation,

    [switch]$SetDefault,

    [switch]$Force,

    [switch]$SkipDistroBackup,

    [string]$BackupDirectory,

    [string[]]$PortableTerminal = @(),

    [switch]$AllowElevated
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

{% include "powershell/guid.ps1" %}

{% include "powershell/registry.ps1" %}

{% include "powershell/jsonc.ps1" %}

# ---------------------------------------------------------------------------
# Windows-side places and wsl.exe
# ---------------------------------------------------------------------------

$script:DistroNamePattern = '{{ ctx.distro_name_pattern }}'
$script:LegacyDistroName = '{{ ctx.legacy_distro_name }}'
$script:MinimumWslVersion = [version]'{{ ctx.min_wsl_version }}'
$script:VmModeFlag = {{ ctx.vm_mode_flag }}
$script:PortableMarker = '{{ ctx.portable_marker }}'
$script:PortableSettingsDir = '{{ ctx.portable_settings_dir }}'
$script:TerminalInstalls = @(
{%- for install in ctx.terminal_installs %}
    @{ Channel = '{{ install.channel }}'; Folder = '{{ install.settings_dir.base.special_folder() }}'; Relative = '{{ install.settings_dir.relative }}' }
{%- endfor %}
)
# UTC and the invariant calendar: the local culture's calendar (Thai Buddhist,
# Hijri...) would otherwise number the year.
$script:RunStamp = [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss', [System.Globalization.CultureInfo]::InvariantCulture)
$script:LocalAppData = [Environment]::GetFolderPath('LocalApplicationData')

function ConvertTo-CommandLineArgument {
    # One argument quoted so CommandLineToArgvW (which wsl.exe parses its
    # command line with) reads it back unchanged.
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Argument)
    if ($Argument.Length -gt 0 -and $Argument -notmatch '[\s"]') {
        return $Argument
    }
    $builder = [System.Text.StringBuilder]::new()
    [void]$builder.Append([char]34)
    $backslashes = 0
    foreach ($ch in $Argument.ToCharArray()) {
        if ([int]$ch -eq 92) {
            $backslashes++
            continue
        }
        if ([int]$ch -eq 34) {
            [void]$builder.Append([char]92, 2 * $backslashes + 1)
        }
        elseif ($backslashes -gt 0) {
            [void]$builder.Append([char]92, $backslashes)
        }
        [void]$builder.Append($ch)
        $backslashes = 0
    }
    if ($backslashes -gt 0) {
        [void]$builder.Append([char]92, 2 * $backslashes)
    }
    [void]$builder.Append([char]34)
    return $builder.ToString()
}

function Get-WslExecutable {
    $path = Join-Path ([Environment]::SystemDirectory) 'wsl.exe'
    $native = Join-Path $env:windir 'Sysnative\wsl.exe'
    if (-not (Test-Path -LiteralPath $path) -and (Test-Path -LiteralPath $native)) {
        # 32-bit PowerShell sees SysWOW64 as System32.
        $path = $native
    }
    if (-not (Test-Path -LiteralPath $path)) {
        throw ('wsl.exe was not found at ' + $path + '; install WSL first: wsl.exe --install --no-distribution (from an elevated prompt), or from https://aka.ms/wslinstall')
    }
    return $path
}

function Invoke-Wsl {
    # Runs wsl.exe with exactly these arguments and returns its ExitCode,
    # Errors (stderr: its warnings and errors), and Message (all it printed).
    # A Process rather than the call operator:
    # PowerShell 5.1 and 7.3+ pass native arguments differently. With
    # -Activity, a progress bar shows the time taken so far.
    param(
        [Parameter(Mandatory = $true)][string[]]$ArgumentList,
        [string]$Activity
    )
    $info = [System.Diagnostics.ProcessStartInfo]::new()
    $info.FileName = Get-WslExecutable
    $info.Arguments = (@($ArgumentList | ForEach-Object { ConvertTo-CommandLineArgument -Argument $_ })) -join ' '
    $info.UseShellExecute = $false
    # wsl.exe asks "press any key" only when its stdin is an interactive
    # console (PromptForKeyPress in WslClient.cpp); a closed pipe means no
    # prompt can wait unseen.
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.StandardOutputEncoding = [System.Text.Encoding]::UTF8
    $info.StandardErrorEncoding = [System.Text.Encoding]::UTF8
    $info.CreateNoWindow = $true
    # wsl.exe writes its own messages in UTF-16 unless WSL_UTF8 is set.
    $info.EnvironmentVariables['WSL_UTF8'] = '1'
    $process = [System.Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    $outputTask = $process.StandardOutput.ReadToEndAsync()
    $errorTask = $process.StandardError.ReadToEndAsync()
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    while (-not $process.WaitForExit(1000)) {
        if ($Activity) {
            Write-Progress -Activity $Activity -Status ('{0:N0} s so far' -f $clock.Elapsed.TotalSeconds)
        }
    }
    # The parameterless wait also waits for the output to be read to the end.
    $process.WaitForExit()
    if ($Activity) {
        Write-Progress -Activity $Activity -Completed
    }
    $errors = $errorTask.Result.Trim()
    $message = ($errors + [Environment]::NewLine + $outputTask.Result).Trim()
    return [pscustomobject]@{ ExitCode = $process.ExitCode; Errors = $errors; Message = $message }
}

function Get-WslVersion {
    # The Store WSL's version from wsl.exe --version, or $null for the inbox
    # wsl.exe, which has no --version (it prints its usage and fails). The
    # first line is "WSL version: 2.4.4.0" in the user's language, so the
    # first dotted number is taken, not the label.
    $result = Invoke-Wsl -ArgumentList @('--version')
    if ($result.ExitCode -ne 0) {
        return $null
    }
    $match = [regex]::Match($result.Message, '\d+\.\d+\.\d+(\.\d+)?')
    if (-not $match.Success) {
        return $null
    }
    return [version]$match.Value
}

function Test-Elevated {
    $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = [System.Security.Principal.WindowsPrincipal]::new($identity)
    return $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
}

function ConvertTo-ComparablePath {
    # A Windows path as WSL's registry or PowerShell may write it (\\?\C:\x\,
    # C:\x, \\?\UNC\server\share), reduced to one spelling for comparison.
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Path)
    $p = $Path
    if ($p.StartsWith('\\?\UNC\', [StringComparison]::OrdinalIgnoreCase)) {
        $p = '\\' + $p.Substring(8)
    }
    elseif ($p.StartsWith('\\?\')) {
        $p = $p.Substring(4)
    }
    return $p.TrimEnd('\')
}

function Test-SamePath {
    param([AllowEmptyString()][string]$Left, [AllowEmptyString()][string]$Right)
    return [string]::Equals((ConvertTo-ComparablePath -Path $Left), (ConvertTo-ComparablePath -Path $Right), [StringComparison]::OrdinalIgnoreCase)
}

function Test-InsideDistro {
    # Whether $Path is a file of distro $Distro seen from Windows
    # (\\wsl.localhost\NAME\..., \\wsl$\NAME\...). Unregistering the distro
    # deletes it.
    param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][string]$Distro)
    $p = ConvertTo-ComparablePath -Path $Path
    foreach ($server in @('\\wsl.localhost\', '\\wsl$\')) {
        $root = $server + $Distro
        if ([string]::Equals($p, $root, [StringComparison]::OrdinalIgnoreCase) -or $p.StartsWith($root + '\', [StringComparison]::OrdinalIgnoreCase)) {
            return $true
        }
    }
    return $false
}

function Assert-ImageReadable {
    # Opens the image and reads its first byte, so a locked, empty or
    # unreadable file stops the script before anything changes.
    param([Parameter(Mandatory = $true)][string]$Image)
    try {
        $stream = [System.IO.File]::OpenRead($Image)
        try {
            $first = $stream.ReadByte()
        }
        finally {
            $stream.Dispose()
        }
    }
    catch {
        throw ('-Path: ' + $Image + ' cannot be read (' + $_.Exception.Message + '); nothing was changed')
    }
    if ($first -lt 0) {
        throw ('-Path: ' + $Image + ' is empty; nothing was changed. Give the .wsl image or rootfs tarball to import')
    }
}

function Assert-InstallLocationFree {
    # WSL puts the disk at LOCATION\ext4.vhdx and refuses a folder another
    # distro is registered at, but only inside --import, after the old distro
    # is gone; so both are checked here first. $Replaced's folder is freed by
    # its unregister.
    param([Parameter(Mandatory = $true)][string]$Location, [AllowNull()]$Replaced)
    foreach ($registration in @(Get-WslRegistrations)) {
        if ($null -ne $Replaced -and $registration.DistributionId -ceq $Replaced.DistributionId) {
            continue
        }
        if (Test-SamePath $registration.BasePath $Location) {
            throw ('-InstallLocation: ' + $Location + ' is the folder of the distro ' + $registration.Name + '; nothing was changed. Choose another -InstallLocation')
        }
    }
    $replacedHere = $null -ne $Replaced -and (Test-SamePath $Replaced.BasePath $Location)
    if (-not $replacedHere -and (Test-Path -LiteralPath (Join-Path $Location 'ext4.vhdx'))) {
        throw ('-InstallLocation: ' + $Location + ' already holds an ext4.vhdx (a distro''s disk that WSL no longer lists?); nothing was changed. Choose another -InstallLocation, or move that disk away')
    }
}

function Get-RunningTerminals {
    # Windows Terminal processes of any channel (each runs WindowsTerminal.exe).
    return @(Get-Process -Name 'WindowsTerminal' -ErrorAction SilentlyContinue)
}

function Get-TerminalSettingsFiles {
    # settings.json of every Windows Terminal installed for this user, and of
    # the portable installs in $Portable.
    param([AllowEmptyCollection()][string[]]$Portable = @())
    foreach ($install in $script:TerminalInstalls) {
        $folder = Join-Path ([Environment]::GetFolderPath($install.Folder)) $install.Relative
        $settings = Join-Path $folder 'settings.json'
        if (Test-Path -LiteralPath $settings -PathType Leaf) {
            [pscustomobject]@{ Channel = $install.Channel; Settings = $settings }
        }
    }
    foreach ($portable in $Portable) {
        if (-not (Test-Path -LiteralPath (Join-Path $portable $script:PortableMarker) -PathType Leaf)) {
            Write-Warning ($portable + ' has no ' + $script:PortableMarker + ' file, so Terminal does not run it as a portable install; its settings are left alone')
            continue
        }
        $settings = Join-Path (Join-Path $portable $script:PortableSettingsDir) 'settings.json'
        if (Test-Path -LiteralPath $settings -PathType Leaf) {
            [pscustomobject]@{ Channel = 'portable'; Settings = $settings }
        }
    }
}

function Read-Utf8File {
    # Bytes, whether they start with a BOM, and the text after it; $null when
    # the bytes are not UTF-8 (such a file is never edited).
    param([Parameter(Mandatory = $true)][string]$Path)
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $bom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
    $start = 0
    if ($bom) {
        $start = 3
    }
    try {
        $text = [System.Text.UTF8Encoding]::new($false, $true).GetString($bytes, $start, $bytes.Length - $start)
    }
    catch {
        return $null
    }
    return [pscustomobject]@{ Bytes = $bytes; Bom = $bom; Text = $text }
}

function New-BackupPath {
    # PATH.TIMESTAMP.bak, or PATH.TIMESTAMP-N.bak: never over an older backup.
    param([Parameter(Mandatory = $true)][string]$Path)
    $backup = $Path + '.' + $script:RunStamp + '.bak'
    $n = 1
    while (Test-Path -LiteralPath $backup) {
        $n++
        $backup = $Path + '.' + $script:RunStamp + '-' + $n + '.bak'
    }
    return $backup
}

function Save-FileWithBackup {
    # Saves $Original beside $Path as PATH.TIMESTAMP.bak, then writes $Bytes
    # into the file in place, after checking that nobody saved it since it
    # was read ($Original). In place keeps what a rename would break: a
    # symlink or hard link (dotfile managers make settings.json one), and
    # the file's owner and ACL. Returns the backup's path, or $null when the
    # file changed meanwhile.
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][byte[]]$Original,
        [Parameter(Mandatory = $true)][byte[]]$Bytes
    )
    $now = [System.IO.File]::ReadAllBytes($Path)
    if ([Convert]::ToBase64String($now) -cne [Convert]::ToBase64String($Original)) {
        return $null
    }
    $backup = New-BackupPath -Path $Path
    [System.IO.File]::WriteAllBytes($backup, $Original)
    [System.IO.File]::WriteAllBytes($Path, $Bytes)
    return $backup
}

function Update-TerminalSettingsFile {
    # Applies Edit-TerminalSettingsText to one settings.json, checks the
    # result (it parses, every comment is still there), backs the file up
    # and writes it. Anything it will not do is a warning saying what to
    # change by hand.
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [AllowEmptyCollection()][string[]]$StaleGuids = @(),
        [AllowNull()][string]$DefaultGuid,
        [AllowNull()][string]$ReplacementGuid,
        [Parameter(Mandatory = $true)][string]$ByHand
    )
    $file = Read-Utf8File -Path $Path
    if ($null -eq $file) {
        Write-Warning ($Path + ' is not UTF-8 text and was left unchanged. By hand: ' + $ByHand)
        return
    }
    $edit = Edit-TerminalSettingsText -Text $file.Text -StaleGuids $StaleGuids -DefaultGuid $DefaultGuid -ReplacementGuid $ReplacementGuid
    foreach ($instruction in $edit.Manual) {
        Write-Warning ($Path + ' needs a change this script will not make: ' + $instruction)
    }
    if ($edit.Changes.Count -eq 0) {
        return
    }
    $changes = $edit.Changes -join '; '
    if ($script:SettingsEditFailures.Count -gt 0) {
        Write-Warning ($Path + ' was left unchanged (see the self-check warning). By hand: ' + $changes)
        return
    }
    try {
        $before = [JsoncDocument]::new($file.Text)
        $after = [JsoncDocument]::new($edit.Text)
    }
    catch {
        Write-Warning ($Path + ' was left unchanged: the edited text would not parse (' + $_.Exception.Message + '). By hand: ' + $changes)
        return
    }
    $separator = [string][char]0
    if (-not [string]::Equals(($before.CommentTexts() -join $separator), ($after.CommentTexts() -join $separator), [StringComparison]::Ordinal)) {
        Write-Warning ($Path + ' was left unchanged: the edit would have changed a comment. By hand: ' + $changes)
        return
    }
    if ((Get-Item -LiteralPath $Path -Force).IsReadOnly) {
        Write-Warning ($Path + ' is read-only and was left unchanged. Clear its read-only attribute and rerun, or by hand: ' + $changes)
        return
    }
    if (-not $PSCmdlet.ShouldProcess($Path, $changes)) {
        return
    }
    $prefix = New-Object 'byte[]' 0
    if ($file.Bom) {
        $prefix = [byte[]]@(0xEF, 0xBB, 0xBF)
    }
    $body = [System.Text.UTF8Encoding]::new($false).GetBytes($edit.Text)
    $bytes = New-Object 'byte[]' ($prefix.Length + $body.Length)
    [Array]::Copy($prefix, 0, $bytes, 0, $prefix.Length)
    [Array]::Copy($body, 0, $bytes, $prefix.Length, $body.Length)
    $backup = Save-FileWithBackup -Path $Path -Original $file.Bytes -Bytes $bytes
    if ($null -eq $backup) {
        Write-Warning ($Path + ' was saved by another program (Terminal?) while this script ran, and was left unchanged. Rerun the script with Terminal closed, or by hand: ' + $changes)
        return
    }
    foreach ($change in $edit.Changes) {
        Write-Host ('  ' + $Path + ': ' + $change)
    }
    Write-Host ('  backup: ' + $backup)
}

function Get-NewProfileGuid {
    # The GUID of the Terminal profile the new distro really has, or $null:
    # the fragment's Tier 2 profile when WSL wrote the fragment (a Modern
    # distro), Terminal's own generated Tier 1 profile for a distro WSL did
    # not mark Modern (WslDistroGenerator.cpp skips only Modern == 1), and
    # $null for a Modern distro without a fragment (it opted out, or WSL
    # rejected its template and said why during the import).
    param([Parameter(Mandatory = $true)]$Registration)
    $tier2 = Get-WslTier2Guid -DistributionId $Registration.DistributionId
    if ($Registration.Modern -ne 1) {
        return Get-WslTier1Guid -DistroName $Registration.Name
    }
    $fragment = $Registration.TerminalProfilePath
    if ($fragment.Length -eq 0 -or -not (Test-Path -LiteralPath $fragment -PathType Leaf)) {
        return $null
    }
    $text = [System.IO.File]::ReadAllText($fragment)
    if ($text.IndexOf($tier2.Trim('{', '}'), [StringComparison]::OrdinalIgnoreCase) -lt 0) {
        return $null
    }
    return $tier2
}

function Stop-Import {
    # Fails the run with $Message and, once the old distro is gone, the
    # commands that bring it back from its export.
    param([Parameter(Mandatory = $true)][string]$Message)
    if ($null -eq $script:Replaced -or -not $script:Unregistered) {
        throw $Message
    }
    $old = $script:Replaced
    if ($null -eq $script:ExportPath) {
        throw ($Message + ' The old ' + $old.Name + ' was unregistered without a backup (-SkipDistroBackup) and cannot be restored.')
    }
    $version = '1'
    if (($old.Flags -band $script:VmModeFlag) -ne 0) {
        $version = '2'
    }
    $restore = @('wsl.exe', '--import', $old.Name, (ConvertTo-ComparablePath -Path $old.BasePath), $script:ExportPath, '--version', $version) | ForEach-Object { ConvertTo-CommandLineArgument -Argument $_ }
    $hint = ' To restore the old ' + $old.Name + ' from its export: '
    if ($null -ne (Get-WslRegistration -Name $old.Name)) {
        $hint += 'wsl.exe --unregister ' + (ConvertTo-CommandLineArgument -Argument $old.Name) + ', then '
    }
    throw ($Message + $hint + ($restore -join ' '))
}

# ---------------------------------------------------------------------------
# 1. Self-check, before anything changes
# ---------------------------------------------------------------------------

$guidFailures = Test-WslGuidVectors
if ($guidFailures.Count -gt 0) {
    throw ('self-check failed, nothing was changed: ' + ($guidFailures -join '; ') + '. This PowerShell computes profile GUIDs differently from wslconst; please report it with the output of $PSVersionTable.')
}
$script:SettingsEditFailures = Test-WslSettingsEditVectors
if ($script:SettingsEditFailures.Count -gt 0) {
    Write-Warning ('this PowerShell edits settings.json differently from what wslconst expects (' + ($script:SettingsEditFailures -join '; ') + '); settings.json will not be edited, you will be told what to change instead.')
}

# ---------------------------------------------------------------------------
# 2. Every check, before the first change
# ---------------------------------------------------------------------------

if ((Test-Elevated) -and -not $AllowElevated) {
    throw 'this PowerShell runs as administrator; nothing was changed. Run the script from a normal (not elevated) PowerShell: WSL registers distros and Terminal reads its settings per user, so elevated under another account both would go to that account, and under your own the files written would belong to Administrators, which Terminal cannot use. -AllowElevated runs it anyway.'
}
$null = Get-WslExecutable
$wslVersion = Get-WslVersion
if ($null -eq $wslVersion) {
    throw ('this is the WSL built into Windows (wsl.exe --version fails), which cannot import .wsl images or write Terminal profiles; nothing was changed. Run wsl.exe --update (or install WSL from https://aka.ms/wslinstall), then rerun.')
}
if ($wslVersion -lt $script:MinimumWslVersion) {
    throw ('WSL ' + $wslVersion + ' is older than ' + $script:MinimumWslVersion + ', the first to import .wsl images and write their Terminal profile; nothing was changed. Run wsl.exe --update, then rerun.')
}
# Twin of wslconst_model::distro_name::check, rendered from its .NET pattern.
if ($Name -cnotmatch $script:DistroNamePattern -or [string]::Equals($Name, $script:LegacyDistroName, [StringComparison]::OrdinalIgnoreCase)) {
    throw ('-Name: ''' + $Name + ''' is not a name WSL accepts: use 1 to 256 letters, digits, ''.'', ''_'' or ''-'', and not ''' + $script:LegacyDistroName + '''')
}
if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
    throw ('-Path: ' + $Path + ' is not a file; give the .wsl image or rootfs tarball to import')
}
$Path = (Resolve-Path -LiteralPath $Path).ProviderPath
Assert-ImageReadable -Image $Path
if (-not $InstallLocation) {
    $InstallLocation = Join-Path (Join-Path $script:LocalAppData 'wsl') $Name
}
# Relative to PowerShell's location, which is not the process's directory.
$InstallLocation = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($InstallLocation).TrimEnd('\')
if (-not $BackupDirectory) {
    $BackupDirectory = Join-Path $script:LocalAppData 'wslconst\backups'
}
$BackupDirectory = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($BackupDirectory)
# .NET's file calls resolve relative paths against the process's directory,
# which Set-Location does not change on Windows PowerShell 5.1.
$PortableTerminal = @($PortableTerminal | ForEach-Object { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($_) })

$script:Replaced = Get-WslRegistration -Name $Name
$script:Unregistered = $false
$script:ExportPath = $null
$wasDefault = $false
$imageCopy = $null
if ($null -ne $script:Replaced) {
    $old = $script:Replaced
    if (-not $Force) {
        throw ('a distro named ' + $old.Name + ' is already registered (distribution id ' + $old.DistributionId + '); rerun with -Force to replace it (it is exported to ' + $BackupDirectory + ' first), or choose another -Name')
    }
    if (-not $SkipDistroBackup -and (Test-InsideDistro -Path $BackupDirectory -Distro $old.Name)) {
        throw ('-BackupDirectory: ' + $BackupDirectory + ' is inside ' + $old.Name + ', which is unregistered (and its files deleted) after the export; nothing was changed. Choose a Windows folder')
    }
    foreach ($here in @((Get-Location).ProviderPath, [Environment]::CurrentDirectory, $PSCommandPath)) {
        if ($here -and (Test-InsideDistro -Path $here -Distro $old.Name)) {
            throw ('this PowerShell runs inside ' + $old.Name + ' (' + $here + '), which the unregister would end halfway; nothing was changed. Run the script from a Windows folder in a Windows PowerShell window, e.g. copy it and the image to %TEMP% first')
        }
    }
    if (Test-InsideDistro -Path $Path -Distro $old.Name) {
        $imageCopy = Join-Path ([System.IO.Path]::GetTempPath()) ('wslconst-' + $script:RunStamp + '-' + [System.IO.Path]::GetFileName($Path))
    }
    $wasDefault = [string]::Equals((Get-WslDefaultDistributionId), $old.DistributionId, [StringComparison]::OrdinalIgnoreCase)
}
Assert-InstallLocationFree -Location $InstallLocation -Replaced $script:Replaced

$settingsFiles = @(Get-TerminalSettingsFiles -Portable $PortableTerminal)
$terminals = @(Get-RunningTerminals)
if ($settingsFiles.Count -gt 0 -and $terminals.Count -gt 0) {
    $why = 'Windows Terminal is running. It rewrites settings.json itself when it finds the new profile (dropping comments; microsoft/terminal#14610) and may overwrite an edit made while it runs. For the cleanest result, close every Terminal window and run this script from a plain PowerShell window (Win+R, powershell).'
    Write-Warning $why
    if (-not $WhatIfPreference) {
        try {
            $continue = $PSCmdlet.ShouldContinue('Continue while Windows Terminal is running?', 'Windows Terminal')
        }
        catch [System.Management.Automation.PSInvalidOperationException] {
            # A host that cannot ask (-NonInteractive, no console): the warning stands.
            $continue = $true
        }
        if (-not $continue) {
            throw 'stopped before any change: close Windows Terminal and rerun from a plain PowerShell window.'
        }
    }
}

# ---------------------------------------------------------------------------
# 3. Reimport: export and unregister the old distro
# ---------------------------------------------------------------------------

$staleGuids = @()
if ($null -ne $imageCopy) {
    if ($PSCmdlet.ShouldProcess($Path, 'Copy to ' + $imageCopy + ' (the image is inside the distro being replaced)')) {
        # -Confirm:$false: the question was just asked; a second "No" would skip the copy.
        Copy-Item -LiteralPath $Path -Destination $imageCopy -Confirm:$false -WhatIf:$false
        $Path = $imageCopy
    }
    elseif (-not $WhatIfPreference) {
        throw ('the copy of the image out of ' + $script:Replaced.Name + ' was declined; nothing was changed (the unregister would delete the image).')
    }
}
$installParent = Split-Path -Parent $InstallLocation
# wsl.exe --import creates only the last folder of LOCATION (CreateDirectoryW
# in ImportDistribution, WslClient.cpp), and removes it again when the import
# fails; the folders above it must exist.
$installParentMissing = $installParent -and -not (Test-Path -LiteralPath $installParent)
if ($installParentMissing -and $PSCmdlet.ShouldProcess($installParent, 'Create the folder that will hold the install folder')) {
    New-Item -ItemType Directory -Path $installParent -Force -Confirm:$false -WhatIf:$false | Out-Null
}
if ($null -ne $script:Replaced) {
    $old = $script:Replaced
    $oldTier2 = Get-WslTier2Guid -DistributionId $old.DistributionId
    $staleGuids = @($oldTier2)
    if ($old.Modern -ne 1) {
        # Imported before WSL 2.4.4: its profile was Terminal's own (Tier 1),
        # which Terminal stops generating once the new registration is Modern.
        $staleGuids += Get-WslTier1Guid -DistroName $old.Name
    }
    Write-Host ('replacing ' + $old.Name + ': distribution id ' + $old.DistributionId + ', Terminal profile ' + $oldTier2)
    if (-not $SkipDistroBackup) {
        $export = Join-Path $BackupDirectory ($old.Name + '-' + $script:RunStamp + '.tar')
        if ($PSCmdlet.ShouldProcess($old.Name, 'Export to ' + $export)) {
            if (-not (Test-Path -LiteralPath $BackupDirectory)) {
                New-Item -ItemType Directory -Path $BackupDirectory -Force -Confirm:$false -WhatIf:$false | Out-Null
            }
            Write-Host ('  exporting to ' + $export + ' (this can take minutes)')
            $result = Invoke-Wsl -ArgumentList @('--export', $old.Name, $export) -Activity ('Exporting ' + $old.Name + ' to ' + $export)
            if ($result.ExitCode -ne 0) {
                throw ('exporting ' + $old.Name + ' failed, so it was not replaced: ' + $result.Message + '. Free some space or pass -BackupDirectory; -SkipDistroBackup replaces it without a backup.')
            }
            $script:ExportPath = $export
        }
        elseif (-not $WhatIfPreference) {
            throw ('the export of ' + $old.Name + ' was declined, so it was not replaced; nothing was changed. -SkipDistroBackup replaces it without a backup.')
        }
    }
    if ($PSCmdlet.ShouldProcess($old.Name, 'Unregister (wsl.exe --unregister deletes its disk)')) {
        $result = Invoke-Wsl -ArgumentList @('--unregister', $old.Name)
        if ($result.ExitCode -ne 0) {
            throw ('wsl.exe --unregister ' + $old.Name + ' failed, so it was not replaced: ' + $result.Message)
        }
        $script:Unregistered = $true
        # WSL deletes the fragment it recorded (LxssUserSession.cpp, "Remove
        # the terminal profile"), but only logs a failure to do so.
        $oldFragment = $old.TerminalProfilePath
        if ($oldFragment.Length -gt 0 -and (Test-Path -LiteralPath $oldFragment -PathType Leaf) -and $PSCmdlet.ShouldProcess($oldFragment, 'Remove the old Terminal fragment WSL left behind')) {
            try {
                $backup = New-BackupPath -Path $oldFragment
                Copy-Item -LiteralPath $oldFragment -Destination $backup -Confirm:$false -WhatIf:$false
                Remove-Item -LiteralPath $oldFragment -Confirm:$false -WhatIf:$false
                Write-Host ('  removed the old fragment ' + $oldFragment + ' (backup: ' + $backup + ')')
            }
            catch {
                Write-Warning ('the old fragment ' + $oldFragment + ' could not be removed (' + $_.Exception.Message + '); delete it by hand, or Terminal shows a profile that opens nothing.')
            }
        }
    }
    elseif (-not $WhatIfPreference) {
        $kept = ''
        if ($null -ne $script:ExportPath) {
            $kept = ' Its export is kept at ' + $script:ExportPath + '.'
        }
        throw ('the unregister of ' + $old.Name + ' was declined, so it was not replaced.' + $kept)
    }
}

# ---------------------------------------------------------------------------
# 4. Import and prove the distro starts
# ---------------------------------------------------------------------------

if (-not $PSCmdlet.ShouldProcess($Name, 'Import ' + $Path + ' into ' + $InstallLocation + ' as WSL 2')) {
    if (-not $WhatIfPreference) {
        Stop-Import -Message 'the import was declined.'
    }
    $then = 'the new Terminal profile would be looked up'
    if ($staleGuids.Count -gt 0) {
        $then += ', profiles with the old GUID ' + $staleGuids[0] + ' removed from settings.json'
    }
    if ($SetDefault) {
        $then += ', and the new profile made the default'
    }
    if ($wasDefault) {
        $then += '; ' + $Name + ' would be made the default distro again'
    }
    Write-Host ('What if: after the import, ' + $then + '. The GUID depends on the distribution id WSL assigns at import.')
    return
}
# wsl.exe creates the install folder itself and removes it again after a
# failed import (ImportDistribution in WslClient.cpp).
Write-Host ('importing ' + $Path + ' as ' + $Name + ' into ' + $InstallLocation)
$result = Invoke-Wsl -ArgumentList @('--import', $Name, $InstallLocation, $Path, '--version', '2') -Activity ('Importing ' + $Name + ' into ' + $InstallLocation)
if ($result.ExitCode -ne 0) {
    Stop-Import -Message ('wsl.exe --import failed: ' + $result.Message + '.')
}
if ($null -ne $imageCopy -and $PSCmdlet.ShouldProcess($imageCopy, 'Remove the temporary copy of the image')) {
    Remove-Item -LiteralPath $imageCopy -Confirm:$false -WhatIf:$false
}
if ($result.Errors.Length -gt 0) {
    # WSL's own warnings (stderr), e.g. why it wrote no Terminal profile.
    Write-Host $result.Errors
}
$result = Invoke-Wsl -ArgumentList @('--distribution', $Name, '--exec', '/bin/sh', '-c', 'exit 0')
if ($result.ExitCode -ne 0) {
    Stop-Import -Message ($Name + ' was imported but does not start (/bin/sh exited with ' + $result.ExitCode + '): ' + $result.Message + '. wsl.exe -d ' + $Name + ' shows the error.')
}
if ($wasDefault) {
    $result = Invoke-Wsl -ArgumentList @('--set-default', $Name)
    if ($result.ExitCode -ne 0) {
        Write-Warning ($Name + ' was the default distro and could not be made the default again: ' + $result.Message + '. Run: wsl.exe --set-default ' + $Name)
    }
}

# ---------------------------------------------------------------------------
# 5. The new Terminal profile, and settings.json
# ---------------------------------------------------------------------------

$registration = Get-WslRegistration -Name $Name
if ($null -eq $registration) {
    Stop-Import -Message ($Name + ' was imported but is not in the registry under ' + $script:LxssKey + '; wsl.exe --list --verbose shows what WSL knows.')
}
$profileGuid = Get-NewProfileGuid -Registration $registration
if ($registration.Modern -ne 1) {
    # Terminal still generates the Tier 1 profile: it is not stale.
    $staleGuids = @($staleGuids | Where-Object { -not (Test-SameGuid $_ $profileGuid) })
}
if ($registration.Modern -ne 1) {
    Write-Host ('  Terminal generates the profile of ' + $Name + ' itself: ' + $profileGuid)
}
elseif ($null -ne $profileGuid) {
    Write-Host ('  WSL wrote the Terminal profile ' + $profileGuid + ' in ' + $registration.TerminalProfilePath)
}
else {
    Write-Warning ('WSL wrote no Terminal profile for ' + $Name + ': its /etc/wsl-distribution.conf turns it off, or WSL rejected the profile template (it says why above). Start it with wsl.exe -d ' + $Name + '; before shipping an image, wslconst check-image shows what WSL will do with it.')
    if ($SetDefault) {
        Write-Warning '-SetDefault: there is no profile to make the default; Terminal''s default is left as it is.'
    }
}

$defaultGuid = $null
if ($SetDefault -and $null -ne $profileGuid) {
    $defaultGuid = $profileGuid
}
if ($SetDefault -and $settingsFiles.Count -eq 0) {
    Write-Warning 'no Windows Terminal settings.json found for this user; start Windows Terminal once, then rerun with -SetDefault'
}
if ($staleGuids.Count -gt 0 -or $null -ne $defaultGuid) {
    $byHand = @()
    foreach ($guid in $staleGuids) {
        $byHand += 'remove the profile with "guid": "' + $guid + '"'
    }
    if ($null -ne $defaultGuid) {
        $byHand += 'set "defaultProfile": "' + $defaultGuid + '"'
    }
    elseif ($null -ne $profileGuid) {
        $byHand += 'a "defaultProfile" of ' + ($staleGuids -join ' or ') + ' becomes "' + $profileGuid + '"'
    }
    foreach ($terminal in $settingsFiles) {
        try {
            Update-TerminalSettingsFile -Path $terminal.Settings -StaleGuids $staleGuids -DefaultGuid $defaultGuid -ReplacementGuid $profileGuid -ByHand ($byHand -join '; ')
        }
        catch {
            Write-Warning ($terminal.Settings + ' could not be updated (' + $_.Exception.Message + '). By hand: ' + ($byHand -join '; '))
        }
    }
}

Write-Host ('done: start ' + $Name + ' from Windows Terminal''s profile list (or wsl.exe -d ' + $Name + ').')
