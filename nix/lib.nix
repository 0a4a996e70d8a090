# wslconst's pure Nix side: builtins only, no nixpkgs, so it evaluates
# anywhere (`nix-instantiate --eval`) and tests/nix/ can compare it with the
# Rust rendering of the same options. Every WSL fact comes from constants.json
# (rendered/constants.json, which a test keeps equal to a fresh render); none
# is written here.
{
  constants ? builtins.fromJSON (builtins.readFile ../rendered/constants.json),
  version ? (builtins.fromTOML (builtins.readFile ../Cargo.toml)).workspace.package.version,
  # The comment block at the top of a rendered wsl-distribution.conf, shared
  # with the askama template; `{{ path }}` and `{{ generator }}` are filled in.
  confHeader ? builtins.readFile ../templates/wsl-distribution.header.conf,
}:
let
  rules = constants.wslRules;
  confPath = constants.constants.WSL_DISTRIBUTION_CONF.value;
  generator = "wslconst ${version}";

  hasInfix = infix: s: builtins.length (builtins.split (escapeRegex infix) s) > 1;
  escapeRegex = builtins.replaceStrings
    [ "\\" "." "*" "+" "?" "(" ")" "[" "]" "{" "}" "|" "^" "$" ]
    [ "\\\\" "\\." "\\*" "\\+" "\\?" "\\(" "\\)" "\\[" "\\]" "\\{" "\\}" "\\|" "\\^" "\\$" ];
  concatMap = f: xs: builtins.concatLists (map f xs);
  splitKey = name:
    let parts = builtins.split "\\." name;
    in { section = builtins.elemAt parts 0; key = builtins.elemAt parts 2; };

  # A backspace, which Nix string literals cannot write.
  backspace = builtins.fromJSON ''"\b"'';

  # A value inside double quotes, escaped as WSL's ParseConfigFile reads it
  # back. A carriage return ends a value and cannot be escaped; a NUL cannot
  # be in a Nix string at all. Twin of wslconst_model::distribution_conf::escape_value.
  quoteConfValue = name: value:
    if hasInfix "\r" value then
      throw "wsl-distribution.conf: ${name} holds a carriage return, which WSL's parser cannot read back inside a value (a carriage return ends the value)"
    else
      "\"" + builtins.replaceStrings [ "\\" "\"" backspace "\n" "\t" ] [ "\\\\" "\\\"" "\\b" "\\n" "\\t" ] value + "\"";

  confValue = { name, kind }: value:
    if kind == "string" && builtins.isString value then quoteConfValue name value
    else if kind == "bool" && builtins.isBool value then (if value then "true" else "false")
    else if kind == "int" && builtins.isInt value then
      (if value < -2147483648 || value > 2147483647
       then throw "wsl-distribution.conf: ${name} = ${toString value} does not fit WSL's int"
       else toString value)
    else throw "wsl-distribution.conf: ${name} must be a ${kind}, not a ${builtins.typeOf value}";

  confKeys = rules.distributionConfKeys;
  sectionsInOrder = builtins.foldl'
    (acc: k: let s = (splitKey k.name).section; in if builtins.elem s acc then acc else acc ++ [ s ])
    [ ] confKeys;

  # Options as attributes `{ oobe.defaultName = "NixOS"; shortcut.enabled = false; }`;
  # null means "not in the file".
  lookup = conf: name:
    let p = splitKey name;
    in if conf ? ${p.section} && conf.${p.section} ? ${p.key} then conf.${p.section}.${p.key} else null;

  checkConfNames = conf:
    let
      known = map (k: k.name) confKeys;
      given = concatMap (s: map (k: "${s}.${k}") (builtins.attrNames conf.${s})) (builtins.attrNames conf);
      unknown = builtins.filter (n: !(builtins.elem n known)) given;
    in
    if unknown == [ ] then true
    else throw "wsl-distribution.conf: WSL does not read ${builtins.head unknown}; it reads ${builtins.concatStringsSep ", " known}";

  # Twin of wslconst_model::distribution_conf::DistributionConf::render
  # (scripts/nix-vs-rust.py compares them byte for byte).
  renderDistributionConf = conf:
    assert checkConfNames conf;
    let
      header = builtins.replaceStrings [ "{{ path }}" "{{ generator }}" ] [ confPath generator ] confHeader;
      # The template has no newline after the header; an editor may add one.
      headerText =
        if builtins.substring (builtins.stringLength header - 1) 1 header == "\n"
        then builtins.substring 0 (builtins.stringLength header - 1) header
        else header;
      section = s:
        let
          entries = builtins.filter (k: (splitKey k.name).section == s && lookup conf k.name != null) confKeys;
        in
        if entries == [ ] then ""
        else "\n\n[${s}]" + builtins.concatStringsSep "" (map (k: "\n${(splitKey k.name).key} = ${confValue k (lookup conf k.name)}") entries);
    in
    headerText + builtins.concatStringsSep "" (map section sectionsInOrder) + "\n";

  isColor = s: builtins.isString s && builtins.match "#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})" s != null;
  templateFail = option: message: throw "profile template: ${option}: ${message}";

  # The options `wslconst template render --from-json` takes, with the same
  # names; the result is the template document as an attribute set.
  templateOptions = [
    "fontFace" "fontSize" "fontWeight" "colorScheme" "scheme" "cursorShape"
    "opacity" "padding" "startingDirectory" "tabTitle" "tabColor"
  ];
  # Twin of wslconst_model::profile_template::ProfileTemplateOptions::render.
  profileTemplate = options:
    let
      given = name: options ? ${name} && options.${name} != null;
      unknown = builtins.filter (n: !(builtins.elem n templateOptions)) (builtins.attrNames options);
      string = name:
        if builtins.isString options.${name} then options.${name}
        else templateFail name "must be a string, not a ${builtins.typeOf options.${name}}";
      size =
        let v = options.fontSize; in
        if !(builtins.isInt v || builtins.isFloat v) || v < 1 then templateFail "fontSize" "${builtins.toJSON v} is not a size in points (at least 1)"
        else if builtins.isFloat v && builtins.floor v == v && v < 1.0e15 then builtins.floor v
        else v;
      weight =
        let v = options.fontWeight; in
        if builtins.isString v then v
        else if builtins.isInt v && v >= 100 && v <= 990 then v
        else templateFail "fontWeight" "${builtins.toJSON v} is outside the OpenType range 100 to 990";
      font =
        (if given "fontFace" then
          (if builtins.match "[[:space:]]*" (string "fontFace") != null
           then templateFail "fontFace" "a font face cannot be empty"
           else { face = options.fontFace; })
         else { })
        // (if given "fontSize" then { size = size; } else { })
        // (if given "fontWeight" then { weight = weight; } else { });
      scheme = options.scheme;
      schemeName =
        if !(builtins.isAttrs scheme) then templateFail "scheme" "must be an attribute set of name and colors"
        else if !(scheme ? name) || scheme.name == "" then templateFail "scheme.name" "a scheme needs a non-empty name"
        else scheme.name;
      schemeColors = builtins.mapAttrs
        (key: color: if isColor color then color else templateFail "scheme.${key}" "${builtins.toJSON color} is not a color; write #rgb or #rrggbb")
        (builtins.removeAttrs scheme [ "name" ]);
      colorScheme =
        if given "colorScheme" then { colorScheme = string "colorScheme"; }
        else if given "scheme" then { colorScheme = schemeName; }
        else { };
      strings = builtins.listToAttrs (map (name: { inherit name; value = string name; })
        (builtins.filter given [ "cursorShape" "padding" "startingDirectory" "tabTitle" "tabColor" ]));
      tabColor =
        if given "tabColor" && !(isColor options.tabColor)
        then templateFail "tabColor" "${builtins.toJSON options.tabColor} is not a color; write #rgb or #rrggbb"
        else { };
      opacity =
        if !given "opacity" then { }
        else if builtins.isInt options.opacity && options.opacity >= 0 && options.opacity <= 100 then { opacity = options.opacity; }
        else templateFail "opacity" "${builtins.toJSON options.opacity} is not 0 to 100";
      profile =
        (if font == { } then { } else { inherit font; })
        // colorScheme // strings // tabColor // opacity
        // (if given "startingDirectory" then { } else { startingDirectory = "~"; });
    in
    if unknown != [ ] then templateFail (builtins.head unknown) "not an option; the options are ${builtins.concatStringsSep ", " templateOptions}"
    else
      { profiles = [ profile ]; }
      // (if given "scheme" then { schemes = [ ({ name = schemeName; } // schemeColors) ]; } else { });

  # WSL's rules for a profile template it is given (errors make WSL fall
  # back to its default template or write no fragment, silently): the path
  # has no "..", the file is at most maxAttachmentSize bytes, and it is a JSON
  # object whose "profiles" is a list of objects. A list of messages; empty
  # when WSL takes the template. Twin of WSL's rules in
  # wslconst_model::profile_template::check.
  checkProfileTemplate = { path, text }:
    let
      size = builtins.stringLength text;
      doc = builtins.fromJSON text;
      profiles = doc.profiles or null;
    in
    (if hasInfix ".." path then [ "the template path ${path} contains \"..\": WSL refuses it and silently uses its default template" ] else [ ])
    ++ (if size > rules.maxAttachmentSize then [ "the template is ${toString size} bytes; WSL reads at most ${toString rules.maxAttachmentSize} and silently uses its default template instead" ] else [ ])
    ++ (if !(builtins.isAttrs doc) then [ "the template must be a JSON object; WSL writes no fragment otherwise" ]
        else if !(builtins.isList profiles) then [ "the template needs a \"profiles\" list; WSL writes no fragment otherwise" ]
        else if !(builtins.all (p: builtins.isAttrs p || p == null) profiles) then [ "every entry of \"profiles\" must be an object; WSL writes no fragment otherwise" ]
        else [ ]);

  # One shell word, single-quoted (lib.escapeShellArg, without nixpkgs).
  shellArg = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString s) + "'";
  shellArgs = xs: builtins.concatStringsSep " " (map shellArg xs);
  lastOf = xs: builtins.elemAt xs (builtins.length xs - 1);

  # Where the NixOS module puts the shortcut icon: the last of the folders
  # WSL's validator expects icons in (/usr/share/wsl/).
  defaultIconPath = lastOf rules.files."shortcut.icon".dirs + "nixos.ico";
  # The mode a file is installed with: wslconst_model::wsl_rules's, through constants.json.
  modeOf = name: lastOf rules.files.${name}.modes;

  # system.build.wslconstTarballBuilder's script: the variables
  # nix/wrap-image.sh reads, then that file. `templateFile`/`iconFile` may be
  # null (no template; the icon NixOS-WSL's builder put at /etc/nixos.ico).
  imageWrapper =
    { builder, wslconst, confFile, templateFile ? null, templatePath ? rules.profileTemplatePath
    , iconFile ? null, iconPath ? null, imageCheck ? true, checkArgs ? [ ], failOnWarnings ? false }:
    ''
      builder=${shellArg builder}
      wslconst=${shellArg wslconst}
      conf_file=${shellArg confFile}
      conf_path=${shellArg confPath}
      conf_mode=${modeOf "distributionConf"}
      template_file=${shellArg (if templateFile == null then "" else templateFile)}
      template_path=${shellArg (if templateFile == null then "" else templatePath)}
      template_mode=${modeOf "windowsterminal.profileTemplate"}
      icon_file=${shellArg (if iconFile == null then "" else "${iconFile}")}
      icon_path=${shellArg (if iconPath == null then "" else iconPath)}
      icon_mode=${modeOf "shortcut.icon"}
      dir_mode=0755
      image_check=${if imageCheck then "true" else "false"}
      check_args=(${shellArgs checkArgs})
      fail_on_warnings=${if failOnWarnings then "true" else "false"}
    ''
    + builtins.readFile ./wrap-image.sh;

  # The home-manager activation: finds Windows' %LOCALAPPDATA% (unless
  # given) through absolute paths, since home-manager runs activations with a
  # PATH of its own that holds neither cmd.exe nor wslpath, then runs
  # `wslconst settings` once per change. `run` and `warnEcho` are
  # home-manager's. profiles: [ { file; args; } ], args naming the distro
  # (--distro NAME [--distribution-id ID]); defaultArgs likewise or null.
  homeActivation =
    { exe, wslpath, cmdExe, localAppData ? null, channels ? [ ], portable ? [ ]
    , staleDistributionIds ? [ ], profiles ? [ ], defaultArgs ? null }:
    let
      call = args: ''
        run ${shellArg exe} settings ${shellArgs args} "''${wslconst_target[@]}" \
          || warnEcho ${shellArg "wsl.terminal: 'wslconst settings ${builtins.head args}' left something for you (see above)"}
      '';
      target = concatMap (c: [ "--channel" c ]) channels ++ concatMap (d: [ "--portable" d ]) portable;
    in
    ''
      wslconst_appdata=${shellArg (if localAppData == null then "" else localAppData)}
      if [ -z "$wslconst_appdata" ] && [ -x ${shellArg cmdExe} ] && [ -x ${shellArg wslpath} ]; then
        # From cmd.exe's own folder: a Linux working directory makes it warn.
        wslconst_windows=$(cd "$(dirname ${shellArg cmdExe})" 2>/dev/null && ${shellArg cmdExe} /d /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r') \
          || wslconst_windows=""
        case "$wslconst_windows" in
          ""|*%*) ;;
          *) wslconst_appdata=$(${shellArg wslpath} -u "$wslconst_windows" 2>/dev/null || true) ;;
        esac
      fi
      if [ -z "$wslconst_appdata" ]; then
        warnEcho ${shellArg "wsl.terminal: cannot find Windows' %LOCALAPPDATA% (through ${cmdExe} and ${wslpath}); set wsl.terminal.localAppData. Terminal settings left alone."}
      else
        wslconst_target=(--local-appdata "$wslconst_appdata" ${shellArgs target})
    ''
    + builtins.concatStringsSep "" (map (id: call [ "remove" "--distribution-id" id ] + call [ "prune-state" "--distribution-id" id ]) staleDistributionIds)
    + builtins.concatStringsSep "" (map (p: call ([ "upsert" "--profile" p.file ] ++ p.args)) profiles)
    + (if defaultArgs == null then "" else call ([ "set-default" ] ++ defaultArgs))
    + ''
      fi
    '';

  # The files of microsoft/WSL and microsoft/terminal that wslconst reads:
  # every path the upstream! invocation names, and Terminal's profile schema.
  # The flake gives build.rs only these, so a change elsewhere upstream does
  # not rebuild it.
  upstreamFiles =
    let
      source = builtins.readFile ../wslconst/src/upstream.rs;
      quoted = builtins.filter builtins.isList (builtins.split "\"(src/[^\"]+)\"" source);
      pin = builtins.fromJSON (builtins.readFile ../wslconst/upstream-pin.json);
    in
    map builtins.head quoted ++ [ pin.profileSchema.path ];

  # Profile GUIDs in pure Nix (nix/guid.nix): tier1, tier2, fragmentProfile, hideEntry.
  guids = import ./guid.nix { };
in
{
  inherit constants rules confPath renderDistributionConf quoteConfValue profileTemplate checkProfileTemplate;
  inherit (guids) tier1 tier2 fragmentProfile hideEntry;
  inherit shellArg shellArgs defaultIconPath imageWrapper homeActivation upstreamFiles;

  # The template file: the document as JSON with a final newline.
  renderProfileTemplate = options: builtins.toJSON (profileTemplate options) + "\n";
}
