#!/usr/bin/python3
"""Compare `vtopoctl decode` output (JSON lines) with tshark's dissection of
the same capture (`tshark -T json -O bgp --no-duplicate-keys`): message by
message, the fields both know, normalised to one form.  tshark is the
independent implementation: its values are the expected ones.

usage: compare_tshark.py VTOPOCTL.jsonl TSHARK.json EXPECTED_COUNT
"""
import json
import sys

TYPES = {1: 'open', 2: 'update', 3: 'notification', 4: 'keepalive', 5: 'route-refresh'}
FAMS = {(1, 1): 'ipv4-unicast', (2, 1): 'ipv6-unicast', (1, 128): 'ipv4-vpn',
        (2, 128): 'ipv6-vpn', (1, 4): 'ipv4-labeled-unicast', (1, 132): 'rtc'}
ORIGINS = {0: 'igp', 1: 'egp', 2: 'incomplete'}
RR_SUBTYPES = {0: 'normal', 1: 'begin', 2: 'end'}


def listify(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def ts_prefixes(tree, key):
    out = []
    for name, n in (tree or {}).items():
        for e in listify(n):
            pid = e.get('bgp.nlri_path_id')
            pfx = '%s/%s' % (e[key], e['bgp.prefix_length'])
            out.append('%s %s' % (pid, pfx) if pid is not None else pfx)
    return out


def ts_aspath(attr):
    segs = []
    for s in listify(attr.get('bgp.update.path_attribute.as_path_segment')):
        asns = listify(s.get('bgp.update.path_attribute.as_path_segment.as4') or
                       s.get('bgp.update.path_attribute.as_path_segment.as2'))
        if s['bgp.update.path_attribute.as_path_segment.type'] == '1':
            segs.append('{%s}' % ','.join(asns))
        else:
            segs.append(' '.join(asns))
    return ' '.join(segs)


def ts_caps(m):
    caps = []
    for p in listify(m.get('bgp.open.opt', {}).get('bgp.open.opt.param')):
        for c in listify(p.get('bgp.cap')):
            code = int(c['bgp.cap.type'])
            cap = {'code': code}
            if code == 65:
                cap['asn'] = int(c['bgp.cap.4as'])
            if code == 69:
                sr = int(c['bgp.cap.ap.sendreceive'])
                fam = FAMS[(int(c['bgp.cap.ap.afi']), int(c['bgp.cap.ap.safi']))]
                cap['families'] = [(fam, bool(sr & 2), bool(sr & 1))]
            if code == 1:
                cap['family'] = FAMS[(int(c['bgp.cap.mp.afi']), int(c['bgp.cap.mp.safi']))]
            caps.append(cap)
    return caps


def ts_message(m):
    t = TYPES[int(m['bgp.type'])]
    out = {'type': t, 'length': int(m['bgp.length'])}
    if t == 'open':
        out.update(my_as=int(m['bgp.open.myas']), hold_time=int(m['bgp.open.holdtime']),
                   bgp_id=m['bgp.open.identifier'], caps=ts_caps(m))
    elif t == 'update':
        out['withdrawn'] = ts_prefixes(m.get('bgp.update.withdrawn_routes'),
                                       'bgp.withdrawn_prefix')
        out['nlri'] = ts_prefixes(m.get('bgp.update.nlri'), 'bgp.nlri_prefix')
        for a in listify(m.get('bgp.update.path_attributes', {})
                         .get('bgp.update.path_attribute')):
            code = int(a['bgp.update.path_attribute.type_code'])
            if code == 1:
                out['origin'] = ORIGINS[int(a['bgp.update.path_attribute.origin'])]
            elif code == 2:
                out['as_path'] = ts_aspath(a)
            elif code == 3:
                out['next_hop'] = a['bgp.update.path_attribute.next_hop']
            elif code == 4:
                out['med'] = int(a['bgp.update.path_attribute.multi_exit_disc'])
    elif t == 'notification':
        out['code'] = int(m['bgp.notify.major_error'])
        sub = [v for k, v in m.items() if k.startswith('bgp.notify.minor_error')]
        out['subcode'] = int(sub[0])
        if 'bgp.notify.communication' in m:
            out['shutdown_message'] = m['bgp.notify.communication']
    elif t == 'route-refresh':
        out['family'] = FAMS[(int(m['bgp.route_refresh.afi']),
                              int(m['bgp.route_refresh.safi']))]
        out['subtype'] = RR_SUBTYPES[int(m['bgp.route_refresh.subtype'])]
    return out


def endpoint(layers, side):
    ip = layers.get('ip', {}).get('ip.' + side)
    if ip is None:
        ip = '[%s]' % layers['ipv6']['ipv6.' + side]
    return '%s:%s' % (ip, layers['tcp']['tcp.%sport' % side])


def from_tshark(path):
    msgs = []
    for pkt in json.load(open(path)):
        layers = pkt['_source']['layers']
        for m in listify(layers.get('bgp')):
            d = ts_message(m)
            d['src'] = endpoint(layers, 'src')
            d['dst'] = endpoint(layers, 'dst')
            d['time'] = round(float(layers['frame']['frame.time_epoch']), 6)
            msgs.append(d)
    return msgs


def vt_nlri(lst):
    return ['%s %s' % (n['path_id'], n['prefix']) if 'path_id' in n else n['prefix']
            for n in lst or []]


def vt_caps(o):
    caps = []
    for c in o.get('capabilities', []):
        cap = {'code': c['code']}
        if c['code'] == 65:
            cap['asn'] = c['asn']
        if c['code'] == 69:
            cap['families'] = [(f['family'], f['send'], f['receive']) for f in c['families']]
        if c['code'] == 1:
            cap['family'] = c['family']
        caps.append(cap)
    return caps


def vt_message(o):
    out = {k: o[k] for k in ('type', 'length', 'src', 'dst')}
    out['time'] = round(o['time'], 6)
    t = o['type']
    if t == 'open':
        out.update(my_as=o['my_as'], hold_time=o['hold_time'], bgp_id=o['bgp_id'],
                   caps=vt_caps(o))
    elif t == 'update':
        out['withdrawn'] = vt_nlri(o.get('withdrawn'))
        out['nlri'] = vt_nlri(o.get('nlri'))
        a = o.get('attributes', {})
        for k in ('origin', 'as_path', 'next_hop', 'med'):
            if k in a:
                out[k] = a[k]
    elif t == 'notification':
        out['code'] = o['code']
        out['subcode'] = o['subcode']
        if 'shutdown_message' in o:
            out['shutdown_message'] = o['shutdown_message']
    elif t == 'route-refresh':
        out['family'] = o['family']
        out['subtype'] = o['subtype']
    if 'verdict' in o:
        out['verdict'] = o['verdict']
    return out


def main():
    vt_path, ts_path, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
    vt = [vt_message(json.loads(line)) for line in open(vt_path) if line.strip()]
    ts = from_tshark(ts_path)
    bad = 0
    if len(ts) != want:
        print('tshark found %d messages, the conversation has %d' % (len(ts), want))
        bad += 1
    if len(vt) != len(ts):
        print('vtopoctl printed %d messages, tshark %d' % (len(vt), len(ts)))
        bad += 1
    for i, (a, b) in enumerate(zip(vt, ts)):
        if a != b:
            bad += 1
            print('message %d differs:\n  vtopoctl: %s\n  tshark:   %s' % (i, a, b))
    print('%d messages compared, %d problems' % (min(len(vt), len(ts)), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
