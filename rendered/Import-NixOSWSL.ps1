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
WindowsTerminal.exe and its .portable file) whose settings are
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
Rendered by wslconst 0.1.0 from templates/Import-NixOSWSL.ps1; do not edit, re-render.
Constants read from microsoft/WSL@3e27a6a50177ce4e32e72f7b957aef5db5768062 and microsoft/terminal@0cacbbc05e307f402f8d5846832f4d3305e5cee3.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [string]$Path,

    [Parameter(Position = 1)]
    [string]$Name = 'NixOS',

    [string]$InstallLocation,

    [switch]$SetDefault,

    [switch]$Force,

    [switch]$SkipDistroBackup,

    [string]$BackupDirectory,

    [string[]]$PortableTerminal = @()
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

# ---------------------------------------------------------------------------
# Profile GUIDs: UUIDv5 over UTF-16LE names, as WSL and Windows Terminal
# compute them (CreateV5Uuid in both repositories).
# ---------------------------------------------------------------------------

# Namespaces, read from the upstream sources named in the help above.
$script:TerminalProfileNamespace = '{2bde4a90-d05f-401c-9492-e40884ead1d8}'
$script:WslTerminalNamespace = '{be9372fe-59e1-4876-bda9-c33c8f2f1af1}'
$script:RuntimeGeneratedProfileNamespace = '{f65ddb7e-706b-4499-8a50-40313caf510a}'

function ConvertTo-NetworkByteOrder {
    # .NET's Guid.ToByteArray() and Guid(byte[]) keep Data1, Data2 and Data3
    # little-endian, while RFC 4122 hashes and prints all 16 bytes in network
    # order. Swapping those three fields converts either way. Leaving it out is
    # the classic bug: every GUID still looks valid, and every one is wrong.
    param([Parameter(Mandatory = $true)][byte[]]$Bytes)
    $swapped = [byte[]]$Bytes.Clone()
    [Array]::Reverse($swapped, 0, 4)
    [Array]::Reverse($swapped, 4, 2)
    [Array]::Reverse($swapped, 6, 2)
    return , $swapped
}

function New-WslUuidV5 {
    # RFC 4122 version 5: SHA-1 over the namespace's 16 bytes in network order
    # and the name's UTF-16LE code units (no BOM, no terminator).
    param(
        [Parameter(Mandatory = $true)][string]$Namespace,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Name
    )
    $namespaceBytes = ConvertTo-NetworkByteOrder -Bytes ([Guid]::Parse($Namespace).ToByteArray())
    $nameBytes = [System.Text.Encoding]::Unicode.GetBytes($Name)
    $data = New-Object 'byte[]' ($namespaceBytes.Length + $nameBytes.Length)
    [Array]::Copy($namespaceBytes, 0, $data, 0, $namespaceBytes.Length)
    [Array]::Copy($nameBytes, 0, $data, $namespaceBytes.Length, $nameBytes.Length)
    $sha1 = [System.Security.Cryptography.SHA1]::Create()
    try {
        $hash = $sha1.ComputeHash($data)
    }
    finally {
        $sha1.Dispose()
    }
    $uuid = New-Object 'byte[]' 16
    [Array]::Copy($hash, 0, $uuid, 0, 16)
    $uuid[6] = ($uuid[6] -band 0x0F) -bor 0x50
    $uuid[8] = ($uuid[8] -band 0x3F) -bor 0x80
    $guid = [Guid]::new((ConvertTo-NetworkByteOrder -Bytes $uuid))
    return $guid.ToString('B')
}

function Get-WslTier1Guid {
    # Terminal's generated profile for a distro (WslDistroGenerator), and the
    # GUID WSL's fragment hides: v5(Terminal's profile namespace, name).
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$DistroName)
    return New-WslUuidV5 -Namespace $script:TerminalProfileNamespace -Name $DistroName
}

function Get-WslTier2Guid {
    # The profile in WSL's own fragment: v5(WSL's namespace, the registry id
    # written lower case with braces), however the id was typed.
    param([Parameter(Mandatory = $true)][string]$DistributionId)
    $id = [Guid]::Parse($DistributionId).ToString('B')
    return New-WslUuidV5 -Namespace $script:WslTerminalNamespace -Name $id
}

function Get-WslFragmentProfileGuid {
    # A fragment profile without a guid: v5(v5(runtime namespace, source), name),
    # where source is the fragment's folder name.
    param(
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Source,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Name
    )
    $namespace = $script:RuntimeGeneratedProfileNamespace
    if ($Source.Length -gt 0) {
        $namespace = New-WslUuidV5 -Namespace $script:RuntimeGeneratedProfileNamespace -Name $Source
    }
    return New-WslUuidV5 -Namespace $namespace -Name $Name
}

# Computed by wslconst 0.1.0 when this script was rendered.
$script:GuidVectors = @(
    @{ Kind = 'tier1'; Input = 'Ubuntu'; Source = ''; Expected = '{2c4de342-38b7-51cf-b940-2309a097f518}' }
    @{ Kind = 'tier1'; Input = 'Debian'; Source = ''; Expected = '{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}' }
    @{ Kind = 'tier1'; Input = 'Windows PowerShell'; Source = ''; Expected = '{61c54bbd-c2c6-5271-96e7-009a87ff44bf}' }
    @{ Kind = 'tier1'; Input = 'Azure Cloud Shell'; Source = ''; Expected = '{b453ae62-4e3d-5e58-b989-0a998ec441b8}' }
    @{ Kind = 'tier1'; Input = 'NixOS'; Source = ''; Expected = '{c397f356-5e7b-55bc-956b-8cb4b9762c26}' }
    @{ Kind = 'fragment'; Input = 'Git Bash'; Source = 'Git'; Expected = '{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}' }
    @{ Kind = 'tier2'; Input = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Source = ''; Expected = '{ee603799-d7fe-5a9f-a662-e784d8a502df}' }
    @{ Kind = 'tier1'; Input = 'Ünïcødé'; Source = ''; Expected = '{a32bdb52-ef3a-5b07-a88e-cf76d2b983c0}' }
    @{ Kind = 'tier1'; Input = '日本語ディストロ'; Source = ''; Expected = '{b99d358c-397e-55dc-bfd5-e09ca18c560e}' }
    @{ Kind = 'tier1'; Input = 'NixOS 😀'; Source = ''; Expected = '{af3b7aae-47f5-52ce-a1c3-a18c7d175b55}' }
    @{ Kind = 'tier1'; Input = 'it''s ‘‘quoted’’ ‚‚low‛‛'; Source = ''; Expected = '{7158b5e5-529d-5784-9680-21cd3b562b0a}' }
    @{ Kind = 'tier1'; Input = ''; Source = ''; Expected = '{63384331-cbfd-50bc-a018-d67db30f674d}' }
    @{ Kind = 'fragment'; Input = 'Shell 😀'; Source = 'Ünïcødé.Tools'; Expected = '{37c17e83-5cd1-59b4-962f-7cd0437b04b2}' }
)

function Test-WslGuidVectors {
    # One message per vector this machine computes differently; none is a pass.
    $failures = New-Object 'System.Collections.Generic.List[string]'
    foreach ($vector in $script:GuidVectors) {
        if ($vector.Kind -ceq 'tier1') {
            $actual = Get-WslTier1Guid -DistroName $vector.Input
        }
        elseif ($vector.Kind -ceq 'tier2') {
            $actual = Get-WslTier2Guid -DistributionId $vector.Input
        }
        else {
            $actual = Get-WslFragmentProfileGuid -Source $vector.Source -Name $vector.Input
        }
        if ($actual -cne $vector.Expected) {
            $failures.Add(('{0} of ''{1}'' gave {2}, wslconst computed {3}' -f $vector.Kind, $vector.Input, $actual, $vector.Expected))
        }
    }
    return , $failures
}

# ---------------------------------------------------------------------------
# WSL's per-user registry: one subkey per distro, named by its distribution id.
# ---------------------------------------------------------------------------

$script:LxssKey = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Lxss'

function Get-WslRegistration {
    # The registration of the distro named $Name (WSL compares names ignoring
    # case), or $null. Values are read as WSL wrote them.
    param([Parameter(Mandatory = $true)][string]$Name)
    if (-not (Test-Path -LiteralPath $script:LxssKey)) {
        return $null
    }
    foreach ($key in @(Get-ChildItem -LiteralPath $script:LxssKey)) {
        $distroName = $key.GetValue('DistributionName')
        if (-not ($distroName -is [string]) -or -not [string]::Equals($distroName, $Name, [StringComparison]::OrdinalIgnoreCase)) {
            continue
        }
        $id = [Guid]::Empty
        if (-not [Guid]::TryParse($key.PSChildName, [ref]$id)) {
            continue
        }
        return [pscustomobject]@{
            Name                = $distroName
            DistributionId      = $id.ToString('B')
            BasePath            = [string]$key.GetValue('BasePath')
            Flavor              = [string]$key.GetValue('Flavor')
            OsVersion           = [string]$key.GetValue('OsVersion')
            Modern              = $key.GetValue('Modern')
            TerminalProfilePath = [string]$key.GetValue('TerminalProfilePath')
            RegistryPath        = $key.PSPath
        }
    }
    return $null
}

function Get-DistroRegistryGuid {
    # The distribution id (the registry subkey's GUID, lower case with braces)
    # of the distro named $Name, or $null when no such distro is registered.
    param([Parameter(Mandatory = $true)][string]$Name)
    $registration = Get-WslRegistration -Name $Name
    if ($null -eq $registration) {
        return $null
    }
    return $registration.DistributionId
}

# ---------------------------------------------------------------------------
# The fragment WSL writes (_CreateTerminalProfile), byte for byte: the
# template parsed as nlohmann::json::parse(text, nullptr, true, false) parses
# it (strict JSON, no comments), changed as WSL changes it, and printed as
# dump(2) prints it (keys sorted by their UTF-8 bytes, two-space indent, no
# trailing newline). Objects are Dictionary[string,object], arrays
# List[object], numbers Int64 (negative), UInt64 or Double, as nlohmann keeps
# them.
# ---------------------------------------------------------------------------

