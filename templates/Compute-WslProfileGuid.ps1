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
Rendered by {{ ctx.generator|comment|safe }} from templates/Compute-WslProfileGuid.ps1; do not edit, re-render.
Constants read from microsoft/WSL@{{ ctx.c.wsl_source_rev|comment|safe }} and microsoft/terminal@{{ ctx.c.terminal_source_rev|comment|safe }}.
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

{% include "powershell/guid.ps1" %}

{% include "powershell/registry.ps1" %}

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
