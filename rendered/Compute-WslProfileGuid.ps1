<#
.SYNOPSIS
Computes the GUIDs Windows Terminal and WSL give a WSL distro's profiles.

.DESCRIPTION
Windows Terminal profiles for WSL distros are named by UUIDv5 GUIDs over
UTF-16LE names:

  Tier 1   Terminal's own generated profile for a distro, and the profile
           WSL's fragment hides: v5(Terminal profile namespace, distro name).
  Tier 2   the profile in WSL's fragment: v5(WSL terminal namespace,
           distribution id), the id being the distro's registry key.
  Fragment a fragment profile without a guid: v5(v5(runtime namespace,
           source), name), source being the fragment's folder name.

The script checks itself against vectors computed by wslconst before it
prints anything, and refuses to answer on a machine where they disagree.
Any Unicode name is hashed correctly (as UTF-16LE code units, surrogate
pairs included).

.PARAMETER DistroName
A distro name: prints its Tier 1 GUID.

.PARAMETER RegistryGuid
A distribution id (with or without braces, any case): prints its Tier 2 GUID.

.PARAMETER Source
The fragment's source (its folder name, e.g. Microsoft.WSL); with -Name.

.PARAMETER Name
The fragment profile's name; with -Source.

.PARAMETER Lookup
A registered distro's name: reads its distribution id from the registry and
prints both tiers, and which one is the profile Terminal shows: Tier 2 for a
Modern distro (WSL's fragment; Terminal generates no Tier 1 profile for it),
Tier 1 otherwise.

.PARAMETER SelfTest
Recomputes the baked-in vectors; exits 1 on a mismatch, 0 otherwise.

.EXAMPLE
.\Compute-WslProfileGuid.ps1 -DistroName Ubuntu
{2c4de342-38b7-51cf-b940-2309a097f518}

.EXAMPLE
.\Compute-WslProfileGuid.ps1 -RegistryGuid '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'
{ee603799-d7fe-5a9f-a662-e784d8a502df}

.EXAMPLE
.\Compute-WslProfileGuid.ps1 -Source Git -Name 'Git Bash'
{2ece5bfe-50ed-5f3a-ab87-5cd4baafed2b}

.EXAMPLE
.\Compute-WslProfileGuid.ps1 -Lookup NixOS

.EXAMPLE
.\Compute-WslProfileGuid.ps1 -SelfTest

.NOTES
Rendered by wslconst 0.1.0 from templates/Compute-WslProfileGuid.ps1; do not edit, re-render.
Constants read from microsoft/WSL@3e27a6a50177ce4e32e72f7b957aef5db5768062 and microsoft/terminal@20588130d8ef2ba40eb56bdae88e04cce7fc5b5d.
Runs on Windows PowerShell 5.1 and PowerShell 7.
#>
[CmdletBinding(DefaultParameterSetName = 'Tier1')]
param(
    [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Tier1')]
    [AllowEmptyString()]
    [string]$DistroName,

    [Parameter(Mandatory = $true, ParameterSetName = 'Tier2')]
    [string]$RegistryGuid,

    [Parameter(Mandatory = $true, ParameterSetName = 'Fragment')]
    [AllowEmptyString()]
    [string]$Source,

    [Parameter(Mandatory = $true, ParameterSetName = 'Fragment')]
    [AllowEmptyString()]
    [string]$Name,

    [Parameter(Mandatory = $true, ParameterSetName = 'Lookup')]
    [string]$Lookup,

    [Parameter(Mandatory = $true, ParameterSetName = 'SelfTest')]
    [switch]$SelfTest
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

$failures = Test-WslGuidVectors
if ($SelfTest) {
    foreach ($failure in $failures) {
        Write-Error -Message ('self-test: ' + $failure) -ErrorAction Continue
    }
    if ($failures.Count -gt 0) {
        exit 1
    }
    Write-Output ('self-test: all {0} vectors agree with wslconst' -f $script:GuidVectors.Count)
    exit 0
}
if ($failures.Count -gt 0) {
    throw ('self-check failed, no GUID printed: ' + ($failures -join '; ') + '. This PowerShell computes GUIDs differently from wslconst; please report it with $PSVersionTable.')
}

switch ($PSCmdlet.ParameterSetName) {
    'Tier1' {
        Write-Output (Get-WslTier1Guid -DistroName $DistroName)
    }
    'Tier2' {
        $id = [Guid]::Empty
        if (-not [Guid]::TryParse($RegistryGuid, [ref]$id)) {
            throw ('-RegistryGuid: ''' + $RegistryGuid + ''' is not a GUID; give the name of the distro''s registry key, e.g. {fc3bf427-722c-4c2b-84bf-17202d2e3740}, or use -Lookup NAME')
        }
        Write-Output (Get-WslTier2Guid -DistributionId $RegistryGuid)
    }
    'Fragment' {
        Write-Output (Get-WslFragmentProfileGuid -Source $Source -Name $Name)
    }
    'Lookup' {
        $registration = Get-WslRegistration -Name $Lookup
        if ($null -eq $registration) {
            throw ('-Lookup: no WSL distro named ''{0}'' is registered for this user (under {1}); wsl.exe --list shows the names' -f $Lookup, $script:LxssKey)
        }
        $modern = $registration.Modern -eq 1
        $tier1 = Get-WslTier1Guid -DistroName $registration.Name
        $tier2 = Get-WslTier2Guid -DistributionId $registration.DistributionId
        # Terminal's WSL generator skips distros with Modern = 1
        # (WslDistroGenerator.cpp): their profile is WSL's fragment (Tier 2),
        # and Tier 1 is only the GUID that fragment hides.
        if ($modern) {
            $terminalProfile = $tier2
            $note = 'Modern distro: Terminal generates no Tier 1 profile for it; its profile is Tier 2, from the fragment WSL wrote (if it wrote one)'
        }
        else {
            $terminalProfile = $tier1
            $note = 'not Modern: Terminal generates its Tier 1 profile itself; WSL writes no fragment for it'
        }
        [pscustomobject]@{
            Name            = $registration.Name
            DistributionId  = $registration.DistributionId
            Tier1           = $tier1
            Tier2           = $tier2
            Modern          = $modern
            TerminalProfile = $terminalProfile
            Note            = $note
        }
    }
}