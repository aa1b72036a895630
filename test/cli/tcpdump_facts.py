#!/usr/bin/env python3
"""Compare `mcast dump -r X --json` with tcpdump's expected output for X.

usage: tcpdump_facts.py EXPECTED.out DUMP.jsonl
       tcpdump_facts.py --vv TCPDUMP-VV.txt DUMP.jsonl
Prints one TAP line per packet: the facts tcpdump states (addresses, message
kind, group, max response time, mtrace ids, DVMRP code and version) must be
the facts mcast states.  With --vv, the input is `tcpdump -n -vv` of DVMRP
packets, several lines each, and the facts go down to the DVMRP bodies:
GenID and neighbours of probes, every route of reports, source, group and
lifetime of prunes, grafts and acks, every neighbour of an mrinfo reply.
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


def seconds(text):
    """tcpdump's prune timer ("1h29s", "2d3h") in seconds."""
    unit = {'y': 31536000, 'w': 604800, 'd': 86400, 'h': 3600, 'm': 60,
            's': 1}
    return sum(int(n) * unit[u] for n, u in re.findall(r'(\d+)([ywdhms])',
                                                       text))


def vv_packets(text):
    """tcpdump -vv output: the lines of each packet, joined."""
    packets = []
    for line in text.splitlines():
        if re.match(r'\d\d:\d\d:\d\d\.\d+ IP ', line):
            packets.append([])
        elif packets:
            packets[-1].append(line.strip())
    return packets


def facts_of_tcpdump_vv(lines):
    """Facts of one DVMRP packet of tcpdump -n -vv."""
    m = re.match(r'(\S+) > (\S+): igmp dvmrp (\S+)(.*)$', lines[0])
    src, dst, code, rest = m.groups()
    d = {'code': code.lower()}
    f = {'src': src, 'dst': dst, 'kind': 'DVMRP', 'dvmrp': d}
    if code == 'Probe':
        d['genid'] = int(lines[1].split()[1])
        d['neighbors'] = [l.split()[1] for l in lines[2:]]
    elif code == 'Report':
        routes, mask = [], None
        for l in lines[1:]:
            w = l.split()
            if w[0] == 'Mask':
                mask = w[1]
            else:
                routes.append({'origin': w[0], 'mask': mask,
                               'metric': int(w[2])})
        d['routes'] = routes
    elif code in ('Prune', 'Graft', 'Graft-ACK'):
        w = rest.split()
        d['source'], d['group'] = w[1], w[3]
        if code == 'Prune':
            d['lifetime_s'] = seconds(w[5])
    elif code == 'Neighbors2':
        v = re.match(r' \(v (\d+)\.(\d+)\):', rest)
        d['major'], d['minor'] = int(v.group(1)), int(v.group(2))
        d['links'] = [[a, b, int(mt), int(th),
                       [x for x in fl.split('/') if x]]
                      for a, b, mt, th, fl in re.findall(
                          r'\[(\S+) -> (\S+) \((\d+)/(\d+)((?:/\w+)*)\)\]',
                          rest)]
    return f


def links_of_mcast(got):
    """mcast's vifs of an mrinfo reply as tcpdump's [local -> nbr] list;
    tcpdump prints no leaf or pim flag."""
    d = got.get('dvmrp', {})
    if 'vifs' in d:
        d['links'] = [[v['local'], n, v['metric'], v['threshold'],
                       [x for x in v['flags'] if x not in ('leaf', 'pim')]]
                      for v in d['vifs'] for n in v['neighbors']]
    return got


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


def compare(name, expected, dumped, facts):
    """One TAP line per packet: facts(expected[i]) agree with dumped[i]."""
    bad = 0
    if len(expected) != len(dumped):
        print('not ok - %s: tcpdump shows %d packets, mcast dump %d'
              % (name, len(expected), len(dumped)))
        bad += 1
    for i, (line, got) in enumerate(zip(expected, dumped), 1):
        want = facts(line)
        what = want['kind'] if 'dvmrp' not in want else \
            'dvmrp ' + want['dvmrp']['code']
        if agrees(want, got):
            print('ok - %s packet %d: %s' % (name, i, what))
        else:
            print('not ok - %s packet %d: tcpdump says %s, mcast says %s'
                  % (name, i, json.dumps(want), json.dumps(got)))
            bad += 1
    return 1 if bad else 0


def main():
    if sys.argv[1] == '--vv':
        return compare(sys.argv[2].rsplit('/', 1)[-1],
                       vv_packets(open(sys.argv[2]).read()),
                       [links_of_mcast(json.loads(l))
                        for l in open(sys.argv[3]) if l.strip()],
                       facts_of_tcpdump_vv)
    return compare(sys.argv[1].rsplit('/', 1)[-1],
                   [l for l in open(sys.argv[1]) if l.strip()],
                   [json.loads(l) for l in open(sys.argv[2]) if l.strip()],
                   facts_of_tcpdump)


if __name__ == '__main__':
    sys.exit(main())
