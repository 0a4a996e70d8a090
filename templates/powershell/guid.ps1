# ---------------------------------------------------------------------------
# Profile GUIDs: UUIDv5 over UTF-16LE names, as WSL and Windows Terminal
# compute them (CreateV5Uuid in both repositories).
# ---------------------------------------------------------------------------

# Namespaces, read from the upstream sources named in the help above.
$script:TerminalProfileNamespace = '{{ ctx.c.terminal_profile_namespace }}'
$script:WslTerminalNamespace = '{{ ctx.c.wsl_terminal_namespace }}'
$script:RuntimeGeneratedProfileNamespace = '{{ ctx.c.runtime_generated_profile_namespace }}'

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

# Computed by {{ ctx.generator|comment|safe }} when this script was rendered.
$script:GuidVectors = @(
{%- for v in ctx.guid_vectors %}
    @{ Kind = '{{ v.kind }}'; Input = '{{ v.input }}'; Source = '{{ v.source }}'; Expected = '{{ v.expected }}' }
{%- endfor %}
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