class WslJsonReader {
    hidden [string]$Text
    hidden [int]$Pos
    hidden [int]$Depth

    # Deeper templates are refused; no Terminal profile comes near it, and it
    # keeps the reader well inside PowerShell's call depth.
    static [int]$MaxDepth = 100

    WslJsonReader([string]$text) {
        $this.Text = $text
        $this.Pos = 0
        $this.Depth = 0
    }

    static [object] Parse([string]$text) {
        $reader = [WslJsonReader]::new($text)
        $reader.SkipWhitespace()
        $value = $reader.ReadValue()
        $reader.SkipWhitespace()
        if ($reader.Pos -lt $text.Length) {
            $reader.Fail('expected the end of the input')
        }
        return $value
    }

    hidden [void] Fail([string]$message) {
        $line = 1
        $column = 1
        for ($i = 0; $i -lt $this.Pos -and $i -lt $this.Text.Length; $i++) {
            if ([int]$this.Text[$i] -eq 10) {
                $line++
                $column = 1
            }
            else {
                $column++
            }
        }
        throw ('syntax error at line ' + $line + ', column ' + $column + ': ' + $message)
    }

    hidden [int] Peek() {
        if ($this.Pos -lt $this.Text.Length) {
            return [int]$this.Text[$this.Pos]
        }
        return -1
    }

    hidden [void] SkipWhitespace() {
        while ($true) {
            $c = $this.Peek()
            if ($c -ne 32 -and $c -ne 9 -and $c -ne 10 -and $c -ne 13) {
                return
            }
            $this.Pos++
        }
    }

    hidden [object] ReadValue() {
        $c = $this.Peek()
        if ($c -eq 123) {
            return $this.ReadObject()
        }
        if ($c -eq 91) {
            return $this.ReadArray()
        }
        if ($c -eq 34) {
            return $this.ReadString()
        }
        if ($c -eq 116) {
            $this.ReadLiteral('true')
            return $true
        }
        if ($c -eq 102) {
            $this.ReadLiteral('false')
            return $false
        }
        if ($c -eq 110) {
            $this.ReadLiteral('null')
            return $null
        }
        if ($c -eq 45 -or ($c -ge 48 -and $c -le 57)) {
            return $this.ReadNumber()
        }
        if ($c -lt 0) {
            $this.Fail('unexpected end of input; expected a value')
        }
        $this.Fail('unexpected character; expected a value (comments and single quotes are not JSON)')
        return $null
    }

    hidden [void] ReadLiteral([string]$word) {
        if ($this.Pos + $word.Length -gt $this.Text.Length -or -not [string]::Equals($this.Text.Substring($this.Pos, $word.Length), $word, [StringComparison]::Ordinal)) {
            $this.Fail('invalid literal; expected ' + $word)
        }
        $this.Pos += $word.Length
    }

    hidden [void] Enter() {
        $this.Depth++
        if ($this.Depth -gt [WslJsonReader]::MaxDepth) {
            $this.Fail('nested deeper than ' + [WslJsonReader]::MaxDepth + ' levels (a limit of this script, not of WSL; use wslconst fragment instead)')
        }
    }

