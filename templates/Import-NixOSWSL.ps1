<#
.SYNOPSIS
Imports a NixOS (or any) WSL image and leaves exactly one correct Windows
Terminal profile for it.

.DESCRIPTION
Import-NixOSWSL.ps1 imports a .wsl file or a root filesystem tarball with
wsl.exe --import and makes sure Windows Terminal ends up with one working
profile for the distro:

 1. Self-check. Before changing anything it recomputes GUIDs (and fragments)
    that wslconst computed when it rendered this script, and stops if this
    PowerShell disagrees.
 2. Reimport (-Force). When a distro of that name exists, it records its
    distribution id and Tier 2 profile GUID, exports it to a backup tarball
    (unless -SkipDistroBackup), unregisters it, and removes what the old
    registration left behind: Terminal fragments named by or referring to the
    old GUIDs, profiles with the old GUID in settings.json and its entry in
    state.json's generatedProfiles. Every file is backed up first (a
    timestamped .bak beside it); unrelated entries are never touched and
    comments in settings.json are never removed: where an edit cannot be made
    safely the file is left alone and you are told exactly what to remove.
 3. Import. wsl.exe --import, then a start of the distro to prove it runs.
    WSL never runs an image's oobe.command for an import (it passes
    LXSS_IMPORT_DISTRO_FLAGS_NO_OOBE), so the image's default user must
    already exist.
 4. Terminal fragment. The distribution id is read from the registry and the
    Tier 1 (hidden) and Tier 2 (fragment) GUIDs computed. If WSL wrote its
    fragment, it is left as is. If not (WSL versions with the known fragment
    bugs), the script writes the file WSL would have written, byte for byte,
    from the distro's profile template (windowsterminal.profileTemplate in
    /etc/wsl-distribution.conf).
 5. -SetDefault makes the new profile Terminal's default, in every installed
    Terminal's settings.json, by the same careful edit.

-WhatIf shows every change without making it; -Confirm asks before each.
Runs on Windows PowerShell 5.1 and PowerShell 7. If Windows blocks the
downloaded script, run: Unblock-File .\Import-NixOSWSL.ps1 (or start it with
powershell.exe -ExecutionPolicy Bypass -File .\Import-NixOSWSL.ps1 ...).

.PARAMETER Path
The image: a .wsl file or a .tar, .tar.gz or .tar.xz root filesystem.

.PARAMETER Name
The distro name (letters, digits, '.', '_' and '-', at most 256; WSL's rule).

.PARAMETER InstallLocation
The folder for the distro's virtual disk. Default: %LOCALAPPDATA%\wsl\NAME.

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
WindowsTerminal.exe and its {{ ctx.portable_marker }} file) whose settings are
updated too. Installed Terminals are found without it.

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

    [string[]]$PortableTerminal = @()
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

{% include "powershell/guid.ps1" %}

{% include "powershell/registry.ps1" %}

{% include "powershell/json.ps1" %}

{% include "powershell/jsonc.ps1" %}

{% include "powershell/conf.ps1" %}

# ---------------------------------------------------------------------------
# Windows-side places and wsl.exe
# ---------------------------------------------------------------------------

$script:DistroNamePattern = '{{ ctx.distro_name_pattern }}'
$script:LegacyDistroName = '{{ ctx.legacy_distro_name }}'
$script:DistributionConf = '{{ ctx.c.wsl_distribution_conf }}'
$script:ShippedIconName = '{{ ctx.shipped_icon_name }}'
$script:MaxTemplateSize = {{ ctx.max_template_size }}
$script:WslFragmentsRelative = '{{ ctx.wsl_fragments.relative }}'
$script:TerminalInstalls = @(
{%- for install in ctx.terminal_installs %}
    @{ Channel = '{{ install.channel }}'; Folder = '{{ install.settings_dir.base.special_folder() }}'; Relative = '{{ install.settings_dir.relative }}' }
{%- endfor %}
)
$script:RunStamp = (Get-Date).ToString('yyyyMMdd-HHmmss')
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
    # Runs wsl.exe with exactly these arguments and returns ExitCode, Output
    # (raw bytes) and Message (its messages as text). A Process rather than
    # the call operator: PowerShell 5.1 and 7.3+ pass native arguments
    # differently, and both would decode cat's raw bytes.
    param([Parameter(Mandatory = $true)][string[]]$ArgumentList)
    $info = [System.Diagnostics.ProcessStartInfo]::new()
    $info.FileName = Get-WslExecutable
    $info.Arguments = (@($ArgumentList | ForEach-Object { ConvertTo-CommandLineArgument -Argument $_ })) -join ' '
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.StandardErrorEncoding = [System.Text.Encoding]::UTF8
    $info.CreateNoWindow = $true
    # wsl.exe writes its own messages in UTF-16 unless WSL_UTF8 is set.
    $info.EnvironmentVariables['WSL_UTF8'] = '1'
    $process = [System.Diagnostics.Process]::Start($info)
    $errorTask = $process.StandardError.ReadToEndAsync()
    $output = [System.IO.MemoryStream]::new()
    $process.StandardOutput.BaseStream.CopyTo($output)
    $process.WaitForExit()
    $bytes = $output.ToArray()
    $message = ($errorTask.Result + [System.Text.Encoding]::UTF8.GetString($bytes)).Trim()
    return [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $bytes; Message = $message }
}

