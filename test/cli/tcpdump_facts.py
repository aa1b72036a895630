#!/usr/bin/env python3
"""Compare `mcast dump -r X --json` with tcpdump's expected output for X.

usage: tcpdump_facts.py EXPECTED.out DUMP.jsonl
Prints one TAP line per packet: the facts tcpdump states (addresses, message
kind, group, max response time, mtrace ids, DVMRP code and version) must be
the facts mcast states.
"""
import json
import re
import sys


def tenths(text):
    """tcpdump's v3 time ("51m12s", "1.0s") in tenths of a second."""
    m = re.fullmatch(r'(?:(\d+)m)?(?:(\d+)(?:\.(\d))?s)?', text)
    minutes, secs, frac = (int(x) if x else 0 for x in m.groups())
    return (minutes * 60 + secs) * 10 + frac


def facts_of_tcpdump(line):
    m = re.match(r'\s*\d+\s+\S+ \S+ IP (\S+) > (\S+): (.*)$', line)
    src, dst, rest = m.groups()
    f = {'src': src, 'dst': dst}
    if rest.startswith('igmp query v1'):
        f['kind'] = 'v1 query'
    elif rest.startswith('igmp query v2') or rest.startswith('igmp query v3'):
        f['kind'] = 'v%s query' % rest[12]
        mrt = re.search(r'\[max resp time ([^\]]+)\]', rest)
        if f['kind'] == 'v2 query':
            # tcpdump prints v2 in tenths, and omits the default 100.
            f['max_resp_tenths'] = int(mrt.group(1)) if mrt else 100
        else:
            f['max_resp_tenths'] = tenths(mrt.group(1)) if mrt else 100
        g = re.search(r'\[gaddr (\S+)\]', rest)
        f['group'] = g.group(1) if g else '0.0.0.0'
    elif re.match(r'igmp v[12] report', rest):
        f['kind'] = rest[5:14]
        f['group'] = rest.split()[-1]
    elif rest.startswith('igmp leave'):
        f['kind'] = 'v2 leave'
        f['group'] = rest.split()[-1]
    elif rest.startswith('mtrace ') or rest.startswith('mresp '):
        m = re.match(r'(mtrace|mresp) (\d+): (\S+) to (\S+) reply-to (\S+)',
                     rest)
        f['kind'] = 'mtrace query' if m.group(1) == 'mtrace' \
            else 'mtrace response'
        f['mtrace'] = {'query_id': int(m.group(2)), 'source': m.group(3),
                       'dest': m.group(4), 'response_addr': m.group(5)}
    elif rest.startswith('igmp dvmrp'):
        f['kind'] = 'DVMRP'
        m = re.match(r'igmp dvmrp (\S+?)(?: \(v (\d+)\.(\d+)\))?(?::|$)',
                     rest)
        f['dvmrp'] = {'code': m.group(1).lower()}
        if m.group(2):
            f['dvmrp']['major'] = int(m.group(2))
            f['dvmrp']['minor'] = int(m.group(3))
    else:
        f['kind'] = '?' + rest
    return f


def agrees(want, got):
    """Every fact of want is in got (dicts compared key by key)."""
    for key, value in want.items():
        if isinstance(value, dict):
            if not isinstance(got.get(key), dict) or \
                    not agrees(value, got[key]):
                return False
        elif got.get(key) != value:
            return False
    return True


def main():
    expected = [l for l in open(sys.argv[1]) if l.strip()]
    dumped = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    bad = 0
    name = sys.argv[1].rsplit('/', 1)[-1]
    if len(expected) != len(dumped):
        print('not ok - %s: tcpdump shows %d packets, mcast dump %d'
              % (name, len(expected), len(dumped)))
        bad += 1
    for i, (line, got) in enumerate(zip(expected, dumped), 1):
        want = facts_of_tcpdump(line)
        if agrees(want, got):
            print('ok - %s packet %d: %s' % (name, i, want['kind']))
        else:
            print('not ok - %s packet %d: tcpdump says %s, mcast says %s'
                  % (name, i, json.dumps(want), json.dumps(got)))
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
