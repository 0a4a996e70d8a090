#!/usr/bin/env python3
"""Offline validator for wslconst's constants.json, and a correct calculator of
the GUIDs WSL and Windows Terminal give profiles. Python 3 standard library only.

Rendered by {{ generator }} from templates/validate.py; do not edit, re-render.
Constants read from microsoft/WSL@{{ c.wsl_source_rev }} and microsoft/terminal@{{ c.terminal_source_rev }}.

usage:
  validate.py CONSTANTS_JSON             check a constants.json (also: validate.py check FILE)
  validate.py tier1 NAME...              Tier 1: Terminal's generated WSL profile, WSL's hide entry
  validate.py tier2 DISTRIBUTION_ID...   Tier 2: the profile in WSL's own fragment
  validate.py fragment SOURCE NAME...    fragment profiles without a guid
  validate.py selftest                   recompute the baked-in vectors

exit codes: 0 ok, 1 a check failed, 2 usage or unreadable input.

Names are hashed as UTF-16LE, as Windows does. The one-liner from Microsoft's
docs, uuid.uuid5(ns, name.encode("UTF-16LE").decode("ASCII")), raises as soon
as a UTF-16LE byte is 0x80 or more (e, u with accents, emoji, ...); v5() below
is right for every name.
"""
import hashlib
import json
import re
import sys
import uuid

TERMINAL_PROFILE_NAMESPACE = uuid.UUID('{{ c.terminal_profile_namespace }}')
WSL_TERMINAL_NAMESPACE = uuid.UUID('{{ c.wsl_terminal_namespace }}')
RUNTIME_GENERATED_PROFILE_NAMESPACE = uuid.UUID('{{ c.runtime_generated_profile_namespace }}')

CONVENTIONS = {
    'guidFormat': '{{ reference.guid_format }}',
    'inputEncoding': '{{ reference.input_encoding }}',
    'tier1Input': '{{ reference.tier1_input }}',
    'tier2Input': '{{ reference.tier2_input }}',
    'wslSourceRev': '{{ reference.wsl_source_rev }}',
    'terminalSourceRev': '{{ reference.terminal_source_rev }}',
}

CONSTANTS = {
{%- for (name, entry) in reference.constants %}
    '{{ name }}': {
        'kind': '{{ entry.kind }}',
        'value': '{{ entry.value }}',
        'repo': '{{ entry.repo }}',
        'revision': '{{ entry.revision }}',
        'path': '{{ entry.path }}',
        'line': {{ entry.line }},
        'symbol': '{{ entry.symbol }}',
        'origin': '{{ entry.origin }}',
    },
{%- endfor %}
}

VECTORS = [
{%- for v in reference.vectors %}
    {
        'kind': '{{ v.kind }}',
{%- if let Some(name) = v.name %}
        'name': '{{ name }}',
{%- endif %}
{%- if let Some(source) = v.source %}
        'source': '{{ source }}',
{%- endif %}
{%- if let Some(id) = v.distribution_id %}
        'distributionId': '{{ id }}',
{%- endif %}
        'guid': '{{ v.guid }}',
        'publishedIn': '{{ v.published_in }}',
    },
{%- endfor %}
]

CONVENTION_KEYS = ['guidFormat', 'inputEncoding', 'tier1Input', 'tier2Input', 'wslSourceRev', 'terminalSourceRev']
TOP_LEVEL_KEYS = ['generator'] + CONVENTION_KEYS + ['constants', 'vectors', 'wslRules']

# What WSL expects of the files an image ships (modes, folders, sizes).
WSL_RULES = json.loads('{{ wsl_rules_json }}')
CONSTANT_FIELDS = ['kind', 'value', 'repo', 'revision', 'path', 'line', 'symbol', 'origin']
ORIGINS = ['pin-file', 'source-tree']
GUID_RE = re.compile(r'^(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}'
                     r'|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$')
MISSING = object()


def parse_guid(text):
    """A GUID braced or bare, any case; None for anything else (stricter than uuid.UUID)."""
    if not isinstance(text, str) or not GUID_RE.match(text):
        return None
    return uuid.UUID(text.strip('{}'))


def braced(u):
    """Lowercase with braces, as WSL's GuidToString writes GUIDs."""
    return '{' + str(u) + '}'


