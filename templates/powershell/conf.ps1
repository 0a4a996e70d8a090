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
