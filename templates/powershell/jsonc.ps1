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
{%- for v in ctx.settings_edit_vectors %}
    @{ Label = '{{ v.label }}'; Input = '{{ v.input_base64 }}'; Stale = '{{ v.stale }}'; Default = '{{ v.default }}'; Replacement = '{{ v.replacement }}'; Expected = '{{ v.expected_base64 }}'; Manual = {{ v.manual }} }
{%- endfor %}
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