def v5(namespace, name):
    """UUIDv5 over the UTF-16LE code units of name, as CreateV5Uuid computes it."""
    digest = bytearray(hashlib.sha1(namespace.bytes + name.encode('utf-16-le', 'surrogatepass')).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    return uuid.UUID(bytes=bytes(digest))


def tier1(name, namespace=TERMINAL_PROFILE_NAMESPACE):
    # Twin of wslconst::tier1 (docs/DESIGN.md, "Rules with twins").
    return braced(v5(namespace, name))


def tier2(distribution_id, namespace=WSL_TERMINAL_NAMESPACE):
    # Twin of wslconst::tier2.
    parsed = parse_guid(distribution_id)
    if parsed is None:
        raise ValueError('%r is not a GUID; expected {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, braces optional' % distribution_id)
    return braced(v5(namespace, braced(parsed)))


def fragment(source, name, root=RUNTIME_GENERATED_PROFILE_NAMESPACE):
    # Twin of wslconst::fragment_profile.
    space = v5(root, source) if source else root
    return braced(v5(space, name))


def show(v):
    """A JSON value as findings show it (the same as `wslconst validate`)."""
    if v is MISSING:
        return 'nothing (missing)'
    if v is None:
        return 'null'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return 'an array'
    return 'an object'


def same(a, b):
    """JSON equality where 17 and 17.0, or 1 and true, are different values."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


class Findings:
    def __init__(self):
        self.items = []

    def add(self, field, message):
        self.items.append('%s: %s' % (field, message))

    def expect_eq(self, field, found, expected):
        if found is MISSING or not same(found, expected):
            self.add(field, 'expected %s, found %s' % (show(expected), show(found)))

    def expect_tree(self, field, found, expected):
        """expect_eq, but objects member by member, so a deep difference names its field."""
        if isinstance(found, list) and isinstance(expected, list):
            if not same(found, expected):
                text = lambda v: json.dumps(v, separators=(',', ':'), ensure_ascii=False)
                self.add(field, 'expected %s, found %s' % (text(expected), text(found)))
            return
        if not (isinstance(found, dict) and isinstance(expected, dict)):
            self.expect_eq(field, found, expected)
            return
        for key in sorted(expected):
            self.expect_tree(field + '.' + key, found.get(key, MISSING), expected[key])
        self.unknown_keys(field + '.', found, expected, 'field')

    def unknown_keys(self, prefix, mapping, known, what):
        for key in sorted(mapping):
            if key not in known:
                self.add(prefix + key, 'unknown ' + what)


def file_namespace(constants, name):
    if not isinstance(constants, dict) or not isinstance(constants.get(name), dict):
        return None
    return parse_guid(constants[name].get('value'))


def recompute(vector, constants):
    """A vector's GUID from the file's own constants, or None when it cannot be computed."""
    def text(key):
        value = vector.get(key)
        return value if isinstance(value, str) else None
    kind = text('kind')
    if kind == 'tier1':
        ns, name = file_namespace(constants, 'TERMINAL_PROFILE_NAMESPACE_GUID'), text('name')
        return v5(ns, name) if ns is not None and name is not None else None
    if kind == 'tier2':
        ns, distribution_id = file_namespace(constants, 'WslTerminalNamespace'), parse_guid(text('distributionId'))
        return v5(ns, braced(distribution_id)) if ns is not None and distribution_id is not None else None
    if kind == 'fragment':
        root, source, name = file_namespace(constants, 'RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID'), text('source'), text('name')
        if root is None or source is None or name is None:
            return None
        return v5(v5(root, source) if source else root, name)
    return None


def validate(doc):
    """Every problem with doc as a constants.json, in the order wslconst reports them.

    Twin of wslconst_model::validate::validate.
    """
    out = Findings()
    if not isinstance(doc, dict):
        out.add('(root)', 'expected an object, found %s' % show(doc))
        return out.items
    if not isinstance(doc.get('generator'), str):
        out.add('generator', 'expected a string, found %s' % show(doc.get('generator', MISSING)))
    for key in CONVENTION_KEYS:
        out.expect_eq(key, doc.get(key, MISSING), CONVENTIONS[key])

    constants = doc.get('constants', MISSING)
    if not isinstance(constants, dict):
        out.add('constants', 'expected an object, found %s' % show(constants))
        constants = None
    else:
        for name in sorted(CONSTANTS):
            field = 'constants.' + name
            if name not in constants:
                out.add(field, 'missing')
                continue
            found = constants[name]
            if not isinstance(found, dict):
                out.add(field, 'expected an object, found %s' % show(found))
                continue
            for key in CONSTANT_FIELDS:
                if key == 'origin':
                    if found.get(key) not in ORIGINS or not isinstance(found.get(key), str):
                        out.add(field + '.origin', 'expected "pin-file" or "source-tree", found %s' % show(found.get(key, MISSING)))
                else:
                    out.expect_eq(field + '.' + key, found.get(key, MISSING), CONSTANTS[name][key])
            out.unknown_keys(field + '.', found, CONSTANT_FIELDS, 'field')
        out.unknown_keys('constants.', constants, CONSTANTS, 'constant: this build does not know it')

        def value(name):
            entry = constants.get(name)
            return entry.get('value', MISSING) if isinstance(entry, dict) else MISSING
        wsl, terminal = value('GeneratedProfilesTerminalNamespace'), value('TERMINAL_PROFILE_NAMESPACE_GUID')
        if wsl is not MISSING and terminal is not MISSING and not same(wsl, terminal):
            out.add('constants.GeneratedProfilesTerminalNamespace.value',
                    'cross-validation failed: %s must equal constants.TERMINAL_PROFILE_NAMESPACE_GUID.value %s, '
                    "or WSL's hide entry misses Terminal's generated profile" % (show(wsl), show(terminal)))

    vectors = doc.get('vectors', MISSING)
    if not isinstance(vectors, list):
        out.add('vectors', 'expected an array, found %s' % show(vectors))
    else:
        if len(vectors) != len(VECTORS):
            out.add('vectors', 'expected %d vectors, found %d' % (len(VECTORS), len(vectors)))
        for i, found in enumerate(vectors):
            field = 'vectors[%d]' % i
            if not isinstance(found, dict):
                out.add(field, 'expected an object, found %s' % show(found))
                continue
            if i < len(VECTORS):
                expected = VECTORS[i]
                for key in sorted(set(expected) | set(found)):
                    if key in expected:
                        out.expect_eq(field + '.' + key, found.get(key, MISSING), expected[key])
                    else:
                        out.add(field + '.' + key, 'unknown field')
            published = parse_guid(found.get('guid'))
            computed = recompute(found, constants)
            if published is not None and computed is not None and published != computed:
                out.add(field + '.guid', 'recomputing from the file\'s constants gives "%s", the file says "%s"'
                        % (braced(computed), braced(published)))

    out.expect_tree('wslRules', doc.get('wslRules', MISSING), WSL_RULES)

    out.unknown_keys('', doc, TOP_LEVEL_KEYS, 'field')
    return out.items


def selftest():
    """Recomputes every baked-in vector and checks the baked-in constants agree."""
    problems = []
    for name, ns in [('TERMINAL_PROFILE_NAMESPACE_GUID', TERMINAL_PROFILE_NAMESPACE),
                     ('WslTerminalNamespace', WSL_TERMINAL_NAMESPACE),
                     ('RUNTIME_GENERATED_PROFILE_NAMESPACE_GUID', RUNTIME_GENERATED_PROFILE_NAMESPACE)]:
        if CONSTANTS[name]['value'] != braced(ns):
            problems.append('%s: table says %s, namespace is %s' % (name, CONSTANTS[name]['value'], braced(ns)))
    for i, v in enumerate(VECTORS):
        if v['kind'] == 'tier1':
            got = tier1(v['name'])
        elif v['kind'] == 'tier2':
            got = tier2(v['distributionId'])
        else:
            got = fragment(v['source'], v['name'])
        if got != v['guid']:
            problems.append('vectors[%d]: computed %s, published %s (%s)' % (i, got, v['guid'], v['publishedIn']))
    return problems


def main(argv):
    if not argv or argv[0] in ('-h', '--help', 'help'):
        sys.stdout.write(__doc__)
        return 0 if argv else 2
    command, args = argv[0], argv[1:]
    try:
        if command == 'tier1':
            for name in args:
                print(tier1(name))
            return 0
        if command == 'tier2':
            for distribution_id in args:
                print(tier2(distribution_id))
            return 0
        if command == 'fragment':
            if not args:
                sys.stderr.write('validate.py: fragment needs SOURCE and at least one NAME\n')
                return 2
            for name in args[1:]:
                print(fragment(args[0], name))
            return 0
    except ValueError as e:
        sys.stderr.write('validate.py: %s\n' % e)
        return 2
    if command == 'selftest':
        problems = selftest()
        for p in problems:
            print(p)
        sys.stderr.write('selftest: %s\n' % ('%d problem(s)' % len(problems) if problems else 'ok, %d vectors' % len(VECTORS)))
        return 1 if problems else 0
    if command == 'check':
        if len(args) != 1:
            sys.stderr.write('validate.py: check takes one constants.json\n')
            return 2
        path = args[0]
    elif args:
        sys.stderr.write('validate.py: unknown command %r; see validate.py --help\n' % command)
        return 2
    else:
        path = command
    try:
        with open(path, 'rb') as f:
            doc = json.loads(f.read().decode('utf-8'))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        sys.stderr.write('validate.py: cannot read %s as JSON: %s\n' % (path, e))
        return 2
    findings = validate(doc)
    for finding in findings:
        print(finding)
    sys.stderr.write('%s: %s\n' % (path, '%d problem(s)' % len(findings) if findings else 'ok'))
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