    hidden [object] ReadObject() {
        $this.Enter()
        $this.Pos++
        $members = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)
        $this.SkipWhitespace()
        if ($this.Peek() -eq 125) {
            $this.Pos++
            $this.Depth--
            return $members
        }
        while ($true) {
            if ($this.Peek() -ne 34) {
                $this.Fail('expected a string (an object key); trailing commas are not JSON')
            }
            $key = $this.ReadString()
            $this.SkipWhitespace()
            if ($this.Peek() -ne 58) {
                $this.Fail('expected '':'' after an object key')
            }
            $this.Pos++
            $this.SkipWhitespace()
            # A repeated key replaces the earlier value, as in nlohmann.
            $members[$key] = $this.ReadValue()
            $this.SkipWhitespace()
            $c = $this.Peek()
            if ($c -eq 44) {
                $this.Pos++
                $this.SkipWhitespace()
                continue
            }
            if ($c -eq 125) {
                $this.Pos++
                $this.Depth--
                return $members
            }
            $this.Fail('expected '','' or ''}'' after an object member')
        }
        return $null
    }

    hidden [object] ReadArray() {
        $this.Enter()
        $this.Pos++
        $items = [System.Collections.Generic.List[object]]::new()
        $this.SkipWhitespace()
        if ($this.Peek() -eq 93) {
            $this.Pos++
            $this.Depth--
            return $items
        }
        while ($true) {
            $items.Add($this.ReadValue())
            $this.SkipWhitespace()
            $c = $this.Peek()
            if ($c -eq 44) {
                $this.Pos++
                $this.SkipWhitespace()
                continue
            }
            if ($c -eq 93) {
                $this.Pos++
                $this.Depth--
                return $items
            }
            $this.Fail('expected '','' or '']'' after an array item')
        }
        return $null
    }

    hidden [int] ReadHex4() {
        if ($this.Pos + 4 -gt $this.Text.Length) {
            $this.Fail('\u must be followed by four hex digits')
        }
        $value = 0
        if (-not [int]::TryParse($this.Text.Substring($this.Pos, 4), [System.Globalization.NumberStyles]::AllowHexSpecifier, [System.Globalization.CultureInfo]::InvariantCulture, [ref]$value)) {
            $this.Fail('\u must be followed by four hex digits')
        }
        $this.Pos += 4
        return $value
    }

    hidden [string] ReadString() {
        $this.Pos++
        $builder = [System.Text.StringBuilder]::new()
        while ($true) {
            $c = $this.Peek()
            if ($c -lt 0) {
                $this.Fail('missing closing quote')
            }
            $this.Pos++
            if ($c -eq 34) {
                return $builder.ToString()
            }
            if ($c -lt 32) {
                $this.Fail('control characters U+0000..U+001F must be escaped in strings')
            }
            if ($c -ne 92) {
                [void]$builder.Append([char]$c)
                continue
            }
            $e = $this.Peek()
            $this.Pos++
            if ($e -eq 34 -or $e -eq 92 -or $e -eq 47) {
                [void]$builder.Append([char]$e)
            }
            elseif ($e -eq 98) {
                [void]$builder.Append([char]8)
            }
            elseif ($e -eq 102) {
                [void]$builder.Append([char]12)
            }
            elseif ($e -eq 110) {
                [void]$builder.Append([char]10)
            }
            elseif ($e -eq 114) {
                [void]$builder.Append([char]13)
            }
            elseif ($e -eq 116) {
                [void]$builder.Append([char]9)
            }
            elseif ($e -eq 117) {
                $unit = $this.ReadHex4()
                if ($unit -ge 0xDC00 -and $unit -le 0xDFFF) {
                    $this.Fail('a low surrogate \u' + $unit.ToString('X4') + ' must follow a high one')
                }
                [void]$builder.Append([char]$unit)
                if ($unit -ge 0xD800 -and $unit -le 0xDBFF) {
                    if ($this.Peek() -ne 92 -or $this.Pos + 1 -ge $this.Text.Length -or [int]$this.Text[$this.Pos + 1] -ne 117) {
                        $this.Fail('a high surrogate \u' + $unit.ToString('X4') + ' must be followed by \uDC00..\uDFFF')
                    }
                    $this.Pos += 2
                    $low = $this.ReadHex4()
                    if ($low -lt 0xDC00 -or $low -gt 0xDFFF) {
                        $this.Fail('a high surrogate \u' + $unit.ToString('X4') + ' must be followed by \uDC00..\uDFFF')
                    }
                    [void]$builder.Append([char]$low)
                }
            }
            else {
                $this.Fail('invalid escape in a string')
            }
        }
        return ''
    }

    hidden [bool] AtDigit() {
        $c = $this.Peek()
        return $c -ge 48 -and $c -le 57
    }

    hidden [object] ReadNumber() {
        $start = $this.Pos
        $isFloat = $false
        if ($this.Peek() -eq 45) {
            $this.Pos++
        }
        if ($this.Peek() -eq 48) {
            $this.Pos++
        }
        elseif ($this.AtDigit()) {
            while ($this.AtDigit()) {
                $this.Pos++
            }
        }
        else {
            $this.Fail('expected a digit')
        }
        if ($this.Peek() -eq 46) {
            $isFloat = $true
            $this.Pos++
            if (-not $this.AtDigit()) {
                $this.Fail('expected a digit after the decimal point')
            }
            while ($this.AtDigit()) {
                $this.Pos++
            }
        }
        if ($this.Peek() -eq 101 -or $this.Peek() -eq 69) {
            $isFloat = $true
            $this.Pos++
            if ($this.Peek() -eq 43 -or $this.Peek() -eq 45) {
                $this.Pos++
            }
            if (-not $this.AtDigit()) {
                $this.Fail('expected a digit in the exponent')
            }
            while ($this.AtDigit()) {
                $this.Pos++
            }
        }
        $token = $this.Text.Substring($start, $this.Pos - $start)
        $invariant = [System.Globalization.CultureInfo]::InvariantCulture
        if (-not $isFloat) {
            # nlohmann: negative integers are int64, the others uint64; what
            # does not fit becomes a double.
            if ([int]$token[0] -eq 45) {
                $signed = [long]0
                if ([long]::TryParse($token, [System.Globalization.NumberStyles]::AllowLeadingSign, $invariant, [ref]$signed)) {
                    return $signed
                }
            }
            else {
                $unsigned = [UInt64]0
                if ([UInt64]::TryParse($token, [System.Globalization.NumberStyles]::None, $invariant, [ref]$unsigned)) {
                    return $unsigned
                }
            }
        }
        $double = [double]0
        $parsed = $false
        try {
            $parsed = [double]::TryParse($token, [System.Globalization.NumberStyles]::Float, $invariant, [ref]$double)
        }
        catch {
            $parsed = $false
        }
        if (-not $parsed -or [double]::IsInfinity($double)) {
            $this.Fail('number overflow parsing ''' + $token + '''')
        }
        if ($double -eq 0 -and [int]$token[0] -eq 45) {
            # strtod keeps the sign of -0.0 and of an underflow; .NET Framework's parser drops it.
            $double = [BitConverter]::Int64BitsToDouble([long]::MinValue)
        }
        return $double
    }
}

class WslJsonWriter {
    static [string] Dump([object]$value) {
        $builder = [System.Text.StringBuilder]::new()
        [WslJsonWriter]::Write($builder, $value, 0)
        return $builder.ToString()
    }

    static hidden [void] Indent([System.Text.StringBuilder]$out, [int]$level) {
        [void]$out.Append([char]32, 2 * $level)
    }

    static hidden [void] Write([System.Text.StringBuilder]$out, [object]$value, [int]$level) {
        if ($null -eq $value) {
            [void]$out.Append('null')
            return
        }
        if ($value -is [bool]) {
            $word = 'false'
            if ($value) {
                $word = 'true'
            }
            [void]$out.Append($word)
            return
        }
        if ($value -is [string]) {
            [WslJsonWriter]::WriteString($out, $value)
            return
        }
        if ($value -is [long] -or $value -is [UInt64]) {
            [void]$out.Append($value.ToString([System.Globalization.CultureInfo]::InvariantCulture))
            return
        }
        if ($value -is [double]) {
            [void]$out.Append([WslJsonWriter]::FormatDouble($value))
            return
        }
        if ($value -is [System.Collections.Generic.List[object]]) {
            if ($value.Count -eq 0) {
                [void]$out.Append('[]')
                return
            }
            [void]$out.Append('[')
            for ($i = 0; $i -lt $value.Count; $i++) {
                if ($i -gt 0) {
                    [void]$out.Append(',')
                }
                [void]$out.Append([char]10)
                [WslJsonWriter]::Indent($out, $level + 1)
                [WslJsonWriter]::Write($out, $value[$i], $level + 1)
            }
            [void]$out.Append([char]10)
            [WslJsonWriter]::Indent($out, $level)
            [void]$out.Append(']')
            return
        }
        if ($value -is [System.Collections.Generic.Dictionary[string, object]]) {
            if ($value.Count -eq 0) {
                [void]$out.Append('{}')
                return
            }
            # std::map<std::string, json> orders keys by their UTF-8 bytes;
            # each key's bytes as Latin-1 characters sort the same way.
            $order = [System.Collections.Generic.SortedDictionary[string, string]]::new([StringComparer]::Ordinal)
            foreach ($key in $value.Keys) {
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($key)
                $order.Add([System.Text.Encoding]::GetEncoding(28591).GetString($bytes), $key)
            }
            [void]$out.Append('{')
            $first = $true
            foreach ($key in $order.Values) {
                if (-not $first) {
                    [void]$out.Append(',')
                }
                $first = $false
                [void]$out.Append([char]10)
                [WslJsonWriter]::Indent($out, $level + 1)
                [WslJsonWriter]::WriteString($out, $key)
                [void]$out.Append(': ')
                [WslJsonWriter]::Write($out, $value[$key], $level + 1)
            }
            [void]$out.Append([char]10)
            [WslJsonWriter]::Indent($out, $level)
            [void]$out.Append('}')
            return
        }
        throw ('cannot write a value of type ' + $value.GetType().FullName + ' as JSON')
    }

    static hidden [void] WriteString([System.Text.StringBuilder]$out, [string]$text) {
        [void]$out.Append([char]34)
        foreach ($ch in $text.ToCharArray()) {
            $c = [int]$ch
            if ($c -eq 34) {
                [void]$out.Append('\"')
            }
            elseif ($c -eq 92) {
                [void]$out.Append('\\')
            }
            elseif ($c -eq 8) {
                [void]$out.Append('\b')
            }
            elseif ($c -eq 12) {
                [void]$out.Append('\f')
            }
            elseif ($c -eq 10) {
                [void]$out.Append('\n')
            }
            elseif ($c -eq 13) {
                [void]$out.Append('\r')
            }
            elseif ($c -eq 9) {
                [void]$out.Append('\t')
            }
            elseif ($c -lt 32) {
                [void]$out.Append('\u' + $c.ToString('x4'))
            }
            else {
                [void]$out.Append($ch)
            }
        }
        [void]$out.Append([char]34)
    }

    # nlohmann's to_chars: the shortest digits that read back as the same
    # double, then positional notation for decimal exponents -4..15, else
    # d.ddde+XX.
    static [string] FormatDouble([double]$value) {
        if ([double]::IsNaN($value) -or [double]::IsInfinity($value)) {
            return 'null'
        }
        $sign = ''
        if ($value -lt 0 -or ($value -eq 0 -and [BitConverter]::DoubleToInt64Bits($value) -lt 0)) {
            $sign = '-'
            $value = -$value
        }
        if ($value -eq 0) {
            return $sign + '0.0'
        }
        $invariant = [System.Globalization.CultureInfo]::InvariantCulture
        $text = ''
        for ($precision = 0; $precision -le 16; $precision++) {
            $text = $value.ToString('E' + $precision, $invariant)
            if ([double]::Parse($text, $invariant) -eq $value) {
                break
            }
        }
        $parts = $text.Split([char]'E')
        $digits = $parts[0].Replace('.', '')
        $k = $digits.Length
        $n = [int]::Parse($parts[1], $invariant) + 1
        if ($k -le $n -and $n -le 15) {
            return $sign + $digits + ('0' * ($n - $k)) + '.0'
        }
        if (0 -lt $n -and $n -le 15) {
            return $sign + $digits.Substring(0, $n) + '.' + $digits.Substring($n)
        }
        if (-4 -lt $n -and $n -le 0) {
            return $sign + '0.' + ('0' * (-$n)) + $digits
        }
        $mantissa = $digits.Substring(0, 1)
        if ($k -gt 1) {
            $mantissa += '.' + $digits.Substring(1)
        }
        $e = $n - 1
        $exponentSign = '+'
        if ($e -lt 0) {
            $exponentSign = '-'
        }
        return $sign + $mantissa + 'e' + $exponentSign + ([Math]::Abs($e)).ToString('00', $invariant)
    }
}

function ConvertFrom-WslTemplateBytes {
    # The template text as nlohmann reads WSL's std::string_view: a NUL byte
    # ends it, a UTF-8 BOM is skipped (a broken one is an error), and bytes
    # that are not UTF-8 are an error.
    param([Parameter(Mandatory = $true)][AllowEmptyCollection()][byte[]]$Bytes)
    $length = [Array]::IndexOf($Bytes, [byte]0)
    if ($length -lt 0) {
        $length = $Bytes.Length
    }
    $start = 0
    if ($length -ge 1 -and $Bytes[0] -eq 0xEF) {
        if ($length -lt 3 -or $Bytes[1] -ne 0xBB -or $Bytes[2] -ne 0xBF) {
            throw 'invalid BOM; must be 0xEF 0xBB 0xBF if given'
        }
        $start = 3
    }
    $strict = [System.Text.UTF8Encoding]::new($false, $true)
    try {
        return $strict.GetString($Bytes, $start, $length - $start)
    }
    catch {
        throw 'the template is not valid UTF-8'
    }
}

$script:WslBinaryName = 'wsl.exe'
$script:WslDistributionIdArg = '--distribution-id'
# WSL's template when the distro ships none, as its literal text (base64).
$script:WslDefaultTemplateBase64 = 'CiAgICAgICAgICAgICAgICAgICAgICAgICAgICB7CiAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgInByb2ZpbGVzIjogW3sKICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAic3RhcnRpbmdEaXJlY3RvcnkiOiAifiIKICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICB9XQogICAgICAgICAgICAgICAgICAgICAgICAgICAgfQ=='

function New-WslFragment {
    # _CreateTerminalProfile. Returns Text and FileName of the fragment WSL
    # writes, or a Reason why WSL writes none.
    param(
        [AllowNull()][byte[]]$TemplateBytes,
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$DistributionId,
        [Parameter(Mandatory = $true)][string]$Icon,
        [Parameter(Mandatory = $true)][string]$SystemDirectory,
        [AllowEmptyString()][string]$Flavor = '',
        [AllowEmptyString()][string]$OsVersion = ''
    )
    if ($null -eq $TemplateBytes) {
        $TemplateBytes = [Convert]::FromBase64String($script:WslDefaultTemplateBase64)
    }
    try {
        $root = [WslJsonReader]::Parse((ConvertFrom-WslTemplateBytes -Bytes $TemplateBytes))
    }
    catch {
        return [pscustomobject]@{ Text = $null; FileName = $null; Reason = 'WSL cannot parse the profile template (' + $_.Exception.Message + ') and writes no fragment' }
    }
    $dictionaryType = [System.Collections.Generic.Dictionary[string, object]]
    if (-not ($root -is $dictionaryType)) {
        return [pscustomobject]@{ Text = $null; FileName = $null; Reason = 'the template''s root is not an object: WSL fails with E_UNEXPECTED and writes no fragment' }
    }
    if (-not $root.ContainsKey('profiles') -or -not ($root['profiles'] -is [System.Collections.Generic.List[object]])) {
        return [pscustomobject]@{ Text = $null; FileName = $null; Reason = 'the template has no "profiles" array: WSL fails with E_UNEXPECTED and writes no fragment' }
    }
    $profiles = $root['profiles']
    $id = [Guid]::Parse($DistributionId).ToString('B')
    $profileGuid = Get-WslTier2Guid -DistributionId $id
    $hideGuid = Get-WslTier1Guid -DistroName $Name
    $foundHide = $false
    for ($i = 0; $i -lt $profiles.Count; $i++) {
        $entry = $profiles[$i]
        $isObject = $entry -is $dictionaryType
        if ($isObject -and $entry.ContainsKey('updates') -and $entry['updates'] -is [string] -and [string]::Equals($entry['updates'], $hideGuid, [StringComparison]::Ordinal)) {
            $foundHide = $true
            continue
        }
        if ($null -eq $entry) {
            # nlohmann's operator[] turns null into an object.
            $entry = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)
            $profiles[$i] = $entry
        }
        elseif (-not $isObject) {
            return [pscustomobject]@{ Text = $null; FileName = $null; Reason = 'profiles[' + $i + '] is not an object: nlohmann throws type_error.305 and WSL writes no fragment' }
        }
        $entry['commandline'] = $SystemDirectory + '\' + $script:WslBinaryName + ' ' + $script:WslDistributionIdArg + ' ' + $id
        $entry['name'] = $Name
        $entry['guid'] = $profileGuid
        $entry['icon'] = $Icon
        if (-not $entry.ContainsKey('startingDirectory')) {
            $entry['startingDirectory'] = '~'
        }
        $entry['pathTranslationStyle'] = 'wsl'
        if ($Flavor.Length -gt 0) {
            $entry['wsl.distribution-type'] = $Flavor
        }
        if ($OsVersion.Length -gt 0) {
            $entry['wsl.distribution-version'] = $OsVersion
        }
    }
    if (-not $foundHide) {
        $hide = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)
        $hide['updates'] = $hideGuid
        $hide['hidden'] = $true
        $profiles.Insert(0, $hide)
    }
    return [pscustomobject]@{ Text = [WslJsonWriter]::Dump($root); FileName = $profileGuid + '.json'; Reason = $null }
}

# Fragments computed by wslconst 0.1.0's model of WSL when this script was rendered.
$script:FragmentVectors = @(
    @{ Label = 'WSL''s default template'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = '\\?\C:\Users\Ünï O''Neil\AppData\Local\wsl\NixOS\shortcut.ico'; SystemDirectory = 'C:\Windows\system32'; Flavor = 'nixos'; OsVersion = '25.05'; Template = ''; Expected = 'ewogICJwcm9maWxlcyI6IFsKICAgIHsKICAgICAgImhpZGRlbiI6IHRydWUsCiAgICAgICJ1cGRhdGVzIjogIntjMzk3ZjM1Ni01ZTdiLTU1YmMtOTU2Yi04Y2I0Yjk3NjJjMjZ9IgogICAgfSwKICAgIHsKICAgICAgImNvbW1hbmRsaW5lIjogIkM6XFxXaW5kb3dzXFxzeXN0ZW0zMlxcd3NsLmV4ZSAtLWRpc3RyaWJ1dGlvbi1pZCB7ZmMzYmY0MjctNzIyYy00YzJiLTg0YmYtMTcyMDJkMmUzNzQwfSIsCiAgICAgICJndWlkIjogIntlZTYwMzc5OS1kN2ZlLTVhOWYtYTY2Mi1lNzg0ZDhhNTAyZGZ9IiwKICAgICAgImljb24iOiAiXFxcXD9cXEM6XFxVc2Vyc1xcw5xuw68gTydOZWlsXFxBcHBEYXRhXFxMb2NhbFxcd3NsXFxOaXhPU1xcc2hvcnRjdXQuaWNvIiwKICAgICAgIm5hbWUiOiAiTml4T1MiLAogICAgICAicGF0aFRyYW5zbGF0aW9uU3R5bGUiOiAid3NsIiwKICAgICAgInN0YXJ0aW5nRGlyZWN0b3J5IjogIn4iLAogICAgICAid3NsLmRpc3RyaWJ1dGlvbi10eXBlIjogIm5peG9zIiwKICAgICAgIndzbC5kaXN0cmlidXRpb24tdmVyc2lvbiI6ICIyNS4wNSIKICAgIH0KICBdCn0='; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'numbers, escapes and key order'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = '77u/eyJwcm9maWxlcyI6IFt7ImZvbnQiOiB7ImZhY2UiOiAiQ2FzY2FkaWEgTW9ubyIsICJzaXplIjogMTAuNSwgIndlaWdodCI6ICJib2xkIn0sICJzdGFydGluZ0RpcmVjdG9yeSI6IG51bGwsICJvcGFjaXR5IjogODUsICJjb2xvclNjaGVtZSI6ICJOaXggXCJEYXJrXCIiLCAidGFiVGl0bGUiOiAiXHUwMGU5XHRcdTAwMDFcdTAwMWZcdTAwN2YvXC8gw5xuw68g8J+YgCIsICJ6ZXRhIjogW10sICJhbHBoYSI6IHt9LCAiYmlnIjogMTIzNDU2Nzg5MDEyMzQ1Njc4OTAsICJiaWdnZXIiOiAxMDAwMDAwMDAwMDAwMDAwMDAwMDAsICJuZWciOiAtNDIsICJuZWd6ZXJvIjogLTAsICJleHAiOiAxZTIsICJzbWFsbCI6IDFFLTUsICJodWdlIjogMS41ZTMwMCwgImZ6ZXJvIjogLTAuMCwgInRoaXJkIjogMC4zMzMsICJcdWUwMDAiOiAxLCAiXHVkODNkXHVkZTAwIjogMiwgImR1cCI6IDEsICJkdXAiOiBbdHJ1ZSwgZmFsc2UsIG51bGxdfSwgbnVsbCwgeyJ1cGRhdGVzIjogIntDMzk3RjM1Ni01RTdCLTU1QkMtOTU2Qi04Q0I0Qjk3NjJDMjZ9IiwgIm5hbWUiOiAidXBwZXItY2FzZSBoaWRlIn1dLCAic2NoZW1lcyI6IFt7Im5hbWUiOiAiTml4IiwgImJhY2tncm91bmQiOiAiIzFFMUUyRSJ9XSwgImFjdGlvbnMiOiBbXX0='; Expected = 'ewogICJhY3Rpb25zIjogW10sCiAgInByb2ZpbGVzIjogWwogICAgewogICAgICAiaGlkZGVuIjogdHJ1ZSwKICAgICAgInVwZGF0ZXMiOiAie2MzOTdmMzU2LTVlN2ItNTViYy05NTZiLThjYjRiOTc2MmMyNn0iCiAgICB9LAogICAgewogICAgICAiYWxwaGEiOiB7fSwKICAgICAgImJpZyI6IDEyMzQ1Njc4OTAxMjM0NTY3ODkwLAogICAgICAiYmlnZ2VyIjogMWUrMjAsCiAgICAgICJjb2xvclNjaGVtZSI6ICJOaXggXCJEYXJrXCIiLAogICAgICAiY29tbWFuZGxpbmUiOiAiQzpcXFdpbmRvd3NcXHN5c3RlbTMyXFx3c2wuZXhlIC0tZGlzdHJpYnV0aW9uLWlkIHtmYzNiZjQyNy03MjJjLTRjMmItODRiZi0xNzIwMmQyZTM3NDB9IiwKICAgICAgImR1cCI6IFsKICAgICAgICB0cnVlLAogICAgICAgIGZhbHNlLAogICAgICAgIG51bGwKICAgICAgXSwKICAgICAgImV4cCI6IDEwMC4wLAogICAgICAiZm9udCI6IHsKICAgICAgICAiZmFjZSI6ICJDYXNjYWRpYSBNb25vIiwKICAgICAgICAic2l6ZSI6IDEwLjUsCiAgICAgICAgIndlaWdodCI6ICJib2xkIgogICAgICB9LAogICAgICAiZnplcm8iOiAtMC4wLAogICAgICAiZ3VpZCI6ICJ7ZWU2MDM3OTktZDdmZS01YTlmLWE2NjItZTc4NGQ4YTUwMmRmfSIsCiAgICAgICJodWdlIjogMS41ZSszMDAsCiAgICAgICJpY29uIjogIkM6XFxQcm9ncmFtIEZpbGVzXFxXU0xcXHdzbC5leGUiLAogICAgICAibmFtZSI6ICJOaXhPUyIsCiAgICAgICJuZWciOiAtNDIsCiAgICAgICJuZWd6ZXJvIjogMCwKICAgICAgIm9wYWNpdHkiOiA4NSwKICAgICAgInBhdGhUcmFuc2xhdGlvblN0eWxlIjogIndzbCIsCiAgICAgICJzbWFsbCI6IDFlLTA1LAogICAgICAic3RhcnRpbmdEaXJlY3RvcnkiOiBudWxsLAogICAgICAidGFiVGl0bGUiOiAiw6lcdFx1MDAwMVx1MDAxZn8vLyDDnG7DryDwn5iAIiwKICAgICAgInRoaXJkIjogMC4zMzMsCiAgICAgICJ6ZXRhIjogW10sCiAgICAgICLugIAiOiAxLAogICAgICAi8J+YgCI6IDIKICAgIH0sCiAgICB7CiAgICAgICJjb21tYW5kbGluZSI6ICJDOlxcV2luZG93c1xcc3lzdGVtMzJcXHdzbC5leGUgLS1kaXN0cmlidXRpb24taWQge2ZjM2JmNDI3LTcyMmMtNGMyYi04NGJmLTE3MjAyZDJlMzc0MH0iLAogICAgICAiZ3VpZCI6ICJ7ZWU2MDM3OTktZDdmZS01YTlmLWE2NjItZTc4NGQ4YTUwMmRmfSIsCiAgICAgICJpY29uIjogIkM6XFxQcm9ncmFtIEZpbGVzXFxXU0xcXHdzbC5leGUiLAogICAgICAibmFtZSI6ICJOaXhPUyIsCiAgICAgICJwYXRoVHJhbnNsYXRpb25TdHlsZSI6ICJ3c2wiLAogICAgICAic3RhcnRpbmdEaXJlY3RvcnkiOiAifiIKICAgIH0sCiAgICB7CiAgICAgICJjb21tYW5kbGluZSI6ICJDOlxcV2luZG93c1xcc3lzdGVtMzJcXHdzbC5leGUgLS1kaXN0cmlidXRpb24taWQge2ZjM2JmNDI3LTcyMmMtNGMyYi04NGJmLTE3MjAyZDJlMzc0MH0iLAogICAgICAiZ3VpZCI6ICJ7ZWU2MDM3OTktZDdmZS01YTlmLWE2NjItZTc4NGQ4YTUwMmRmfSIsCiAgICAgICJpY29uIjogIkM6XFxQcm9ncmFtIEZpbGVzXFxXU0xcXHdzbC5leGUiLAogICAgICAibmFtZSI6ICJOaXhPUyIsCiAgICAgICJwYXRoVHJhbnNsYXRpb25TdHlsZSI6ICJ3c2wiLAogICAgICAic3RhcnRpbmdEaXJlY3RvcnkiOiAifiIsCiAgICAgICJ1cGRhdGVzIjogIntDMzk3RjM1Ni01RTdCLTU1QkMtOTU2Qi04Q0I0Qjk3NjJDMjZ9IgogICAgfQogIF0sCiAgInNjaGVtZXMiOiBbCiAgICB7CiAgICAgICJiYWNrZ3JvdW5kIjogIiMxRTFFMkUiLAogICAgICAibmFtZSI6ICJOaXgiCiAgICB9CiAgXQp9'; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'a hide entry already present'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'ewogICJwcm9maWxlcyI6IFsKICAgIHsiaGlkZGVuIjogdHJ1ZSwgInVwZGF0ZXMiOiAie2MzOTdmMzU2LTVlN2ItNTViYy05NTZiLThjYjRiOTc2MmMyNn0ifSwKICAgIHsic3RhcnRpbmdEaXJlY3RvcnkiOiAiL2hvbWUifQogIF0KfQo='; Expected = 'ewogICJwcm9maWxlcyI6IFsKICAgIHsKICAgICAgImhpZGRlbiI6IHRydWUsCiAgICAgICJ1cGRhdGVzIjogIntjMzk3ZjM1Ni01ZTdiLTU1YmMtOTU2Yi04Y2I0Yjk3NjJjMjZ9IgogICAgfSwKICAgIHsKICAgICAgImNvbW1hbmRsaW5lIjogIkM6XFxXaW5kb3dzXFxzeXN0ZW0zMlxcd3NsLmV4ZSAtLWRpc3RyaWJ1dGlvbi1pZCB7ZmMzYmY0MjctNzIyYy00YzJiLTg0YmYtMTcyMDJkMmUzNzQwfSIsCiAgICAgICJndWlkIjogIntlZTYwMzc5OS1kN2ZlLTVhOWYtYTY2Mi1lNzg0ZDhhNTAyZGZ9IiwKICAgICAgImljb24iOiAiQzpcXFByb2dyYW0gRmlsZXNcXFdTTFxcd3NsLmV4ZSIsCiAgICAgICJuYW1lIjogIk5peE9TIiwKICAgICAgInBhdGhUcmFuc2xhdGlvblN0eWxlIjogIndzbCIsCiAgICAgICJzdGFydGluZ0RpcmVjdG9yeSI6ICIvaG9tZSIKICAgIH0KICBdCn0='; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'a comment (WSL parses without comments: no fragment)'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'eyJwcm9maWxlcyI6IFt7fV0gLy8gY29tbWVudAp9'; Expected = ''; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'a root that is not an object'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'W3sicHJvZmlsZXMiOiBbXX1d'; Expected = ''; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'profiles that is not an array'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'eyJwcm9maWxlcyI6IHt9fQ=='; Expected = ''; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'an entry that is a string'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'eyJwcm9maWxlcyI6IFsieCJdfQ=='; Expected = ''; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'a trailing comma'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'eyJwcm9maWxlcyI6IFt7fSxdfQ=='; Expected = ''; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
    @{ Label = 'invalid UTF-8'; Name = 'NixOS'; DistributionId = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'; Icon = 'C:\Program Files\WSL\wsl.exe'; SystemDirectory = 'C:\Windows\system32'; Flavor = ''; OsVersion = ''; Template = 'eyJwcm9maWxlcyI6IFt7Im5hbWUiOiAiwyJ9XX0='; Expected = ''; FileName = '{ee603799-d7fe-5a9f-a662-e784d8a502df}.json' }
)

function Test-WslFragmentVectors {
    # One message per vector this script renders differently from wslconst.
    $failures = New-Object 'System.Collections.Generic.List[string]'
    foreach ($vector in $script:FragmentVectors) {
        $template = $null
        if ($vector.Template.Length -gt 0) {
            $template = [Convert]::FromBase64String($vector.Template)
        }
        $result = New-WslFragment -TemplateBytes $template -Name $vector.Name -DistributionId $vector.DistributionId -Icon $vector.Icon -SystemDirectory $vector.SystemDirectory -Flavor $vector.Flavor -OsVersion $vector.OsVersion
        if ($vector.Expected.Length -eq 0) {
            if ($null -ne $result.Text) {
                $failures.Add('fragment vector ''' + $vector.Label + ''': wrote a fragment where WSL writes none')
            }
            continue
        }
        $expected = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($vector.Expected))
        if ($null -eq $result.Text) {
            $failures.Add('fragment vector ''' + $vector.Label + ''': refused (' + $result.Reason + ')')
        }
        elseif (-not [string]::Equals($result.Text, $expected, [StringComparison]::Ordinal)) {
            $at = 0
            while ($at -lt $expected.Length -and $at -lt $result.Text.Length -and [int]$expected[$at] -eq [int]$result.Text[$at]) {
                $at++
            }
            $failures.Add('fragment vector ''' + $vector.Label + ''': differs from wslconst''s at character ' + $at)
        }
        elseif ($result.FileName -cne $vector.FileName) {
            $failures.Add('fragment vector ''' + $vector.Label + ''': file name ' + $result.FileName + ', wslconst''s ' + $vector.FileName)
        }
    }
    return , $failures
}

# ---------------------------------------------------------------------------
# Editing Windows Terminal's settings.json and state.json without touching a
# byte outside the edit: the text is scanned as JSON with comments and
# trailing commas, and edits splice the original text.
# ---------------------------------------------------------------------------

class JsoncNode {
    [string]$Kind
    # A member's key offset, else the value's start.
    [int]$ItemStart
    [int]$Start
    [int]$End
    # Offset of the comma after this item, -1 when none follows.
    [int]$Comma = -1
    [string]$Key
    [string]$Value
    # JsoncNode values (List[object]: a script class as a generic argument
    # is not reliable on Windows PowerShell 5.1).
    [System.Collections.Generic.List[object]]$Items

    JsoncNode([string]$kind, [int]$start) {
        $this.Kind = $kind
        $this.ItemStart = $start
        $this.Start = $start
        $this.Items = [System.Collections.Generic.List[object]]::new()
    }

    [JsoncNode] Member([string]$key) {
        foreach ($item in $this.Items) {
            if ([string]::Equals($item.Key, $key, [StringComparison]::Ordinal)) {
                return $item
            }
        }
        return $null
    }
}

class JsoncDocument {
    [string]$Text
    [JsoncNode]$Root
    # Start and end offsets of every comment, in order.
    [System.Collections.Generic.List[int[]]]$Comments
    hidden [int]$Pos

    JsoncDocument([string]$text) {
        $this.Text = $text
        $this.Pos = 0
        $this.Comments = [System.Collections.Generic.List[int[]]]::new()
        $this.Skip()
        $this.Root = $this.ReadValue()
        $this.Skip()
        if ($this.Pos -lt $text.Length) {
            $this.Fail('expected the end of the file')
        }
    }

    [int] LineOf([int]$offset) {
        $line = 1
        for ($i = 0; $i -lt $offset -and $i -lt $this.Text.Length; $i++) {
            if ([int]$this.Text[$i] -eq 10) {
                $line++
            }
        }
        return $line
    }

    [string[]] CommentTexts() {
        $texts = [System.Collections.Generic.List[string]]::new()
        foreach ($span in $this.Comments) {
            $texts.Add($this.Text.Substring($span[0], $span[1] - $span[0]))
        }
        return $texts.ToArray()
    }

    [bool] HasCommentWithin([int]$start, [int]$end) {
        foreach ($span in $this.Comments) {
            if ($span[0] -ge $start -and $span[1] -le $end) {
                return $true
            }
        }
        return $false
    }

    hidden [void] Fail([string]$message) {
        throw ('line ' + $this.LineOf($this.Pos) + ': ' + $message)
    }

    hidden [int] Peek() {
        if ($this.Pos -lt $this.Text.Length) {
            return [int]$this.Text[$this.Pos]
        }
        return -1
    }

    # Whitespace and comments; comments are recorded.
    hidden [void] Skip() {
        while ($this.Pos -lt $this.Text.Length) {
            $c = [int]$this.Text[$this.Pos]
            if ($c -eq 32 -or $c -eq 9 -or $c -eq 10 -or $c -eq 13 -or $c -eq 0xFEFF) {
                $this.Pos++
                continue
            }
            if ($c -ne 47 -or $this.Pos + 1 -ge $this.Text.Length) {
                return
            }
            $next = [int]$this.Text[$this.Pos + 1]
            $start = $this.Pos
            if ($next -eq 47) {
                $end = $this.Text.IndexOf([char]10, $this.Pos)
                if ($end -lt 0) {
                    $end = $this.Text.Length
                }
                if ($end -gt $start -and [int]$this.Text[$end - 1] -eq 13) {
                    $end--
                }
                $this.Pos = $end
            }
            elseif ($next -eq 42) {
                $end = $this.Text.IndexOf('*/', $this.Pos + 2, [StringComparison]::Ordinal)
                if ($end -lt 0) {
                    $this.Fail('a /* comment is never closed')
                }
                $this.Pos = $end + 2
            }
            else {
                return
            }
            $this.Comments.Add([int[]]@($start, $this.Pos))
        }
    }

    hidden [JsoncNode] ReadValue() {
        $c = $this.Peek()
        if ($c -eq 123) {
            return $this.ReadContainer('object', 125)
        }
        if ($c -eq 91) {
            return $this.ReadContainer('array', 93)
        }
        $node = [JsoncNode]::new('scalar', $this.Pos)
        if ($c -eq 34) {
            $node.Kind = 'string'
            $node.Value = $this.ReadString()
        }
        else {
            while ($this.Pos -lt $this.Text.Length) {
                $ch = [int]$this.Text[$this.Pos]
                $isWord = ($ch -ge 48 -and $ch -le 57) -or ($ch -ge 65 -and $ch -le 90) -or ($ch -ge 97 -and $ch -le 122) -or $ch -eq 43 -or $ch -eq 45 -or $ch -eq 46
                if (-not $isWord) {
                    break
                }
                $this.Pos++
            }
            if ($this.Pos -eq $node.Start) {
                $this.Fail('expected a value')
            }
            $node.Value = $this.Text.Substring($node.Start, $this.Pos - $node.Start)
        }
        $node.End = $this.Pos
        return $node
    }

    hidden [string] ReadString() {
        $this.Pos++
        $builder = [System.Text.StringBuilder]::new()
        while ($true) {
            $c = $this.Peek()
            if ($c -lt 0 -or $c -eq 10) {
                $this.Fail('a string is never closed')
            }
            $this.Pos++
            if ($c -eq 34) {
                return $builder.ToString()
            }
            if ($c -ne 92) {
                [void]$builder.Append([char]$c)
                continue
            }
            $e = $this.Peek()
            $this.Pos++
            if ($e -eq 117 -and $this.Pos + 4 -le $this.Text.Length) {
                $unit = 0
                if (-not [int]::TryParse($this.Text.Substring($this.Pos, 4), [System.Globalization.NumberStyles]::AllowHexSpecifier, [System.Globalization.CultureInfo]::InvariantCulture, [ref]$unit)) {
                    $this.Fail('\u must be followed by four hex digits')
                }
                [void]$builder.Append([char]$unit)
                $this.Pos += 4
            }
            elseif ($e -eq 110) {
                [void]$builder.Append([char]10)
            }
            elseif ($e -eq 116) {
                [void]$builder.Append([char]9)
            }
            elseif ($e -eq 114) {
                [void]$builder.Append([char]13)
            }
            elseif ($e -eq 98) {
                [void]$builder.Append([char]8)
            }
            elseif ($e -eq 102) {
                [void]$builder.Append([char]12)
            }
            elseif ($e -eq 34 -or $e -eq 92 -or $e -eq 47) {
                [void]$builder.Append([char]$e)
            }
            else {
                $this.Fail('invalid escape in a string')
            }
        }
        return ''
    }

    hidden [JsoncNode] ReadContainer([string]$kind, [int]$close) {
        $node = [JsoncNode]::new($kind, $this.Pos)
        $this.Pos++
        while ($true) {
            $this.Skip()
            if ($this.Peek() -eq $close) {
                $this.Pos++
                $node.End = $this.Pos
                return $node
            }
            $itemStart = $this.Pos
            $key = $null
            if ($kind -ceq 'object') {
                if ($this.Peek() -ne 34) {
                    $this.Fail('expected a quoted key')
                }
                $key = $this.ReadString()
                $this.Skip()
                if ($this.Peek() -ne 58) {
                    $this.Fail('expected '':'' after a key')
                }
                $this.Pos++
                $this.Skip()
            }
            $item = $this.ReadValue()
            $item.ItemStart = $itemStart
            $item.Key = $key
            $node.Items.Add($item)
            $this.Skip()
            $c = $this.Peek()
            if ($c -eq 44) {
                $item.Comma = $this.Pos
                $this.Pos++
                continue
            }
            if ($c -ne $close) {
                $this.Fail('expected '','' or the end of the ' + $kind)
            }
        }
        return $null
    }
}

function New-JsoncEdit {
    # Replace Text[Start..End) with Replacement ('' removes, Start = End inserts).
    param([int]$Start, [int]$End, [string]$Replacement = '')
    return [pscustomobject]@{ Start = $Start; End = $End; Replacement = $Replacement }
}

function Get-JsoncRemovalEdits {
    # The edits that remove $Items (children of $Container) from $Document:
    # each item with its comma, whole lines when nothing else is on them, and
    # the comma left dangling before a removed last item unless the file
    # already ended the list with a comma. Comments between items stay.
    param(
        [Parameter(Mandatory = $true)][JsoncDocument]$Document,
        [Parameter(Mandatory = $true)][JsoncNode]$Container,
        [Parameter(Mandatory = $true)][object[]]$Items
    )
    $text = $Document.Text
    $edits = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Items) {
        $start = $item.ItemStart
        $end = $item.End
        if ($item.Comma -ge 0) {
            if ($text.Substring($end, $item.Comma - $end).Trim().Length -eq 0) {
                $end = $item.Comma + 1
            }
            else {
                $edits.Add((New-JsoncEdit -Start $item.Comma -End ($item.Comma + 1)))
            }
        }
        $lineStart = $start
        while ($lineStart -gt 0 -and ([int]$text[$lineStart - 1] -eq 32 -or [int]$text[$lineStart - 1] -eq 9)) {
            $lineStart--
        }
        $lineEnd = $end
        while ($lineEnd -lt $text.Length -and ([int]$text[$lineEnd] -eq 32 -or [int]$text[$lineEnd] -eq 9)) {
            $lineEnd++
        }
        $startsLine = $lineStart -eq 0 -or [int]$text[$lineStart - 1] -eq 10
        $endsLine = $lineEnd -ge $text.Length -or [int]$text[$lineEnd] -eq 10 -or [int]$text[$lineEnd] -eq 13
        if ($startsLine -and $endsLine) {
            $start = $lineStart
            $end = $lineEnd
            if ($end -lt $text.Length -and [int]$text[$end] -eq 13) {
                $end++
            }
            if ($end -lt $text.Length -and [int]$text[$end] -eq 10) {
                $end++
            }
        }
        $edits.Add((New-JsoncEdit -Start $start -End $end))
    }
    $all = $Container.Items
    $last = $all[$all.Count - 1]
    if (($Items -contains $last) -and $last.Comma -lt 0) {
        for ($i = $all.Count - 1; $i -ge 0; $i--) {
            if ($Items -notcontains $all[$i]) {
                if ($all[$i].Comma -ge 0) {
                    $edits.Add((New-JsoncEdit -Start $all[$i].Comma -End ($all[$i].Comma + 1)))
                }
                break
            }
        }
    }
    return , $edits
}

function Invoke-JsoncEdits {
    # $Text with the edits applied; they never overlap.
    param(
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][System.Collections.Generic.List[object]]$Edits
    )
    $builder = [System.Text.StringBuilder]::new()
    $at = 0
    foreach ($edit in @($Edits | Sort-Object -Property Start, End)) {
        [void]$builder.Append($Text, $at, $edit.Start - $at)
        [void]$builder.Append($edit.Replacement)
        $at = $edit.End
    }
    [void]$builder.Append($Text, $at, $Text.Length - $at)
    return $builder.ToString()
}

function Test-SameGuid {
    # Terminal matches profile GUIDs whatever their case or braces.
    param([AllowNull()][string]$Left, [AllowNull()][string]$Right)
    $a = [Guid]::Empty
    $b = [Guid]::Empty
    return ($null -ne $Left) -and ($null -ne $Right) -and [Guid]::TryParse($Left, [ref]$a) -and [Guid]::TryParse($Right, [ref]$b) -and $a -eq $b
}

function Get-TerminalProfileList {
    # settings.json's profile list: profiles.list, or profiles as a bare array.
    param([Parameter(Mandatory = $true)][JsoncDocument]$Document)
    if ($Document.Root.Kind -cne 'object') {
        return $null
    }
    $profiles = $Document.Root.Member('profiles')
    if ($null -eq $profiles) {
        return $null
    }
    if ($profiles.Kind -ceq 'array') {
        return $profiles
    }
    if ($profiles.Kind -ceq 'object') {
        $list = $profiles.Member('list')
        if ($null -ne $list -and $list.Kind -ceq 'array') {
            return $list
        }
    }
    return $null
}

function Edit-TerminalSettingsText {
    # Removes the profiles whose guid is one of $StaleGuids and points
    # defaultProfile at $DefaultGuid when it is given (or when it named a
    # stale GUID and $ReplacementGuid is given). Returns the new Text and a
    # list of Changes, or Manual instructions when a safe edit is impossible.
    param(
        [Parameter(Mandatory = $true)][string]$Text,
        [AllowEmptyCollection()][string[]]$StaleGuids = @(),
        [AllowNull()][string]$DefaultGuid,
        [AllowNull()][string]$ReplacementGuid
    )
    $changes = [System.Collections.Generic.List[string]]::new()
    $manual = [System.Collections.Generic.List[string]]::new()
    try {
        $document = [JsoncDocument]::new($Text)
    }
    catch {
        $manual.Add('it cannot be read as JSON with comments (' + $_.Exception.Message + ')')
        foreach ($guid in $StaleGuids) {
            $manual.Add('remove the profile with "guid": "' + $guid + '"')
        }
        return [pscustomobject]@{ Text = $Text; Changes = $changes; Manual = $manual }
    }
    $edits = [System.Collections.Generic.List[object]]::new()
    $list = Get-TerminalProfileList -Document $document
    if ($StaleGuids.Count -gt 0 -and $null -ne $list) {
        $stale = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $list.Items) {
            if ($item.Kind -cne 'object') {
                continue
            }
            $guidNode = $item.Member('guid')
            if ($null -eq $guidNode -or $guidNode.Kind -cne 'string') {
                continue
            }
            foreach ($guid in $StaleGuids) {
                if (Test-SameGuid $guidNode.Value $guid) {
                    if ($document.HasCommentWithin($item.ItemStart, $item.End)) {
                        $manual.Add('remove the profile with "guid": "' + $guidNode.Value + '" at line ' + $document.LineOf($item.Start) + ' (it holds comments, which this script never deletes)')
                    }
                    else {
                        $stale.Add($item)
                        $changes.Add('removed the profile with "guid": "' + $guidNode.Value + '" (line ' + $document.LineOf($item.Start) + ')')
                    }
                    break
                }
            }
        }
        if ($stale.Count -gt 0) {
            foreach ($edit in (Get-JsoncRemovalEdits -Document $document -Container $list -Items $stale.ToArray())) {
                $edits.Add($edit)
            }
        }
    }
    $newDefault = $DefaultGuid
    $current = $null
    if ($document.Root.Kind -ceq 'object') {
        $current = $document.Root.Member('defaultProfile')
    }
    if (-not $newDefault -and $ReplacementGuid -and $null -ne $current -and $current.Kind -ceq 'string') {
        foreach ($guid in $StaleGuids) {
            if (Test-SameGuid $current.Value $guid) {
                $newDefault = $ReplacementGuid
            }
        }
    }
    if ($newDefault) {
        if ($document.Root.Kind -cne 'object') {
            $manual.Add('set "defaultProfile": "' + $newDefault + '" (the file''s root is not an object)')
        }
        elseif ($null -ne $current -and ($current.Kind -ceq 'string' -or $current.Kind -ceq 'scalar')) {
            if (-not ($current.Kind -ceq 'string' -and [string]::Equals($current.Value, $newDefault, [StringComparison]::Ordinal))) {
                $edits.Add((New-JsoncEdit -Start $current.Start -End $current.End -Replacement ('"' + $newDefault + '"')))
                $changes.Add('set "defaultProfile" to ' + $newDefault + ' (line ' + $document.LineOf($current.Start) + ')')
            }
        }
        elseif ($null -ne $current) {
            $manual.Add('set "defaultProfile" at line ' + $document.LineOf($current.Start) + ' to "' + $newDefault + '"')
        }
        else {
            $newline = [string][char]10
            if ($Text.Contains([string][char]13 + [char]10)) {
                $newline = [string][char]13 + [char]10
            }
            $indent = '    '
            $root = $document.Root
            if ($root.Items.Count -gt 0) {
                $first = $root.Items[0].ItemStart
                $lineStart = $first
                while ($lineStart -gt 0 -and ([int]$Text[$lineStart - 1] -eq 32 -or [int]$Text[$lineStart - 1] -eq 9)) {
                    $lineStart--
                }
                if ($lineStart -eq 0 -or [int]$Text[$lineStart - 1] -eq 10) {
                    $indent = $Text.Substring($lineStart, $first - $lineStart)
                }
            }
            $comma = ''
            if ($root.Items.Count -gt 0) {
                $comma = ','
            }
            $at = $root.Start + 1
            $edits.Add((New-JsoncEdit -Start $at -End $at -Replacement ($newline + $indent + '"defaultProfile": "' + $newDefault + '"' + $comma)))
            $changes.Add('added "defaultProfile": "' + $newDefault + '"')
        }
    }
    $result = Invoke-JsoncEdits -Text $Text -Edits $edits
    return [pscustomobject]@{ Text = $result; Changes = $changes; Manual = $manual }
}

function Edit-TerminalStateText {
    # Removes the stale GUIDs from state.json's generatedProfiles.
    param(
        [Parameter(Mandatory = $true)][string]$Text,
        [Parameter(Mandatory = $true)][string[]]$StaleGuids
    )
    $changes = [System.Collections.Generic.List[string]]::new()
    $manual = [System.Collections.Generic.List[string]]::new()
    try {
        $document = [JsoncDocument]::new($Text)
    }
    catch {
        $manual.Add('it cannot be read as JSON (' + $_.Exception.Message + '); remove ' + ($StaleGuids -join ', ') + ' from "generatedProfiles"')
        return [pscustomobject]@{ Text = $Text; Changes = $changes; Manual = $manual }
    }
    $generated = $null
    if ($document.Root.Kind -ceq 'object') {
        $generated = $document.Root.Member('generatedProfiles')
    }
    if ($null -eq $generated -or $generated.Kind -cne 'array') {
        return [pscustomobject]@{ Text = $Text; Changes = $changes; Manual = $manual }
    }
    $stale = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $generated.Items) {
        foreach ($guid in $StaleGuids) {
            if ($item.Kind -ceq 'string' -and (Test-SameGuid $item.Value $guid)) {
                $stale.Add($item)
                $changes.Add('removed ' + $item.Value + ' from "generatedProfiles"')
                break
            }
        }
    }
    if ($stale.Count -eq 0) {
        return [pscustomobject]@{ Text = $Text; Changes = $changes; Manual = $manual }
    }
    $edits = Get-JsoncRemovalEdits -Document $document -Container $generated -Items $stale.ToArray()
    return [pscustomobject]@{ Text = (Invoke-JsoncEdits -Text $Text -Edits $edits); Changes = $changes; Manual = $manual }
}

# Edits and their exact results, written by hand in wslconst.
$script:SettingsEditVectors = @(
    @{ Label = 'comments, a trailing comma, an upper-case stale GUID, defaultProfile moved'; Kind = 'settings'; Input = 'ewogICAgLy8gbXkgc2V0dGluZ3MKICAgICJkZWZhdWx0UHJvZmlsZSI6ICJ7NUYyQThEN0UtMUMzQi01RTRGLTlBNkItN0M4RDlFMEYxQTJCfSIsCiAgICAicHJvZmlsZXMiOiB7CiAgICAgICAgImxpc3QiOiBbCiAgICAgICAgICAgIHsgImd1aWQiOiAiezYxYzU0YmJkLWMyYzYtNTI3MS05NmU3LTAwOWE4N2ZmNDRiZn0iLCAibmFtZSI6ICJXaW5kb3dzIFBvd2VyU2hlbGwiIH0sIC8vIGtlZXAgbWUKICAgICAgICAgICAgewogICAgICAgICAgICAgICAgImd1aWQiOiAiezVGMkE4RDdFLTFDM0ItNUU0Ri05QTZCLTdDOEQ5RTBGMUEyQn0iLAogICAgICAgICAgICAgICAgImhpZGRlbiI6IGZhbHNlLAogICAgICAgICAgICAgICAgIm5hbWUiOiAiTml4T1MiLAogICAgICAgICAgICAgICAgInNvdXJjZSI6ICJNaWNyb3NvZnQuV1NMIgogICAgICAgICAgICB9LAogICAgICAgICAgICAvKiDDnG7Dr2PDuGTDqSDigJhjb21tZW504oCZICovCiAgICAgICAgICAgIHsgImd1aWQiOiAiezJjNGRlMzQyLTM4YjctNTFjZi1iOTQwLTIzMDlhMDk3ZjUxOH0iIH0sCiAgICAgICAgXQogICAgfQp9Cg=='; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = ''; Replacement = '{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}'; Expected = 'ewogICAgLy8gbXkgc2V0dGluZ3MKICAgICJkZWZhdWx0UHJvZmlsZSI6ICJ7MGIxYzJkM2UtNGY1MC01NjE3LTg4MjktM2E0YjVjNmQ3ZThmfSIsCiAgICAicHJvZmlsZXMiOiB7CiAgICAgICAgImxpc3QiOiBbCiAgICAgICAgICAgIHsgImd1aWQiOiAiezYxYzU0YmJkLWMyYzYtNTI3MS05NmU3LTAwOWE4N2ZmNDRiZn0iLCAibmFtZSI6ICJXaW5kb3dzIFBvd2VyU2hlbGwiIH0sIC8vIGtlZXAgbWUKICAgICAgICAgICAgLyogw5xuw69jw7hkw6kg4oCYY29tbWVudOKAmSAqLwogICAgICAgICAgICB7ICJndWlkIjogInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9IiB9LAogICAgICAgIF0KICAgIH0KfQo='; Manual = 0 }
    @{ Label = 'CRLF, profiles as a bare array, the last entry removed, defaultProfile added'; Kind = 'settings'; Input = 'ew0KICAicHJvZmlsZXMiOiBbDQogICAgeyJndWlkIjogInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9In0sDQogICAgeyJndWlkIjogIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9In0NCiAgXQ0KfQ0K'; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = '{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}'; Replacement = '{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}'; Expected = 'ew0KICAiZGVmYXVsdFByb2ZpbGUiOiAiezBiMWMyZDNlLTRmNTAtNTYxNy04ODI5LTNhNGI1YzZkN2U4Zn0iLA0KICAicHJvZmlsZXMiOiBbDQogICAgeyJndWlkIjogInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9In0NCiAgXQ0KfQ0K'; Manual = 0 }
    @{ Label = 'a stale profile holding a comment is left to the user'; Kind = 'settings'; Input = 'ewogICJwcm9maWxlcyI6IHsgImxpc3QiOiBbCiAgICB7ICJndWlkIjogIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9IiwgLy8gd2h5IEkga2VlcCB0aGlzCiAgICAgICJuYW1lIjogIk5peE9TIiB9CiAgXSB9Cn0='; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = ''; Replacement = ''; Expected = 'ewogICJwcm9maWxlcyI6IHsgImxpc3QiOiBbCiAgICB7ICJndWlkIjogIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9IiwgLy8gd2h5IEkga2VlcCB0aGlzCiAgICAgICJuYW1lIjogIk5peE9TIiB9CiAgXSB9Cn0='; Manual = 1 }
    @{ Label = 'state.json generatedProfiles, the middle entry removed'; Kind = 'state'; Input = 'ewogICAgImdlbmVyYXRlZFByb2ZpbGVzIjogWwogICAgICAgICJ7NjFjNTRiYmQtYzJjNi01MjcxLTk2ZTctMDA5YTg3ZmY0NGJmfSIsCiAgICAgICAgIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9IiwKICAgICAgICAiezJjNGRlMzQyLTM4YjctNTFjZi1iOTQwLTIzMDlhMDk3ZjUxOH0iCiAgICBdLAogICAgImRpc21pc3NlZE1lc3NhZ2VzIjogW10KfQ=='; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = ''; Replacement = ''; Expected = 'ewogICAgImdlbmVyYXRlZFByb2ZpbGVzIjogWwogICAgICAgICJ7NjFjNTRiYmQtYzJjNi01MjcxLTk2ZTctMDA5YTg3ZmY0NGJmfSIsCiAgICAgICAgInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9IgogICAgXSwKICAgICJkaXNtaXNzZWRNZXNzYWdlcyI6IFtdCn0='; Manual = 0 }
)

function Test-WslSettingsEditVectors {
    # One message per vector this script edits differently.
    $failures = New-Object 'System.Collections.Generic.List[string]'
    foreach ($vector in $script:SettingsEditVectors) {
        $utf8 = [System.Text.Encoding]::UTF8
        $text = $utf8.GetString([Convert]::FromBase64String($vector.Input))
        $expected = $utf8.GetString([Convert]::FromBase64String($vector.Expected))
        $stale = @()
        if ($vector.Stale.Length -gt 0) {
            $stale = $vector.Stale.Split([char]',')
        }
        try {
            if ($vector.Kind -ceq 'settings') {
                $edit = Edit-TerminalSettingsText -Text $text -StaleGuids $stale -DefaultGuid $vector.Default -ReplacementGuid $vector.Replacement
            }
            else {
                $edit = Edit-TerminalStateText -Text $text -StaleGuids $stale
            }
        }
        catch {
            $failures.Add('settings edit vector ''' + $vector.Label + ''': ' + $_.Exception.Message)
            continue
        }
        if (-not [string]::Equals($edit.Text, $expected, [StringComparison]::Ordinal)) {
            $failures.Add('settings edit vector ''' + $vector.Label + ''': the edited text differs')
        }
        elseif ($edit.Manual.Count -ne $vector.Manual) {
            $failures.Add('settings edit vector ''' + $vector.Label + ''': ' + $edit.Manual.Count + ' changes left to the user, expected ' + $vector.Manual)
        }
    }
    return , $failures
}

# ---------------------------------------------------------------------------
# /etc/wsl-distribution.conf as WSL's init reads it (ParseConfigFile in
# src/shared/configfile/configfile.cpp): byte by byte, and a malformed line
# stops the parse, silently dropping every key after it.
# ---------------------------------------------------------------------------

class WslConfParser {
    [System.Collections.Generic.List[object]]$Entries
    [int]$StopLine = 0
    [string]$StopReason = ''
    hidden [byte[]]$Bytes
    hidden [int]$Pos = 0
    hidden [bool]$Eof = $false

    WslConfParser([byte[]]$bytes) {
        $this.Bytes = $bytes
        $this.Entries = [System.Collections.Generic.List[object]]::new()
        $this.Parse()
    }

    hidden [int] Get() {
        if ($this.Pos -lt $this.Bytes.Length) {
            $b = [int]$this.Bytes[$this.Pos]
            $this.Pos++
            return $b
        }
        $this.Eof = $true
        return -1
    }

    hidden [void] Unget([int]$c) {
        if ($c -ge 0) {
            $this.Pos--
        }
    }

    # The line of the byte just read.
    hidden [int] Line() {
        $line = 1
        for ($i = 0; $i -lt $this.Pos - 1; $i++) {
            if ($this.Bytes[$i] -eq 10) {
                $line++
            }
        }
        return $line
    }

    hidden [void] Stop([string]$reason) {
        $this.StopLine = $this.Line()
        $this.StopReason = $reason
    }

    static [bool] IsAlpha([int]$c) {
        return ($c -ge 65 -and $c -le 90) -or ($c -ge 97 -and $c -le 122)
    }

    static [bool] IsAlnum([int]$c) {
        return [WslConfParser]::IsAlpha($c) -or ($c -ge 48 -and $c -le 57)
    }

    static [bool] IsBlank([int]$c) {
        return $c -eq 32 -or $c -eq 9
    }

    hidden [void] Parse() {
        $ch = 0
        $section = ''
        while ($true) {
            if ($ch -eq 35) {
                do {
                    $ch = $this.Get()
                    if ($ch -eq 13) {
                        $ch = $this.Get()
                    }
                } while ($ch -ne 10 -and $ch -ne -1)
            }
            if ($this.Eof) {
                return
            }
            do {
                $ch = $this.Get()
            } while ([WslConfParser]::IsBlank($ch))
            if ($ch -eq -1 -or $ch -eq 10 -or $ch -eq 35) {
                continue
            }
            if ($ch -eq 13) {
                $next = $this.Get()
                if ($next -ne 10) {
                    $this.Unget($next)
                }
                continue
            }
            if ($ch -eq 91) {
                $ch = $this.Get()
                if (-not [WslConfParser]::IsAlpha($ch)) {
                    $this.Stop('invalid section name')
                    return
                }
                $name = ''
                while ([WslConfParser]::IsAlnum($ch)) {
                    $name += [string][char]$ch
                    $ch = $this.Get()
                }
                if ($ch -ne 93) {
                    $this.Stop('expected '']'' after [' + $name)
                    return
                }
                do {
                    $ch = $this.Get()
                } while ([WslConfParser]::IsBlank($ch))
                if ($ch -ne -1 -and $ch -ne 10 -and $ch -ne 13 -and $ch -ne 35) {
                    $this.Stop('text after [' + $name + ']')
                    return
                }
                $section = $name
                continue
            }
            if (-not [WslConfParser]::IsAlpha($ch)) {
                $this.Stop('a line must start with a letter, ''['', ''#'' or a blank')
                return
            }
            $line = $this.Line()
            $key = ''
            if ($section.Length -gt 0) {
                $key = $section + '.'
            }
            while ([WslConfParser]::IsAlnum($ch)) {
                $key += [string][char]$ch
                $ch = $this.Get()
            }
            while ([WslConfParser]::IsBlank($ch)) {
                $ch = $this.Get()
            }
            if ($ch -ne 61) {
                $this.Stop('expected ''='' after ' + $key)
                return
            }
            do {
                $ch = $this.Get()
            } while ([WslConfParser]::IsBlank($ch))
            $value = [System.Collections.Generic.List[byte]]::new()
            $kept = 0
            $inQuote = $false
            while ($ch -ne -1 -and $ch -ne 10 -and $ch -ne 13) {
                if ($ch -eq 34) {
                    $inQuote = -not $inQuote
                }
                elseif ($ch -eq 92) {
                    $escaped = $this.Get()
                    if ($escaped -eq 92 -or $escaped -eq 34) {
                        $value.Add([byte]$escaped)
                    }
                    elseif ($escaped -eq 98) {
                        $value.Add([byte]8)
                    }
                    elseif ($escaped -eq 110) {
                        $value.Add([byte]10)
                    }
                    elseif ($escaped -eq 116) {
                        $value.Add([byte]9)
                    }
                    elseif ($escaped -ne 13 -and $escaped -ne 10) {
                        $this.Stop('invalid escape in the value of ' + $key)
                        return
                    }
                }
                elseif ($ch -eq 35 -and -not $inQuote) {
                    break
                }
                else {
                    $value.Add([byte]$ch)
                }
                if (-not [WslConfParser]::IsBlank($ch)) {
                    $kept = $value.Count
                }
                $ch = $this.Get()
            }
            if ($inQuote) {
                $this.Stop('unterminated quote in the value of ' + $key)
                return
            }
            $value.RemoveRange($kept, $value.Count - $kept)
            $this.Entries.Add([pscustomobject]@{ Key = $key; Value = $value.ToArray(); Line = $line })
        }
    }

    # The first value of $key (matched ignoring case), or $null.
    [byte[]] First([string]$key) {
        foreach ($entry in $this.Entries) {
            if ([string]::Equals($entry.Key, $key, [StringComparison]::OrdinalIgnoreCase)) {
                return $entry.Value
            }
        }
        return $null
    }
}

function Get-WslTerminalSettings {
    # What WSL's init takes from wsl-distribution.conf for the Terminal:
    # Enabled (windowsterminal.enabled, default true; a value other than
    # true/false/1/0 keeps the default) and TemplatePath (or '').
    param([AllowNull()][byte[]]$ConfBytes)
    $enabled = $true
    $template = ''
    $stop = ''
    if ($null -ne $ConfBytes) {
        $parser = [WslConfParser]::new($ConfBytes)
        if ($parser.StopLine -gt 0) {
            $stop = 'line ' + $parser.StopLine + ': ' + $parser.StopReason + '; WSL ignores every key after it'
        }
        $raw = $parser.First('windowsterminal.enabled')
        if ($null -ne $raw) {
            $text = [System.Text.Encoding]::UTF8.GetString($raw)
            if ($text -eq '0' -or [string]::Equals($text, 'false', [StringComparison]::OrdinalIgnoreCase)) {
                $enabled = $false
            }
        }
        $raw = $parser.First('windowsterminal.profileTemplate')
        if ($null -ne $raw) {
            # A C string: a NUL byte ends it.
            $length = [Array]::IndexOf($raw, [byte]0)
            if ($length -lt 0) {
                $length = $raw.Length
            }
            $template = [System.Text.Encoding]::UTF8.GetString($raw, 0, $length)
        }
    }
    return [pscustomobject]@{ Enabled = $enabled; TemplatePath = $template; Stop = $stop }
}

# ---------------------------------------------------------------------------
# Windows-side places and wsl.exe
# ---------------------------------------------------------------------------

$script:DistroNamePattern = '^[a-zA-Z0-9._-]{1,256}$'
$script:LegacyDistroName = 'Legacy'
$script:DistributionConf = '/etc/wsl-distribution.conf'
$script:ShippedIconName = 'shortcut.ico'
$script:MaxTemplateSize = 1048576
$script:WslFragmentsRelative = 'Microsoft\Windows Terminal\Fragments\Microsoft.WSL'
$script:TerminalInstalls = @(
    @{ Channel = 'stable'; Folder = 'LocalApplicationData'; Relative = 'Packages\Microsoft.WindowsTerminal_8wekyb3d8bbwe\LocalState' }
    @{ Channel = 'preview'; Folder = 'LocalApplicationData'; Relative = 'Packages\Microsoft.WindowsTerminalPreview_8wekyb3d8bbwe\LocalState' }
    @{ Channel = 'canary'; Folder = 'LocalApplicationData'; Relative = 'Packages\Microsoft.WindowsTerminalCanary_8wekyb3d8bbwe\LocalState' }
    @{ Channel = 'unpackaged'; Folder = 'LocalApplicationData'; Relative = 'Microsoft\Windows Terminal' }
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
        if (-not (Test-Path -LiteralPath (Join-Path $portable '.portable') -PathType Leaf)) {
            Write-Warning ($portable + ' has no .portable file, so Terminal does not run it as a portable install; its settings are left alone')
            continue
        }
        $folder = Join-Path $portable 'settings'
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