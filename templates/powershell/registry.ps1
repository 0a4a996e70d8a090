# ---------------------------------------------------------------------------
# WSL's per-user registry: one subkey per distro, named by its distribution id.
# ---------------------------------------------------------------------------

$script:LxssKey = '{{ ctx.lxss_key }}'

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
