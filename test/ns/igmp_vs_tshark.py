#!/usr/bin/env python3
"""Compare `mcast dump -r X --json` with tshark's decoding of X.

usage: igmp_vs_tshark.py DUMP.jsonl TSHARK.tsv
TSHARK.tsv: tshark -T fields -E separator=/t -e ip.src -e igmp.type
            -e igmp.maddr -e igmp.record_type -e igmp.saddr -e igmp.max_resp
Per packet: source, type, group(s), record types and sources must agree.
"""
import json
import sys

KIND_TYPE = {'v1 query': 0x11, 'v2 query': 0x11, 'v3 query': 0x11,
             'v1 report': 0x12, 'v2 report': 0x16, 'v2 leave': 0x17,
             'v3 report': 0x22}


def split(field):
    return [v for v in field.split(',') if v] if field else []


def ours(p):
    groups, rtypes, sources = [], [], []
    if p.get('kind') == 'v3 report':
        for r in p['records']:
            groups.append(r['group'])
            rtypes.append(str(r['type_code']))
            sources.extend(r['sources'])
    else:
        groups.append(p.get('group', ''))
        sources.extend(p.get('sources', []))
    return {'src': p['src'], 'type': str(KIND_TYPE.get(p.get('kind'), -1)),
            'groups': groups, 'record_types': rtypes, 'sources': sources}


def theirs(line):
    f = (line.rstrip('\n').split('\t') + [''] * 6)[:6]
    groups = split(f[2])
    # tshark has no igmp.maddr for a general query's 0.0.0.0 in some
    # versions; it prints 0.0.0.0 in 4.0.
    return {'src': f[0], 'type': str(int(f[1], 0)) if f[1] else '',
            'groups': groups, 'record_types': split(f[3]),
            'sources': split(f[4])}


def main():
    dumped = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    shark = [l for l in open(sys.argv[2]) if l.strip()]
    bad = 0
    if len(dumped) != len(shark) or not dumped:
        print('not ok - tshark decoded %d IGMP packets, mcast dump %d'
              % (len(shark), len(dumped)))
        return 1
    print('ok - tshark and mcast dump both see %d packets' % len(dumped))
    for i, (p, line) in enumerate(zip(dumped, shark), 1):
        a, b = ours(p), theirs(line)
        if a != b:
            print('not ok - packet %d: mcast %s, tshark %s' % (i, a, b))
            bad += 1
    if not bad:
        print('ok - every packet: same source, type, groups, record '
              'types and sources')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