function Read-DistroFile {
    # A file's bytes as root inside the distro (WSL's init reads the
    # template as root, symlinks resolved inside the distro), or $null.
    param(
        [Parameter(Mandatory = $true)][string]$Distro,
        [Parameter(Mandatory = $true)][string]$LinuxPath
    )
    $result = Invoke-Wsl -ArgumentList @('--distribution', $Distro, '--user', 'root', '--cd', '/', '--exec', 'cat', '--', $LinuxPath)
    if ($result.ExitCode -ne 0) {
        return $null
    }
    return , $result.Output
}

function Get-WslInstallDirectory {
    # WSL's GetBasePath(): the folder of its service, whose wsl.exe is the
    # icon of distros that ship none.
    $service = Get-Item -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\WSLService' -ErrorAction SilentlyContinue
    if ($null -ne $service) {
        $image = [string]$service.GetValue('ImagePath')
        if ($image.Length -gt 0) {
            $image = [Environment]::ExpandEnvironmentVariables($image)
            if ($image.StartsWith('"')) {
                $image = $image.Substring(1, $image.IndexOf('"', 1) - 1)
            }
            return [System.IO.Path]::GetDirectoryName($image)
        }
    }
    $fallback = Join-Path $env:ProgramFiles 'WSL'
    Write-Warning ('WSL''s service is not registered where expected; assuming it is installed in ' + $fallback)
    return $fallback
}

