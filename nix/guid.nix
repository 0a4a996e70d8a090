# Profile GUIDs at evaluation time, in pure Nix: UUIDv5 (RFC 4122) over the
# UTF-16LE bytes of a name, as WSL and Windows Terminal compute them
# (CreateV5Uuid in both repositories). No build, no import-from-derivation:
# another module can write `guid = tier1 "NixOS";` in its configuration.
#
# Nix has no string-to-byte function, no byte strings with NUL (UTF-16LE of
# ASCII is half NULs), and no SHA-1 over bytes, so this file does it by hand,
# step by step:
#   1. a name's bytes, looked up in a table of every byte valid UTF-8 uses;
#   2. UTF-8 decoded into code points (malformed input is a throw);
#   3. code points encoded as UTF-16LE bytes, surrogate pairs for astral ones;
#   4. SHA-1 over namespace bytes ++ name bytes, with Nix's 64-bit integers
#      kept to 32 bits explicitly after every addition and rotation;
#   5. the first 16 bytes, version 5 and the RFC 4122 variant set, printed
#      lowercase with braces.
# The namespaces are read from wslconst/upstream-pin.json: no .nix file holds
# a GUID. tests/nix/guid.nix and scripts/nix-guid.py compare every function
# with `wslconst guid`.
{
  pin ? builtins.fromJSON (builtins.readFile ../wslconst/upstream-pin.json),
}:
let
  inherit (builtins)
    bitAnd bitOr bitXor elemAt genList length substring stringLength foldl' listToAttrs concatMap
    concatStringsSep fromJSON head tail;

  # --- Hexadecimal ---------------------------------------------------------

  hexDigits = [ "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" "a" "b" "c" "d" "e" "f" ];
  hexValue = listToAttrs (genList (i: { name = elemAt hexDigits i; value = i; }) 16)
    // listToAttrs (genList (i: { name = elemAt [ "A" "B" "C" "D" "E" "F" ] i; value = 10 + i; }) 6);
  # A byte as two lowercase hex digits.
  hexByte = b: elemAt hexDigits (b / 16) + elemAt hexDigits (bitAnd b 15);
  # A number below 65536 as four hex digits, for JSON's \uXXXX escapes.
  hex4 = n: hexByte (n / 256) + hexByte (bitAnd n 255);

  # --- 1. Bytes of a string ------------------------------------------------

  # The one character whose code point is `cp`, as UTF-8, made by JSON's
  # \u escapes (a surrogate pair for code points past U+FFFF).
  charOf = cp:
    if cp < 65536 then fromJSON "\"\\u${hex4 cp}\""
    else
      let v = cp - 65536;
      in fromJSON "\"\\u${hex4 (55296 + v / 1024)}\\u${hex4 (56320 + bitAnd v 1023)}\"";

  # Every byte valid UTF-8 can hold, as a one-byte string -> its value.
  # Bytes 0x80 and up are cut out of characters that hold them: continuation
  # bytes from U+0080..U+00BF, lead bytes from the first character they
  # start. NUL cannot be in a Nix string; C0, C1 and F5..FF are never UTF-8.
  byteTable =
    let
      entry = string: value: { name = string; inherit value; };
      ascii = genList (i: entry (charOf (i + 1)) (i + 1)) 127;
      continuation = genList (i: entry (substring 1 1 (charOf (128 + i))) (128 + i)) 64;
      lead = first: count: codePoint:
        genList (i: entry (substring 0 1 (charOf (codePoint i))) (first + i)) count;
      twoByte = lead 194 30 (i: (i + 2) * 64);
      threeByte = lead 224 16 (i: if i == 0 then 2048 else i * 4096);
      fourByte = lead 240 5 (i: if i == 0 then 65536 else i * 262144);
    in
    listToAttrs (ascii ++ continuation ++ twoByte ++ threeByte ++ fourByte);

  bytesOf = s:
    genList (i:
      let byte = substring i 1 s;
      in byteTable.${byte} or (throw "wslconst guid: a name is not UTF-8 (at byte ${toString i}, a byte no UTF-8 text holds); names are hashed as Windows hashes them, from Unicode text"))
      (stringLength s);

  # --- 2. UTF-8 to code points ---------------------------------------------

  # Decodes one character at `i`: { cp; next; }, refusing what the UTF-8
  # standard refuses (stray continuation bytes, overlong forms, surrogates,
  # code points past U+10FFFF, a character cut short).
  decodeAt = bytes: i:
    let
      b0 = elemAt bytes i;
      n = length bytes;
      # The name itself is not quoted: its bytes are not text.
      bad = why: throw "wslconst guid: a name is not UTF-8 (${why} at byte ${toString i}); names are hashed as Windows hashes them, from Unicode text";
      cont = k:
        if i + k >= n then bad "a character cut short"
        else let b = elemAt bytes (i + k); in
          if b < 128 || b > 191 then bad "a missing continuation byte" else b - 128;
      width = if b0 < 128 then 1 else if b0 < 192 then 0 else if b0 < 224 then 2 else if b0 < 240 then 3 else 4;
      cp =
        if width == 1 then b0
        else if width == 2 then (b0 - 192) * 64 + cont 1
        else if width == 3 then (b0 - 224) * 4096 + cont 1 * 64 + cont 2
        else (b0 - 240) * 262144 + cont 1 * 4096 + cont 2 * 64 + cont 3;
      minimum = elemAt [ 0 0 128 2048 65536 ] width;
    in
    if width == 0 then bad "a stray continuation byte"
    else if cp < minimum then bad "an overlong form"
    else if cp >= 55296 && cp <= 57343 then bad "an encoded surrogate"
    else if cp > 1114111 then bad "a code point past U+10FFFF"
    else { inherit cp; next = i + width; };

  codePoints = s:
    let
      bytes = bytesOf s;
      go = i: acc: if i >= length bytes then acc else
        let c = decodeAt bytes i; in go c.next (acc ++ [ c.cp ]);
    in
    go 0 [ ];

  # --- 3. Code points to UTF-16LE bytes -------------------------------------

  utf16le = s: concatMap (cp:
    let
      unit = u: [ (bitAnd u 255) (u / 256) ];
      v = cp - 65536;
    in
    if cp < 65536 then unit cp
    else unit (55296 + v / 1024) ++ unit (56320 + bitAnd v 1023)) (codePoints s);

  # --- 4. SHA-1 (FIPS 180-4), 32-bit words in 64-bit integers ---------------

  mask32 = 4294967295;
  add32 = a: b: bitAnd (a + b) mask32;
  # 2^0 .. 2^62, for shifts (Nix integers are signed 64-bit).
  pow2 = genList (i: foldl' (x: _: x * 2) 1 (genList (x: x) i)) 63;
  # Rotate a 32-bit word left by n (0 < n < 32): the shifted-out high bits
  # come back at the bottom.
  rotl = n: x: bitOr (bitAnd (x * elemAt pow2 n) mask32) (x / elemAt pow2 (32 - n));
  not32 = x: bitXor x mask32;

  # Pads the message: 0x80, zeros to 56 mod 64, then the bit length as 8
  # big-endian bytes.
  pad = bytes:
    let
      n = length bytes;
      zeros = 63 - bitAnd (n + 8) 63;
      bits = n * 8;
    in
    bytes ++ [ 128 ] ++ genList (_: 0) zeros
    ++ genList (i: bitAnd (bits / elemAt pow2 (8 * (7 - i))) 255) 8;

  # Big-endian 32-bit words, in 16-word blocks.
  blocksOf = bytes:
    let
      words = genList (i:
        let b = k: elemAt bytes (4 * i + k);
        in ((b 0 * 256 + b 1) * 256 + b 2) * 256 + b 3) (length bytes / 4);
    in
    genList (j: genList (i: elemAt words (16 * j + i)) 16) (length words / 16);

  # One 512-bit block: the 80-word schedule, then 80 rounds.
  compress = h: block:
    let
      w = genList (t:
        if t < 16 then elemAt block t
        else rotl 1 (bitXor (bitXor (elemAt w (t - 3)) (elemAt w (t - 8))) (bitXor (elemAt w (t - 14)) (elemAt w (t - 16))))) 80;
      round = s: t:
        let
          f =
            if t < 20 then bitOr (bitAnd s.b s.c) (bitAnd (not32 s.b) s.d)
            else if t < 40 then bitXor (bitXor s.b s.c) s.d
            else if t < 60 then bitOr (bitOr (bitAnd s.b s.c) (bitAnd s.b s.d)) (bitAnd s.c s.d)
            else bitXor (bitXor s.b s.c) s.d;
          k = if t < 20 then 1518500249 else if t < 40 then 1859775393 else if t < 60 then 2400959708 else 3395469782;
          temp = add32 (add32 (add32 (rotl 5 s.a) f) (add32 s.e k)) (elemAt w t);
        in
        { a = temp; b = s.a; c = rotl 30 s.b; d = s.c; e = s.d; };
      start = { a = elemAt h 0; b = elemAt h 1; c = elemAt h 2; d = elemAt h 3; e = elemAt h 4; };
      end = foldl' round start (genList (t: t) 80);
    in
    [ (add32 (elemAt h 0) end.a) (add32 (elemAt h 1) end.b) (add32 (elemAt h 2) end.c) (add32 (elemAt h 3) end.d) (add32 (elemAt h 4) end.e) ];

  # The 20-byte digest.
  sha1 = bytes:
    let
      h = foldl' compress [ 1732584193 4023233417 2562383102 271733878 3285377520 ] (blocksOf (pad bytes));
    in
    concatMap (x: genList (i: bitAnd (x / elemAt pow2 (8 * (3 - i))) 255) 4) h;

  # --- 5. UUIDv5 ------------------------------------------------------------

  # A GUID's 16 bytes in RFC 4122 (printed) order; `what` names it in errors.
  guidBytes = what: text:
    let
      bare = builtins.replaceStrings [ "{" "}" "-" ] [ "" "" "" ] text;
      braced = builtins.match "[{][0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}[}]" text != null;
      plain = builtins.match "[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}" text != null;
    in
    if !(builtins.isString text) then throw "wslconst guid: ${what} must be a string"
    else if !(braced || plain) then
      throw "wslconst guid: ${what} ${builtins.toJSON text} is not a GUID; write it as {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} (any case, braces optional), the name of the distro's key under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss"
    else genList (i: hexValue.${substring (2 * i) 1 bare} * 16 + hexValue.${substring (2 * i + 1) 1 bare}) 16;

  # Bytes as {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}.
  format = bytes:
    let part = from: count: concatStringsSep "" (genList (i: hexByte (elemAt bytes (from + i))) count);
    in "{${part 0 4}-${part 4 2}-${part 6 2}-${part 8 2}-${part 10 6}}";

  v5 = namespace: name:
    let
      digest = sha1 (guidBytes "the namespace" namespace ++ utf16le name);
      set = i: b:
        if i == 6 then bitOr (bitAnd b 15) 80
        else if i == 8 then bitOr (bitAnd b 63) 128
        else b;
    in
    format (genList (i: set i (elemAt digest i)) 16);

  # --- The API ----------------------------------------------------------------

  namespace = name:
    let found = builtins.filter (c: c.name == name) pin.constants;
    in if found == [ ] then throw "wslconst guid: ${name} is not in upstream-pin.json" else (head found).value;

  # Terminal's generated profile for a distro, and the GUID WSL's fragment hides.
  # Twin of wslconst::tier1 (docs/DESIGN.md, "Rules with twins").
  tier1 = name: v5 (namespace "TERMINAL_PROFILE_NAMESPACE_GUID") name;
  # The profile in WSL's fragment, from the distribution id (the Lxss
  # registry key), hashed as WSL writes it: lower case, with braces.
  # Twin of wslconst::tier2.
  tier2 = distributionId:
    v5 (namespace "WslTerminalNamespace") (format (guidBytes "the distribution id" distributionId));
  # A fragment profile without a guid: v5(v5(runtime namespace, source), name).
  # Twin of wslconst::fragment_profile.
  fragmentProfile = source: name:
    v5 (v5 (namespace "RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID") source) name;
  # The settings.json entry that hides a distro's generated (Tier 1) profile.
  hideEntry = name: { guid = tier1 name; hidden = true; };
in
{
  inherit tier1 tier2 fragmentProfile hideEntry;
  # The building blocks, for the tests.
  inherit sha1 utf16le codePoints;
}
