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

$script:WslBinaryName = '{{ ctx.c.wsl_binary_name }}'
$script:WslDistributionIdArg = '{{ ctx.c.wsl_distribution_id_arg }}'
# WSL's template when the distro ships none, as its literal text (base64).
$script:WslDefaultTemplateBase64 = '{{ ctx.default_template_base64 }}'

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

# Fragments computed by {{ ctx.generator|comment|safe }}'s model of WSL when this script was rendered.
$script:FragmentVectors = @(
{%- for v in ctx.fragment_vectors %}
    @{ Label = '{{ v.label }}'; Name = '{{ v.name }}'; DistributionId = '{{ v.distribution_id }}'; Icon = '{{ v.icon }}'; SystemDirectory = '{{ v.system_dir }}'; Flavor = '{{ v.flavor }}'; OsVersion = '{{ v.os_version }}'; Template = '{{ v.template_base64 }}'; Expected = '{{ v.expected_base64 }}'; FileName = '{{ v.file_name }}' }
{%- endfor %}
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
