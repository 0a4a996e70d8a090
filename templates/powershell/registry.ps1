# ---------------------------------------------------------------------------
# WSL's per-user registry: one subkey per distro, named by its distribution id
# (value names from DistributionRegistration.h in microsoft/WSL).
# ---------------------------------------------------------------------------

$script:LxssKey = '{{ ctx.lxss_key }}'

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
