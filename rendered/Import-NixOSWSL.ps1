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
    2.4.4 or later (wsl.exe --version), a valid -Name, a readable image,
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
WindowsTerminal.exe and its .portable file) whose settings are
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
Rendered by wslconst 0.1.0 from templates/Import-NixOSWSL.ps1; do not edit, re-render.
Constants read from microsoft/WSL@3e27a6a50177ce4e32e72f7b957aef5db5768062 and microsoft/terminal@20588130d8ef2ba40eb56bdae88e04cce7fc5b5d.
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

    [string[]]$PortableTerminal = @(),

    [switch]$AllowElevated
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
    # Twin of wslconst::tier1 (docs/DESIGN.md, "Rules with twins").
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$DistroName)
    return New-WslUuidV5 -Namespace $script:TerminalProfileNamespace -Name $DistroName
}

function Get-WslTier2Guid {
    # The profile in WSL's own fragment: v5(WSL's namespace, the registry id
    # written lower case with braces), however the id was typed.
    # Twin of wslconst::tier2.
    param([Parameter(Mandatory = $true)][string]$DistributionId)
    $id = [Guid]::Parse($DistributionId).ToString('B')
    return New-WslUuidV5 -Namespace $script:WslTerminalNamespace -Name $id
}

function Get-WslFragmentProfileGuid {
    # A fragment profile without a guid: v5(v5(runtime namespace, source), name),
    # where source is the fragment's folder name.
    # Twin of wslconst::fragment_profile.
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
# WSL's per-user registry: one subkey per distro, named by its distribution id
# (value names from DistributionRegistration.h in microsoft/WSL).
# ---------------------------------------------------------------------------

$script:LxssKey = 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Lxss'

function Get-WslRegistrations {
    # Every registered distro of this user, with the values as WSL wrote them.
    if (-not (Test-Path -LiteralPath $script:LxssKey)) {
        return
    }
    foreach ($key in @(Get-ChildItem -LiteralPath $script:LxssKey)) {
        $distroName = $key.GetValue('DistributionName')
        $id = [Guid]::Empty
        if (-not ($distroName -is [string]) -or -not [Guid]::TryParse($key.PSChildName, [ref]$id)) {
            continue
        }
        [pscustomobject]@{
            Name                = $distroName
            DistributionId      = $id.ToString('B')
            BasePath            = [string]$key.GetValue('BasePath')
            Flags               = $key.GetValue('Flags')
            Modern              = $key.GetValue('Modern')
            TerminalProfilePath = [string]$key.GetValue('TerminalProfilePath')
        }
    }
}

function Get-WslRegistration {
    # The registration of the distro named $Name (WSL compares names ignoring
    # case), or $null.
    param([Parameter(Mandatory = $true)][string]$Name)
    foreach ($registration in @(Get-WslRegistrations)) {
        if ([string]::Equals($registration.Name, $Name, [StringComparison]::OrdinalIgnoreCase)) {
            return $registration
        }
    }
    return $null
}

function Get-WslDefaultDistributionId {
    # The distribution id in Lxss\DefaultDistribution (the distro wsl.exe
    # starts without -d), lower case with braces, or $null.
    if (-not (Test-Path -LiteralPath $script:LxssKey)) {
        return $null
    }
    $value = (Get-Item -LiteralPath $script:LxssKey).GetValue('DefaultDistribution')
    $id = [Guid]::Empty
    if (-not ($value -is [string]) -or -not [Guid]::TryParse($value, [ref]$id)) {
        return $null
    }
    return $id.ToString('B')
}

# ---------------------------------------------------------------------------
# Editing Windows Terminal's settings.json without touching a byte outside
# the edit: the text is scanned as JSON with comments and trailing commas,
# and edits splice the original text.
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
    # Twin of wslconst_model::settings::edit: both are held to the same
    # SETTINGS_EDIT_VECTORS (wslconst_model::settings::vectors).
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

# Edits and their exact results, written by hand in wslconst.
$script:SettingsEditVectors = @(
    @{ Label = 'comments, a trailing comma, an upper-case stale GUID, defaultProfile moved'; Input = 'ewogICAgLy8gbXkgc2V0dGluZ3MKICAgICJkZWZhdWx0UHJvZmlsZSI6ICJ7NUYyQThEN0UtMUMzQi01RTRGLTlBNkItN0M4RDlFMEYxQTJCfSIsCiAgICAicHJvZmlsZXMiOiB7CiAgICAgICAgImxpc3QiOiBbCiAgICAgICAgICAgIHsgImd1aWQiOiAiezYxYzU0YmJkLWMyYzYtNTI3MS05NmU3LTAwOWE4N2ZmNDRiZn0iLCAibmFtZSI6ICJXaW5kb3dzIFBvd2VyU2hlbGwiIH0sIC8vIGtlZXAgbWUKICAgICAgICAgICAgewogICAgICAgICAgICAgICAgImd1aWQiOiAiezVGMkE4RDdFLTFDM0ItNUU0Ri05QTZCLTdDOEQ5RTBGMUEyQn0iLAogICAgICAgICAgICAgICAgImhpZGRlbiI6IGZhbHNlLAogICAgICAgICAgICAgICAgIm5hbWUiOiAiTml4T1MiLAogICAgICAgICAgICAgICAgInNvdXJjZSI6ICJNaWNyb3NvZnQuV1NMIgogICAgICAgICAgICB9LAogICAgICAgICAgICAvKiDDnG7Dr2PDuGTDqSDigJhjb21tZW504oCZICovCiAgICAgICAgICAgIHsgImd1aWQiOiAiezJjNGRlMzQyLTM4YjctNTFjZi1iOTQwLTIzMDlhMDk3ZjUxOH0iIH0sCiAgICAgICAgXQogICAgfQp9Cg=='; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = ''; Replacement = '{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}'; Expected = 'ewogICAgLy8gbXkgc2V0dGluZ3MKICAgICJkZWZhdWx0UHJvZmlsZSI6ICJ7MGIxYzJkM2UtNGY1MC01NjE3LTg4MjktM2E0YjVjNmQ3ZThmfSIsCiAgICAicHJvZmlsZXMiOiB7CiAgICAgICAgImxpc3QiOiBbCiAgICAgICAgICAgIHsgImd1aWQiOiAiezYxYzU0YmJkLWMyYzYtNTI3MS05NmU3LTAwOWE4N2ZmNDRiZn0iLCAibmFtZSI6ICJXaW5kb3dzIFBvd2VyU2hlbGwiIH0sIC8vIGtlZXAgbWUKICAgICAgICAgICAgLyogw5xuw69jw7hkw6kg4oCYY29tbWVudOKAmSAqLwogICAgICAgICAgICB7ICJndWlkIjogInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9IiB9LAogICAgICAgIF0KICAgIH0KfQo='; Manual = 0 }
    @{ Label = 'CRLF, profiles as a bare array, the last entry removed, defaultProfile added'; Input = 'ew0KICAicHJvZmlsZXMiOiBbDQogICAgeyJndWlkIjogInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9In0sDQogICAgeyJndWlkIjogIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9In0NCiAgXQ0KfQ0K'; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = '{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}'; Replacement = '{0b1c2d3e-4f50-5617-8829-3a4b5c6d7e8f}'; Expected = 'ew0KICAiZGVmYXVsdFByb2ZpbGUiOiAiezBiMWMyZDNlLTRmNTAtNTYxNy04ODI5LTNhNGI1YzZkN2U4Zn0iLA0KICAicHJvZmlsZXMiOiBbDQogICAgeyJndWlkIjogInsyYzRkZTM0Mi0zOGI3LTUxY2YtYjk0MC0yMzA5YTA5N2Y1MTh9In0NCiAgXQ0KfQ0K'; Manual = 0 }
    @{ Label = 'a stale profile holding a comment is left to the user'; Input = 'ewogICJwcm9maWxlcyI6IHsgImxpc3QiOiBbCiAgICB7ICJndWlkIjogIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9IiwgLy8gd2h5IEkga2VlcCB0aGlzCiAgICAgICJuYW1lIjogIk5peE9TIiB9CiAgXSB9Cn0='; Stale = '{5f2a8d7e-1c3b-5e4f-9a6b-7c8d9e0f1a2b}'; Default = ''; Replacement = ''; Expected = 'ewogICJwcm9maWxlcyI6IHsgImxpc3QiOiBbCiAgICB7ICJndWlkIjogIns1ZjJhOGQ3ZS0xYzNiLTVlNGYtOWE2Yi03YzhkOWUwZjFhMmJ9IiwgLy8gd2h5IEkga2VlcCB0aGlzCiAgICAgICJuYW1lIjogIk5peE9TIiB9CiAgXSB9Cn0='; Manual = 1 }
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
            $edit = Edit-TerminalSettingsText -Text $text -StaleGuids $stale -DefaultGuid $vector.Default -ReplacementGuid $vector.Replacement
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
# Windows-side places and wsl.exe
# ---------------------------------------------------------------------------

$script:DistroNamePattern = '^[a-zA-Z0-9._-]{1,256}\z'
$script:LegacyDistroName = 'Legacy'
$script:MinimumWslVersion = [version]'2.4.4'
$script:VmModeFlag = 8
$script:PortableMarker = '.portable'
$script:PortableSettingsDir = 'settings'
$script:TerminalInstalls = @(
    @{ Channel = 'stable'; Folder = 'LocalApplicationData'; Relative = 'Packages\Microsoft.WindowsTerminal_8wekyb3d8bbwe\LocalState' }
    @{ Channel = 'preview'; Folder = 'LocalApplicationData'; Relative = 'Packages\Microsoft.WindowsTerminalPreview_8wekyb3d8bbwe\LocalState' }
    @{ Channel = 'canary'; Folder = 'LocalApplicationData'; Relative = 'Packages\Microsoft.WindowsTerminalCanary_8wekyb3d8bbwe\LocalState' }
    @{ Channel = 'unpackaged'; Folder = 'LocalApplicationData'; Relative = 'Microsoft\Windows Terminal' }
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