function Get-TerminalSettingsFiles {
    # settings.json and state.json of every Windows Terminal installed for this
    # user, and of the portable installs in $Portable.
    param([AllowEmptyCollection()][string[]]$Portable = @())
    foreach ($install in $script:TerminalInstalls) {
        $folder = Join-Path ([Environment]::GetFolderPath($install.Folder)) $install.Relative
        $settings = Join-Path $folder 'settings.json'
        if (Test-Path -LiteralPath $settings -PathType Leaf) {
            [pscustomobject]@{ Channel = $install.Channel; Settings = $settings; State = (Join-Path $folder 'state.json') }
        }
    }
    foreach ($portable in $Portable) {
        if (-not (Test-Path -LiteralPath (Join-Path $portable '{{ ctx.portable_marker }}') -PathType Leaf)) {
            Write-Warning ($portable + ' has no {{ ctx.portable_marker }} file, so Terminal does not run it as a portable install; its settings are left alone')
            continue
        }
        $folder = Join-Path $portable '{{ ctx.portable_settings_dir }}'
        $settings = Join-Path $folder 'settings.json'
        if (Test-Path -LiteralPath $settings -PathType Leaf) {
            [pscustomobject]@{ Channel = 'portable'; Settings = $settings; State = (Join-Path $folder 'state.json') }
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

function Save-FileWithBackup {
    # Writes $Bytes to $Path after saving $Original beside it as
    # PATH.TIMESTAMP.bak. The new file replaces the old one atomically; a
    # link (dotfile managers make settings.json one) is written through
    # instead, so the link survives.
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][byte[]]$Original,
        [Parameter(Mandatory = $true)][byte[]]$Bytes
    )
    $backup = $Path + '.' + $script:RunStamp + '.bak'
    $n = 1
    while (Test-Path -LiteralPath $backup) {
        $backup = $Path + '.' + $script:RunStamp + '-' + $n + '.bak'
        $n++
    }
    [System.IO.File]::WriteAllBytes($backup, $Original)
    $item = Get-Item -LiteralPath $Path -Force
    if ($item.Attributes -band [System.IO.FileAttributes]::ReparsePoint) {
        [System.IO.File]::WriteAllBytes($Path, $Bytes)
    }
    else {
        $temporary = $Path + '.' + [Guid]::NewGuid().ToString('N') + '.tmp'
        [System.IO.File]::WriteAllBytes($temporary, $Bytes)
        try {
            [System.IO.File]::Replace($temporary, $Path, $null)
        }
        catch {
            Remove-Item -LiteralPath $temporary -Force -ErrorAction SilentlyContinue
            throw
        }
    }
    return $backup
}

function Update-TerminalJsonFile {
    # Applies Edit-TerminalSettingsText or Edit-TerminalStateText to one file,
    # checks the result (it parses, every comment is still there), backs the
    # file up and writes it.
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][ValidateSet('settings', 'state')][string]$Kind,
        [AllowEmptyCollection()][string[]]$StaleGuids = @(),
        [AllowNull()][string]$DefaultGuid,
        [AllowNull()][string]$ReplacementGuid
    )
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        return
    }
    $file = Read-Utf8File -Path $Path
    if ($null -eq $file) {
        Write-Warning ($Path + ' is not UTF-8 text and was left unchanged; remove the profiles with these GUIDs by hand: ' + ($StaleGuids -join ', '))
        return
    }
    if ($Kind -ceq 'settings') {
        $edit = Edit-TerminalSettingsText -Text $file.Text -StaleGuids $StaleGuids -DefaultGuid $DefaultGuid -ReplacementGuid $ReplacementGuid
    }
    else {
        $edit = Edit-TerminalStateText -Text $file.Text -StaleGuids $StaleGuids
    }
    foreach ($instruction in $edit.Manual) {
        Write-Warning ($Path + ' needs a change this script will not make: ' + $instruction)
    }
    if ($edit.Changes.Count -eq 0) {
        return
    }
    if ($script:SettingsEditFailures.Count -gt 0) {
        Write-Warning ($Path + ' was left unchanged (see the self-check warning). Make these changes by hand: ' + ($edit.Changes -join '; '))
        return
    }
    try {
        $before = [JsoncDocument]::new($file.Text)
        $after = [JsoncDocument]::new($edit.Text)
    }
    catch {
        Write-Warning ($Path + ' was left unchanged: the edited text would not parse (' + $_.Exception.Message + '). Make these changes by hand: ' + ($edit.Changes -join '; '))
        return
    }
    $separator = [string][char]0
    if (-not [string]::Equals(($before.CommentTexts() -join $separator), ($after.CommentTexts() -join $separator), [StringComparison]::Ordinal)) {
        Write-Warning ($Path + ' was left unchanged: the edit would have changed a comment. Make these changes by hand: ' + ($edit.Changes -join '; '))
        return
    }
    if (-not $PSCmdlet.ShouldProcess($Path, ($edit.Changes -join '; '))) {
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
    foreach ($change in $edit.Changes) {
        Write-Host ('  ' + $Path + ': ' + $change)
    }
    Write-Host ('  backup: ' + $backup)
}

function Remove-StaleFragments {
    # Removes fragments in WSL's folder named by or mentioning one of $Guids
    # (an old Tier 2 GUID or distribution id), each backed up first.
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory = $true)][string[]]$Guids)
    $folder = Join-Path $script:LocalAppData $script:WslFragmentsRelative
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        return
    }
    foreach ($file in @(Get-ChildItem -LiteralPath $folder -Filter '*.json' -File)) {
        $text = [System.IO.File]::ReadAllText($file.FullName)
        $stale = $false
        foreach ($guid in $Guids) {
            $bare = [Guid]::Parse($guid).ToString('D')
            if ((Test-SameGuid $file.BaseName $guid) -or $text.IndexOf($bare, [StringComparison]::OrdinalIgnoreCase) -ge 0) {
                $stale = $true
            }
        }
        if ($stale -and $PSCmdlet.ShouldProcess($file.FullName, 'Remove stale Terminal fragment')) {
            $backup = $file.FullName + '.' + $script:RunStamp + '.bak'
            Copy-Item -LiteralPath $file.FullName -Destination $backup
            Remove-Item -LiteralPath $file.FullName
            Write-Host ('  removed stale fragment ' + $file.FullName + ' (backup: ' + $backup + ')')
        }
    }
}

function Write-WslFragment {
    # Writes the fragment WSL would have written, where WSL writes it, and
    # records it in the registry as WSL does (so wsl --unregister deletes it).
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory = $true)]$Registration,
        [Parameter(Mandatory = $true)][string]$Text,
        [Parameter(Mandatory = $true)][string]$FileName
    )
    $folder = Join-Path $script:LocalAppData $script:WslFragmentsRelative
    $target = Join-Path $folder $FileName
    if (-not $PSCmdlet.ShouldProcess($target, 'Write the Terminal fragment WSL did not write')) {
        return
    }
    if (-not (Test-Path -LiteralPath $folder)) {
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
    }
    if (Test-Path -LiteralPath $target) {
        $backup = $target + '.' + $script:RunStamp + '.bak'
        Copy-Item -LiteralPath $target -Destination $backup
        Write-Host ('  backup: ' + $backup)
    }
    # Written in place, not moved from a temporary file: WSL does the same,
    # because a moved file can end up owned by Administrators, which breaks Terminal.
    [System.IO.File]::WriteAllBytes($target, [System.Text.UTF8Encoding]::new($false).GetBytes($Text))
    Set-ItemProperty -LiteralPath $Registration.RegistryPath -Name 'TerminalProfilePath' -Value $target
    Write-Host ('  wrote ' + $target)
}

function Get-WslTemplateBytes {
    # The profile template WSL's init sends for this distro, or $null for
    # WSL's default one, with the reason when a configured one is not used.
    param([Parameter(Mandatory = $true)][string]$Distro, [Parameter(Mandatory = $true)]$Settings)
    $path = $Settings.TemplatePath
    if ($path.Length -eq 0) {
        return [pscustomobject]@{ Bytes = $null; Note = 'no windowsterminal.profileTemplate: WSL''s default template' }
    }
    if ($path.Contains('..')) {
        return [pscustomobject]@{ Bytes = $null; Note = 'windowsterminal.profileTemplate ' + $path + ' contains "..", which WSL rejects: its default template' }
    }
    $bytes = Read-DistroFile -Distro $Distro -LinuxPath $path
    if ($null -eq $bytes) {
        return [pscustomobject]@{ Bytes = $null; Note = 'windowsterminal.profileTemplate ' + $path + ' cannot be read in the distro: WSL''s default template' }
    }
    if ($bytes.Length -gt $script:MaxTemplateSize) {
        return [pscustomobject]@{ Bytes = $null; Note = 'windowsterminal.profileTemplate ' + $path + ' is larger than ' + $script:MaxTemplateSize + ' bytes, which WSL rejects: its default template' }
    }
    return [pscustomobject]@{ Bytes = $bytes; Note = 'template ' + $path }
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
    Write-Warning ('this PowerShell edits settings.json differently from what wslconst expects (' + ($script:SettingsEditFailures -join '; ') + '); settings.json and state.json will not be edited, you will be told what to change instead.')
}
$fragmentFailures = Test-WslFragmentVectors
$canWriteFragment = $fragmentFailures.Count -eq 0
if (-not $canWriteFragment) {
    Write-Warning ('this PowerShell renders Terminal fragments differently from WSL (' + ($fragmentFailures -join '; ') + '); should WSL not write its own fragment, this script will not write one either and will say how to get it.')
}

# ---------------------------------------------------------------------------
# 2. Inputs
# ---------------------------------------------------------------------------

if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
    throw ('-Path: ' + $Path + ' is not a file; give the .wsl image or rootfs tarball to import')
}
$Path = (Resolve-Path -LiteralPath $Path).ProviderPath
if ($Name -cnotmatch $script:DistroNamePattern -or [string]::Equals($Name, $script:LegacyDistroName, [StringComparison]::OrdinalIgnoreCase)) {
    throw ('-Name: ''' + $Name + ''' is not a name WSL accepts: use 1 to 256 letters, digits, ''.'', ''_'' or ''-'', and not ''' + $script:LegacyDistroName + '''')
}
if (-not $InstallLocation) {
    $InstallLocation = Join-Path (Join-Path $script:LocalAppData 'wsl') $Name
}
# Relative to PowerShell's location, which is not the process's directory.
$InstallLocation = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($InstallLocation).TrimEnd('\')
if (-not $BackupDirectory) {
    $BackupDirectory = Join-Path $script:LocalAppData 'wslconst\backups'
}
$BackupDirectory = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($BackupDirectory)
$null = Get-WslExecutable

# ---------------------------------------------------------------------------
# 3. Reimport: remove the old registration and what it left behind
# ---------------------------------------------------------------------------

$staleGuids = @()
$existing = Get-WslRegistration -Name $Name
if ($null -ne $existing) {
    if (-not $Force) {
        throw ('a distro named ' + $existing.Name + ' is already registered (distribution id ' + $existing.DistributionId + '); rerun with -Force to replace it (it is exported to ' + $BackupDirectory + ' first), or choose another -Name')
    }
    $oldTier2 = Get-WslTier2Guid -DistributionId $existing.DistributionId
    $staleGuids = @($oldTier2, $existing.DistributionId)
    Write-Host ('replacing ' + $existing.Name + ': distribution id ' + $existing.DistributionId + ', Terminal profile ' + $oldTier2)
    if (-not $SkipDistroBackup) {
        $export = Join-Path $BackupDirectory ($existing.Name + '-' + $script:RunStamp + '.tar')
        if ($PSCmdlet.ShouldProcess($existing.Name, 'Export to ' + $export)) {
            if (-not (Test-Path -LiteralPath $BackupDirectory)) {
                New-Item -ItemType Directory -Path $BackupDirectory -Force | Out-Null
            }
            Write-Host ('  exporting to ' + $export + ' (this can take minutes)')
            $result = Invoke-Wsl -ArgumentList @('--export', $existing.Name, $export)
            if ($result.ExitCode -ne 0) {
                throw ('exporting ' + $existing.Name + ' failed, nothing was changed: ' + $result.Message + '. Free some space or pass -BackupDirectory; -SkipDistroBackup replaces it without a backup.')
            }
        }
    }
    if ($PSCmdlet.ShouldProcess($existing.Name, 'Unregister (wsl.exe --unregister deletes its disk)')) {
        $result = Invoke-Wsl -ArgumentList @('--unregister', $existing.Name)
        if ($result.ExitCode -ne 0) {
            throw ('wsl.exe --unregister ' + $existing.Name + ' failed: ' + $result.Message)
        }
    }
    Remove-StaleFragments -Guids $staleGuids
}

# ---------------------------------------------------------------------------
# 4. Import and prove the distro starts
# ---------------------------------------------------------------------------

if (Test-Path -LiteralPath (Join-Path $InstallLocation 'ext4.vhdx')) {
    if ($WhatIfPreference -and $null -ne $existing) {
        Write-Host ('What if: ' + $InstallLocation + ' would be free once ' + $existing.Name + ' is unregistered')
    }
    else {
        throw ('-InstallLocation: ' + $InstallLocation + ' already holds an ext4.vhdx (another distro''s disk?); choose another -InstallLocation')
    }
}
if (-not $PSCmdlet.ShouldProcess($Name, 'Import ' + $Path + ' into ' + $InstallLocation)) {
    $then = 'the Terminal fragment would be checked (and written if WSL did not write it)'
    if ($staleGuids.Count -gt 0) {
        $then += ', profiles with the old GUID removed from settings.json and state.json'
    }
    if ($SetDefault) {
        $then += ', and the new profile made the default'
    }
    Write-Host ('What if: after the import, ' + $then + '. The GUIDs depend on the distribution id WSL assigns at import.')
    return
}
if (-not (Test-Path -LiteralPath $InstallLocation)) {
    New-Item -ItemType Directory -Path $InstallLocation -Force | Out-Null
}
Write-Host ('importing ' + $Path + ' as ' + $Name + ' into ' + $InstallLocation)
$result = Invoke-Wsl -ArgumentList @('--import', $Name, $InstallLocation, $Path)
if ($result.ExitCode -ne 0) {
    throw ('wsl.exe --import failed: ' + $result.Message)
}
$result = Invoke-Wsl -ArgumentList @('--distribution', $Name, '--exec', '/bin/sh', '-c', 'exit 0')
if ($result.ExitCode -ne 0) {
    throw ($Name + ' was imported but does not start (/bin/sh exited with ' + $result.ExitCode + '): ' + $result.Message + '. wsl.exe -d ' + $Name + ' shows the error; wsl.exe --unregister ' + $Name + ' removes it.')
}

# ---------------------------------------------------------------------------
# 5. The Terminal fragment
# ---------------------------------------------------------------------------

$registration = Get-WslRegistration -Name $Name
if ($null -eq $registration) {
    throw ($Name + ' was imported but is not in the registry under ' + $script:LxssKey + '; wsl.exe --list --verbose shows what WSL knows')
}
$tier1 = Get-WslTier1Guid -DistroName $registration.Name
$tier2 = Get-WslTier2Guid -DistributionId (Get-DistroRegistryGuid -Name $Name)
Write-Host ('distribution id ' + $registration.DistributionId + '; Terminal profile ' + $tier2 + ' (Tier 2); hidden generated profile ' + $tier1 + ' (Tier 1)')

if ($registration.TerminalProfilePath.Length -gt 0 -and (Test-Path -LiteralPath $registration.TerminalProfilePath)) {
    Write-Host ('  WSL wrote its fragment: ' + $registration.TerminalProfilePath)
}
else {
    $conf = Read-DistroFile -Distro $Name -LinuxPath $script:DistributionConf
    $terminalConf = Get-WslTerminalSettings -ConfBytes $conf
    if ($terminalConf.Stop) {
        Write-Warning ($script:DistributionConf + ' ' + $terminalConf.Stop)
    }
    if (-not $terminalConf.Enabled) {
        Write-Host ('  windowsterminal.enabled is false in ' + $script:DistributionConf + ': WSL writes no fragment, and neither does this script')
    }
    else {
        $template = Get-WslTemplateBytes -Distro $Name -Settings $terminalConf
        $icon = $registration.BasePath.TrimEnd('\') + '\' + $script:ShippedIconName
        if (-not [System.IO.File]::Exists($icon)) {
            $icon = Join-Path (Get-WslInstallDirectory) $script:WslBinaryName
        }
        $fragment = New-WslFragment -TemplateBytes $template.Bytes -Name $registration.Name -DistributionId $registration.DistributionId -Icon $icon -SystemDirectory ([Environment]::SystemDirectory) -Flavor $registration.Flavor -OsVersion $registration.OsVersion
        Write-Host ('  WSL did not write a fragment; ' + $template.Note)
        if ($null -eq $fragment.Text) {
            Write-Warning ('no fragment: ' + $fragment.Reason + '. Check the template with: wslconst template check FILE --fragment')
        }
        elseif (-not $canWriteFragment) {
            Write-Warning ('not writing the fragment (see the self-check warning above). On a machine with wslconst: wslconst fragment --name ' + $registration.Name + ' --distribution-id ' + $registration.DistributionId + ' --template TEMPLATE, then save its output as ' + (Join-Path (Join-Path $script:LocalAppData $script:WslFragmentsRelative) $fragment.FileName))
        }
        else {
            Write-WslFragment -Registration $registration -Text $fragment.Text -FileName $fragment.FileName
        }
    }
}

# ---------------------------------------------------------------------------
# 6. settings.json and state.json: stale entries and the default profile
# ---------------------------------------------------------------------------

$defaultGuid = $null
if ($SetDefault) {
    $defaultGuid = $tier2
}
$terminals = @(Get-TerminalSettingsFiles -Portable $PortableTerminal)
if ($SetDefault -and $terminals.Count -eq 0) {
    Write-Warning 'no Windows Terminal settings.json found for this user; start Windows Terminal once, then rerun with -SetDefault'
}
foreach ($terminal in $terminals) {
    if ($staleGuids.Count -gt 0 -or $SetDefault) {
        Update-TerminalJsonFile -Path $terminal.Settings -Kind settings -StaleGuids $staleGuids -DefaultGuid $defaultGuid -ReplacementGuid $tier2
    }
    if ($staleGuids.Count -gt 0) {
        Update-TerminalJsonFile -Path $terminal.State -Kind state -StaleGuids $staleGuids
    }
}

Write-Host ('done: start ' + $Name + ' from Windows Terminal''s profile list (or wsl.exe -d ' + $Name + ').')
