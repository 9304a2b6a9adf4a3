#!/usr/bin/env python3
"""Writes hawatch-rules.test.yml, the promtool unit tests of hawatch-rules.yml.

The cases below say, for each rule, which input series make it fire, when,
and with which labels; the expected annotations are the rule's templates
expanded with those labels, so a changed summary or description only needs
this script re-run. promtool then checks the rules against the cases:

    python3 deploy/prometheus/gen_rules_test.py
    promtool test rules deploy/prometheus/hawatch-rules.test.yml

Needs PyYAML (Debian python3-yaml).
"""
import os
import re
import sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, 'hawatch-rules.yml')
OUT = os.path.join(HERE, 'hawatch-rules.test.yml')
N = 90  # samples per series: 0..90m
rules = [r for g in yaml.safe_load(open(RULES))['groups'] for r in g['rules']]
ALERTS = sorted({r['alert'] for r in rules})

def const(v, n=N):
    return f'{v}x{n}'

def seq(*parts):
    """seq((value, count), ...) -> 'v1x(c1-1) v2x(c2-1)' covering count samples each."""
    out = []
    for v, c in parts:
        out.append(f'{v}' if c == 1 else f'{v}x{c-1}')
    return ' '.join(out)

JOB = 'job="hawatch",instance="hawatch-0:9799"'
STATES = ['initial', 'active', 'passive', 'tentative', 'non-functional', 'suspended', 'unknown']

def healthy(pair='p1'):
    s = {}
    def put(name, labels, v):
        s[(name, labels)] = v
    P = f'pair="{pair}"'
    for peer, st, other in (('a', 'active', 'passive'), ('b', 'passive', 'active')):
        pp = f'{P},peer="{peer}"'
        put('hawatch_peer_up', pp, const(1))
        put('hawatch_ha_enabled', pp, const(1))
        put('hawatch_ha_mode_info', pp + ',mode="active-passive"', const(1))
        for x in STATES:
            put('hawatch_ha_state', pp + f',state="{x}"', const(1 if x == st else 0))
            put('hawatch_ha_peer_state', pp + f',state="{x}"', const(1 if x == other else 0))
        put('hawatch_ha_peer_connected', pp, const(1))
        put('hawatch_ha_state_duration_seconds', pp, const(3600))
        for link in ('ha1', 'ha2'):
            put('hawatch_ha_link_up', pp + f',link="{link}"', const(1))
        put('hawatch_ha_config_synchronized', pp, const(1))
        put('hawatch_ha_session_sync_complete', pp, const(1))
        for item in ('build', 'app'):
            put('hawatch_ha_compat_match', pp + f',item="{item}"', const(1))
        for kind in ('preempt', 'nonfunc'):
            put('hawatch_ha_flaps', pp + f',kind="{kind}"', const(0))
        put('hawatch_ha_max_flaps', pp, const(3))
        put('hawatch_ha_suspended_by_user', pp, const(0))
        for i, role in (('ethernet1/1', 'data-plane'), ('ethernet1/2', 'data-plane'), ('ethernet1/3', 'ha')):
            put('hawatch_interface_up', pp + f',interface="{i}"', const(1))
            put('hawatch_interface_info', pp + f',interface="{i}",zone="z",ip="",role="{role}"', const(1))
        put('hawatch_ha_link_monitor_group_failed', pp + ',group="uplinks"', const(0))
        put('hawatch_ha_path_monitor_group_failed', pp + ',group="gateway"', const(0))
        put('hawatch_sessions_connections_per_second', pp, const(20 if st == 'active' else 0))
        put('hawatch_throughput_bytes_per_second', pp, const(1e6 if st == 'active' else 0))
        put('hawatch_aws_instance_status_ok', pp, const(1))
        put('hawatch_aws_eni_attached', pp + f',eni="eni-{peer}1",device_index="1"', const(1))
        put('hawatch_aws_eni_info', pp + f',eni="eni-{peer}1",interface="ethernet1/1",role="data-plane"', const(1))
        put('hawatch_aws_source_dest_check_enabled', pp + f',eni="eni-{peer}1"', const(0))
        put('hawatch_aws_eni_attached', pp + f',eni="eni-{peer}0",device_index="0"', const(1))
        put('hawatch_aws_eni_info', pp + f',eni="eni-{peer}0",interface="management",role="management"', const(1))
        put('hawatch_aws_source_dest_check_enabled', pp + f',eni="eni-{peer}0"', const(1))
        put('hawatch_aws_interface_subnet_match', pp + f',interface="ethernet1/1",eni="eni-{peer}1"', const(1))
    put('hawatch_pair_active_peers', P, const(1))
    put('hawatch_aws_up', P, const(1))
    put('hawatch_failover_ready', P, const(1))
    if pair == 'p1':
        s[('hawatch_notifications_sent_total', 'alertmanager="am:9093"')] = ' '.join(str(10 * i) for i in range(N + 1))
        s[('hawatch_notifications_failed_total', 'alertmanager="am:9093"')] = const(0)
    s[('up', '')] = const(1)
    put('hawatch_pair_traffic_bytes_per_second', P, const(1e6))
    put('hawatch_aws_in_failover_grace', P, const(0))
    put('hawatch_aws_route_on_active_peer', P + ',route_table="rtb-1",destination="0.0.0.0/0"', const(1))
    put('hawatch_aws_route_blackhole', P + ',route_table="rtb-1",destination="0.0.0.0/0"', const(0))
    put('hawatch_aws_floating_ip_on_active_peer', P + ',ip="10.0.1.100",kind="secondary-ip"', const(1))
    return s

def absent(s, pred):
    """Drop the series whose (name, labels) match pred."""
    for k in [k for k in s if pred(*k)]:
        del s[k]

def peer_down(s, peer, pair='p1'):
    """A peer that does not answer: peer_up 0, state unknown, no reply metrics."""
    pp = f'pair="{pair}",peer="{peer}"'
    keep = {'hawatch_peer_up', 'hawatch_ha_state'}
    absent(s, lambda n, l: l.startswith(pp) and n not in keep and not n.startswith('hawatch_aws_'))
    s[('hawatch_peer_up', pp)] = const(0)
    for x in STATES:
        s[('hawatch_ha_state', pp + f',state="{x}"')] = const(1 if x == 'unknown' else 0)

def set_state(s, peer, state, values=None, pair='p1'):
    pp = f'pair="{pair}",peer="{peer}"'
    for x in STATES:
        s[('hawatch_ha_state', pp + f',state="{x}"')] = values[x] if values else const(1 if x == state else 0)

def series(s):
    return [{'series': f'{n}{{{l + "," if l else ""}{JOB}}}', 'values': v} for (n, l), v in s.items()]

def rule_for(alert, severity):
    for r in rules:
        if r['alert'] == alert and r['labels']['severity'] == severity:
            return r
    sys.exit(f'no rule {alert} {severity}')

def expand(text, labels, value):
    def sub(m):
        expr = m.group(1).strip()
        if expr.startswith('$labels.'):
            return labels[expr[len('$labels.'):]]
        if expr == '$value':
            if value is None:
                sys.exit(f'need a value for {text}')
            return value
        sys.exit(f'cannot expand {expr}')
    return re.sub(r'\{\{(.*?)\}\}', sub, text)

def exp(alert, labels, value=None, description=None):
    """One expected alert: labels without alertname; annotations expanded."""
    r = rule_for(alert, labels['severity'])
    full = dict(labels)
    ann = {k: (description if k == 'description' and description else expand(v, full, value))
           for k, v in r['annotations'].items()}
    return {'exp_labels': labels, 'exp_annotations': ann}

def check(at, alert, *alerts):
    return {'eval_time': at, 'alertname': alert, 'exp_alerts': list(alerts)}

def none(at, *names):
    return [check(at, n) for n in names]

TESTS = []

def metrics_of(checks):
    """Metric names the rules of the checked alerts read."""
    names = set()
    for c in checks:
        for r in rules:
            if r['alert'] == c['alertname']:
                names |= set(re.findall(r'hawatch_[a-z0-9_]+', r['expr']))
                # Descriptions may query series of their own.
                names |= set(re.findall(r'hawatch_[a-z0-9_]+', r['annotations'].get('description', '')))
                if re.search(r'\bup\{', r['expr']):
                    names.add('up')
    return names

def test(name, s, checks):
    """A test case with only the series the checked rules read."""
    need = metrics_of(checks)
    s = {k: v for k, v in s.items() if k[0] in need}
    TESTS.append({'name': name, 'interval': '1m', 'input_series': series(s), 'alert_rule_test': checks})

def L(sev, **kw):
    d = {'pair': 'p1', 'severity': sev}
    d.update(kw)
    return d

# ---------------------------------------------------------------- healthy
test('healthy pair raises nothing', healthy(),
     none('5m', *ALERTS) + none('75m', *ALERTS))

# -------------------------------------------------------------- LinksDown
s = healthy()
for p in 'ab':
    for i in ('ethernet1/1', 'ethernet1/2'):
        s[('hawatch_interface_up', f'pair="p1",peer="{p}",interface="{i}"')] = const(0)
test('HAPairLinksDown: every data-plane port down on both peers', s, [
    check('0m', 'HAPairLinksDown'),
    check('2m', 'HAPairLinksDown', exp('HAPairLinksDown', L('critical'), value='2')),
])

s = healthy()
peer_down(s, 'b')
for i in ('ethernet1/1', 'ethernet1/2'):
    s[('hawatch_interface_up', f'pair="p1",peer="a",interface="{i}"')] = const(0)
test('HAPairLinksDown: judged from the peer that answers', s, [
    check('3m', 'HAPairLinksDown', exp('HAPairLinksDown', L('critical'), value='1')),
    check('3m', 'HAPeerUnreachable', exp('HAPeerUnreachable', L('warning', peer='b'))),
    check('3m', 'HAMonitoringBlind'),
])

s = healthy()
for i in ('ethernet1/1', 'ethernet1/2'):
    s[('hawatch_interface_up', f'pair="p1",peer="a",interface="{i}"')] = const(0)
test('HAPairLinksDown: one peer only is not the pair', s, none('5m', 'HAPairLinksDown'))

# A peer rebooting for an upgrade takes the HA links down with it, as the
# other peer sees them: that is HAPeerUnreachable, not the pair's links.
s = healthy()
peer_down(s, 'b')
for link in ('ha1', 'ha2'):
    s[('hawatch_ha_link_up', f'pair="p1",peer="a",link="{link}"')] = const(0)
test('HAPairLinksDown: HA links down because the other peer is down', s, [
    check('3m', 'HAPairLinksDown'),
    check('3m', 'HAPeerUnreachable', exp('HAPeerUnreachable', L('warning', peer='b'))),
])

s = healthy()
for p in 'ab':
    for link in ('ha1', 'ha2'):
        s[('hawatch_ha_link_up', f'pair="p1",peer="{p}",link="{link}"')] = seq((0, 4), (1, N - 3))
test('HAPairLinksDown: every HA link down, then keep_firing_for', s, [
    check('3m', 'HAPairLinksDown', exp('HAPairLinksDown', L('critical'), value='2')),
    check('3m', 'HALinkDown', *[exp('HALinkDown', L('warning', peer=p, link=k)) for p in 'ab' for k in ('ha1', 'ha2')]),
    check('8m', 'HAPairLinksDown', exp('HAPairLinksDown', L('critical'), value='2')),
    check('8m', 'HALinkDown', *[exp('HALinkDown', L('warning', peer=p, link=k)) for p in 'ab' for k in ('ha1', 'ha2')]),
    check('9m', 'HAPairLinksDown'),
    check('9m', 'HALinkDown'),
])

# ------------------------------------------------------------ blind
s = healthy()
peer_down(s, 'a')
peer_down(s, 'b')
test('HAMonitoringBlind: neither peer answers, never links down', s, [
    check('1m', 'HAMonitoringBlind'),
    check('2m', 'HAMonitoringBlind', exp('HAMonitoringBlind', L('critical'))),
    # Said once for the pair, not once per peer.
    *none('5m', 'HAPairLinksDown', 'HAPairNoActivePeer', 'HAPairTrafficStopped', 'HAPeerUnreachable'),
])

# The same hawatch scraped by two Prometheus jobs/instances.
test_series = series(healthy())
dup = [{'series': x['series'].replace('hawatch-0:9799', 'hawatch-1:9799'), 'values': x['values']} for x in test_series]
for x in test_series + dup:
    if x['series'].startswith('hawatch_peer_up{'):
        x['values'] = const(0)
dup_checks = [
                  check('3m', 'HAMonitoringBlind', exp('HAMonitoringBlind', L('critical'))),
              ]
need = metrics_of(dup_checks)
TESTS.append({'name': 'scraped twice: one alert per label set', 'interval': '1m',
              'input_series': [x for x in test_series + dup if x['series'].split('{')[0] in need],
              'alert_rule_test': dup_checks})

# ------------------------------------------------------------ unreachable
s = healthy()
peer_down(s, 'b')
test('HAPeerUnreachable: one peer', s, [
    check('0m', 'HAPeerUnreachable'),
    check('1m', 'HAPeerUnreachable', exp('HAPeerUnreachable', L('warning', peer='b'))),
    check('2m', 'HAPairNoActivePeer'),
])

# A planned reboot: b is suspended by the operator for 3 minutes, then goes
# silent for 40. Its silence is info for the 30 minutes after its last
# answer, a warning after that; the links to it are never HALinkDown.
s = healthy()
pb = 'pair="p1",peer="b"'
s[('hawatch_peer_up', pb)] = seq((1, 3), (0, 40), (1, N - 42))
s[('hawatch_ha_suspended_by_user', pb)] = seq((1, 3)) + f' _x39 0x{N - 42}'
for link in ('ha1', 'ha2'):
    s[('hawatch_ha_link_up', f'pair="p1",peer="a",link="{link}"')] = seq((1, 3), (0, 40), (1, N - 42))
test('HAPeerUnreachable: a planned reboot is info, then a warning', s, [
    check('3m', 'HAPeerUnreachable'),
    check('4m', 'HAPeerUnreachable', exp('HAPeerUnreachable', L('info', peer='b'))),
    check('4m', 'HALinkDown'),
    check('31m', 'HAPeerUnreachable', exp('HAPeerUnreachable', L('info', peer='b'))),
    check('34m', 'HAPeerUnreachable', exp('HAPeerUnreachable', L('warning', peer='b'))),
    check('50m', 'HAPeerUnreachable'),
])

# ------------------------------------------------------------ maintenance
s = healthy()
s[('hawatch_pair_maintenance', 'pair="p1"')] = seq((0, 2), (1, 20), (0, N - 21))
test('HAPairMaintenance: while announced, kept 10 minutes', s, [
    check('1m', 'HAPairMaintenance'),
    check('2m', 'HAPairMaintenance', exp('HAPairMaintenance', L('info'))),
    check('31m', 'HAPairMaintenance', exp('HAPairMaintenance', L('info'))),
    check('33m', 'HAPairMaintenance'),
])

# ------------------------------------------------------------ standalone
s = healthy()
peer_down(s, 'b')
s[('hawatch_ha_enabled', 'pair="p1",peer="a"')] = const(0)
absent(s, lambda n, l: n.startswith('hawatch_ha_') and n not in ('hawatch_ha_enabled', 'hawatch_ha_state'))
set_state(s, 'a', 'unknown')
s[('hawatch_pair_active_peers', 'pair="p1"')] = const(0)
s[('hawatch_pair_traffic_bytes_per_second', 'pair="p1"')] = seq((1e6, 5), (0, N - 4))
s[('hawatch_sessions_connections_per_second', 'pair="p1",peer="a"')] = const(0)
s[('hawatch_throughput_bytes_per_second', 'pair="p1",peer="a"')] = const(0)
s[('hawatch_aws_interface_subnet_match', 'pair="p1",peer="a",interface="ethernet1/1",eni="eni-a1"')] = const(0)
s[('hawatch_aws_instance_status_ok', 'pair="p1",peer="b"')] = const(0)
s[('hawatch_aws_route_blackhole', 'pair="p1",route_table="rtb-1",destination="0.0.0.0/0"')] = const(1)
test('standalone firewall raises no HA alert', s, none('20m', *ALERTS))

# ------------------------------------------------------------ traffic
s = healthy()
s[('hawatch_pair_traffic_bytes_per_second', 'pair="p1"')] = seq((1e6, 11), (0, N - 10))
s[('hawatch_sessions_connections_per_second', 'pair="p1",peer="a"')] = seq((20, 11), (0, N - 10))
s[('hawatch_throughput_bytes_per_second', 'pair="p1",peer="a"')] = seq((1e6, 11), (0, N - 10))
test('HAPairTrafficStopped: after a baseline, until it expires', s, [
    check('13m', 'HAPairTrafficStopped'),
    check('14m', 'HAPairTrafficStopped', exp('HAPairTrafficStopped', L('critical'), value='0')),
    check('68m', 'HAPairTrafficStopped', exp('HAPairTrafficStopped', L('critical'), value='0')),
    check('75m', 'HAPairTrafficStopped', exp('HAPairTrafficStopped', L('critical'), value='0')),
    check('77m', 'HAPairTrafficStopped'),
])

s = healthy()
s[('hawatch_pair_traffic_bytes_per_second', 'pair="p1"')] = const(0)
s[('hawatch_sessions_connections_per_second', 'pair="p1",peer="a"')] = const(0)
s[('hawatch_throughput_bytes_per_second', 'pair="p1",peer="a"')] = const(0)
test('HAPairTrafficStopped: an idle pair without a floor is not stopped', s, none('20m', 'HAPairTrafficStopped'))

s = healthy()
s[('hawatch_pair_traffic_bytes_per_second', 'pair="p1"')] = const(500)
s[('hawatch_pair_traffic_floor_bytes_per_second', 'pair="p1"')] = const(1000)
s[('hawatch_sessions_connections_per_second', 'pair="p1",peer="a"')] = const(0)
s[('hawatch_throughput_bytes_per_second', 'pair="p1",peer="a"')] = const(1000)
test('HAPairTrafficStopped: below the configured floor', s, [
    check('2m', 'HAPairTrafficStopped'),
    check('3m', 'HAPairTrafficStopped', exp('HAPairTrafficStopped', L('critical'), value='500')),
])

s = healthy()
s[('hawatch_pair_traffic_bytes_per_second', 'pair="p1"')] = seq((1e6, 11), (0, N - 10))
s[('hawatch_sessions_connections_per_second', 'pair="p1",peer="a"')] = seq((20, 11), (0, N - 10))
test('HAPairTrafficStopped: new connections mean traffic', s, none('20m', 'HAPairTrafficStopped'))

s = healthy()
s[('hawatch_pair_traffic_bytes_per_second', 'pair="p1"')] = seq((1e6, 11), ('_', N - 10))
s[('hawatch_sessions_connections_per_second', 'pair="p1",peer="a"')] = seq((20, 11), (0, N - 10))
s[('hawatch_throughput_bytes_per_second', 'pair="p1",peer="a"')] = seq((1e6, 11), (0, N - 10))
test('HAPairTrafficStopped: unknown traffic is not stopped', s, none('20m', 'HAPairTrafficStopped'))

# ------------------------------------------------------------ active peer
s = healthy()
set_state(s, 'a', 'passive')
s[('hawatch_pair_active_peers', 'pair="p1"')] = const(0)
for p in 'ab':
    for x in STATES:
        s[('hawatch_ha_peer_state', f'pair="p1",peer="{p}",state="{x}"')] = const(1 if x == 'passive' else 0)
test('HAPairNoActivePeer: both passive', s, [
    check('0m', 'HAPairNoActivePeer'),
    check('1m', 'HAPairNoActivePeer', exp('HAPairNoActivePeer', L('critical'))),
])

s = healthy()
peer_down(s, 'a')
s[('hawatch_pair_active_peers', 'pair="p1"')] = const(0)
test('HAPairNoActivePeer: the unreachable peer is active as its HA peer sees it', s,
     none('5m', 'HAPairNoActivePeer'))

s = healthy()
peer_down(s, 'a')
s[('hawatch_pair_active_peers', 'pair="p1"')] = const(0)
s[('hawatch_ha_peer_connected', 'pair="p1",peer="b"')] = const(0)
for x in STATES:
    s[('hawatch_ha_peer_state', f'pair="p1",peer="b",state="{x}"')] = const(1 if x == 'unknown' else 0)
test('HAPairNoActivePeer: unknown is never active', s, [
    check('2m', 'HAPairNoActivePeer', exp('HAPairNoActivePeer', L('critical'))),
])

s = healthy()
set_state(s, 'b', 'active')
s[('hawatch_pair_active_peers', 'pair="p1"')] = const(2)
test('HAPairSplitBrain: both peers active', s, [
    check('0m', 'HAPairSplitBrain'),
    check('1m', 'HAPairSplitBrain', exp('HAPairSplitBrain', L('critical'), value='2')),
    check('1m', 'HAPairFailover'),
])

s = healthy()
for p in 'ab':
    s[('hawatch_ha_mode_info', f'pair="p1",peer="{p}",mode="active-passive"')] = const(0)
    s[('hawatch_ha_mode_info', f'pair="p1",peer="{p}",mode="active-active"')] = const(1)
    set_state(s, p, 'active')
test('HAPairSplitBrain: not in active/active', s, none('5m', 'HAPairSplitBrain'))

# ------------------------------------------------------------ failover
s = healthy()
a_active = seq((1, 6), (0, N - 5))
b_active = seq((0, 6), (1, N - 5))
for p, act in (('a', a_active), ('b', b_active)):
    vals = {x: const(0) for x in STATES}
    vals['active'] = act
    vals['passive'] = b_active if p == 'a' else a_active
    set_state(s, p, None, vals)
test('HAPairFailover: fires for the new active peer for 10 minutes', s, [
    check('5m', 'HAPairFailover'),
    check('6m', 'HAPairFailover', exp('HAPairFailover', L('info', peer='b'))),
    check('14m', 'HAPairFailover', exp('HAPairFailover', L('info', peer='b'))),
    check('17m', 'HAPairFailover'),
    check('20m', 'HAPairFlapping'),
])

s = healthy()
flip_a = ' '.join(['1x1 0x1'] * 4) + f' 1x{N - 16}'
flip_b = ' '.join(['0x1 1x1'] * 4) + f' 0x{N - 16}'
for p, act, pas in (('a', flip_a, flip_b), ('b', flip_b, flip_a)):
    vals = {x: const(0) for x in STATES}
    vals['active'], vals['passive'] = act, pas
    set_state(s, p, None, vals)
test('HAPairFlapping: three failovers in 30 minutes', s, [
    check('3m', 'HAPairFlapping'),
    check('6m', 'HAPairFlapping', exp('HAPairFlapping', L('warning'))),
    check('40m', 'HAPairFlapping', exp('HAPairFlapping', L('warning'))),
    check('60m', 'HAPairFlapping'),
])

s = healthy()
s[('hawatch_ha_flaps', 'pair="p1",peer="b",kind="nonfunc"')] = const(3)
test('HAPairFlapping: max-flaps reached', s, [
    check('0m', 'HAPairFlapping', exp('HAPairFlapping', L('warning'))),
])

# ------------------------------------------------------------ peer states
s = healthy()
set_state(s, 'b', 'non-functional')
test('HAPeerNonFunctional', s, [
    check('0m', 'HAPeerNonFunctional'),
    check('1m', 'HAPeerNonFunctional', exp('HAPeerNonFunctional', L('warning', peer='b'))),
])

s = healthy()
set_state(s, 'b', 'suspended')
s[('hawatch_ha_suspended_by_user', 'pair="p1",peer="b"')] = const(1)
test('HAPeerSuspended: on request is info', s, [
    check('0m', 'HAPeerSuspended'),
    check('1m', 'HAPeerSuspended', exp('HAPeerSuspended', L('info', peer='b'))),
])

s = healthy()
set_state(s, 'b', 'suspended')
test('HAPeerSuspended: automatic is a warning', s, [
    check('1m', 'HAPeerSuspended', exp('HAPeerSuspended', L('warning', peer='b'))),
])

s = healthy()
s[('hawatch_ha_link_up', 'pair="p1",peer="b",link="ha2"')] = const(0)
test('HALinkDown: one link', s, [
    check('0m', 'HALinkDown'),
    check('1m', 'HALinkDown', exp('HALinkDown', L('warning', peer='b', link='ha2'))),
    check('1m', 'HAPairLinksDown'),
])

s = healthy()
set_state(s, 'b', 'initial')
s[('hawatch_ha_state_duration_seconds', 'pair="p1",peer="b"')] = const(300)
test('HAPeerStuckTransitional: initial for 5 minutes', s, [
    check('0m', 'HAPeerStuckTransitional', exp('HAPeerStuckTransitional', L('warning', peer='b'))),
])

s = healthy()
set_state(s, 'b', 'tentative')
s[('hawatch_ha_state_duration_seconds', 'pair="p1",peer="b"')] = const(30)
test('HAPeerStuckTransitional: briefly tentative', s, none('5m', 'HAPeerStuckTransitional'))

s = healthy()
s[('hawatch_ha_session_sync_complete', 'pair="p1",peer="b"')] = const(0)
test('HASessionSyncIncomplete: on the passive', s, [
    check('9m', 'HASessionSyncIncomplete'),
    check('10m', 'HASessionSyncIncomplete', exp('HASessionSyncIncomplete', L('warning', peer='b'))),
])

s = healthy()
s[('hawatch_ha_session_sync_complete', 'pair="p1",peer="a"')] = const(0)
test('HASessionSyncIncomplete: not judged on the active', s, none('15m', 'HASessionSyncIncomplete'))

s = healthy()
s[('hawatch_ha_config_synchronized', 'pair="p1",peer="b"')] = const(0)
test('HAConfigNotSynchronized', s, [
    check('9m', 'HAConfigNotSynchronized'),
    check('10m', 'HAConfigNotSynchronized', exp('HAConfigNotSynchronized', L('warning'))),
])

s = healthy()
s[('hawatch_ha_compat_match', 'pair="p1",peer="a",item="app"')] = const(0)
s[('hawatch_ha_compat_match', 'pair="p1",peer="b",item="build"')] = const(0)
test('HAVersionMismatch: lists every mismatched item', s, [
    check('29m', 'HAVersionMismatch'),
    check('30m', 'HAVersionMismatch', exp('HAVersionMismatch', L('warning'),
          description='The HA compatibility check of p1 reports a mismatch for: app, build.')),
])

s = healthy()
s[('hawatch_ha_link_monitor_group_failed', 'pair="p1",peer="a",group="uplinks"')] = const(1)
s[('hawatch_ha_path_monitor_group_failed', 'pair="p1",peer="b",group="gateway"')] = const(1)
test('HALinkMonitorFailed and HAPathMonitorFailed', s, [
    check('0m', 'HALinkMonitorFailed'),
    check('1m', 'HALinkMonitorFailed', exp('HALinkMonitorFailed', L('warning', peer='a', group='uplinks'))),
    check('1m', 'HAPathMonitorFailed', exp('HAPathMonitorFailed', L('warning', peer='b', group='gateway'))),
])

# ------------------------------------------------------------ AWS
def aws_broken(grace):
    s = healthy()
    s[('hawatch_aws_in_failover_grace', 'pair="p1"')] = const(1 if grace else 0)
    s[('hawatch_aws_interface_subnet_match', 'pair="p1",peer="a",interface="ethernet1/1",eni="eni-a1"')] = const(0)
    s[('hawatch_aws_eni_attached', 'pair="p1",peer="b",eni="eni-b1",device_index="1"')] = const(0)
    s[('hawatch_aws_source_dest_check_enabled', 'pair="p1",peer="a",eni="eni-a1"')] = const(1)
    s[('hawatch_aws_route_on_active_peer', 'pair="p1",route_table="rtb-1",destination="0.0.0.0/0"')] = const(0)
    s[('hawatch_aws_route_blackhole', 'pair="p1",route_table="rtb-1",destination="0.0.0.0/0"')] = const(1)
    s[('hawatch_aws_floating_ip_on_active_peer', 'pair="p1",ip="10.0.1.100",kind="secondary-ip"')] = const(0)
    s[('hawatch_aws_instance_status_ok', 'pair="p1",peer="b"')] = const(0)
    return s

ALWAYS = [
    ('HAAWSInterfaceSubnetMismatch', L('critical', peer='a', interface='ethernet1/1')),
    ('HAAWSSourceDestCheckEnabled', L('warning', peer='a', eni='eni-a1')),
    ('HAAWSInstanceStatusFailed', L('warning', peer='b')),
]
FOLLOW = [
    ('HAAWSDataPlaneENIDetached', L('critical', peer='b', eni='eni-b1')),
    ('HAAWSRouteNotOnActivePeer', L('critical', route_table='rtb-1', destination='0.0.0.0/0')),
    ('HAAWSBlackholeRoute', L('critical', route_table='rtb-1', destination='0.0.0.0/0')),
    ('HAAWSFloatingIPNotOnActivePeer', L('warning', ip='10.0.1.100')),
]
test('AWS checks fail', aws_broken(False),
     [check('1m', a) for a, _ in ALWAYS + FOLLOW if a not in ('HAAWSSourceDestCheckEnabled', 'HAAWSInstanceStatusFailed')] +
     [check('4m', a) for a in ('HAAWSSourceDestCheckEnabled', 'HAAWSInstanceStatusFailed')] +
     [check('5m', a, exp(a, l)) for a, l in ALWAYS + FOLLOW])
test('AWS checks in the failover grace period', aws_broken(True),
     [check('5m', a, exp(a, l)) for a, l in ALWAYS] + [check('5m', a) for a, _ in FOLLOW])

s = healthy()
absent(s, lambda n, l: n in ('hawatch_aws_interface_subnet_match', 'hawatch_aws_eni_attached',
                             'hawatch_aws_route_on_active_peer', 'hawatch_aws_floating_ip_on_active_peer',
                             'hawatch_aws_instance_status_ok'))
test('AWS checks that are unknown never fire', s, none('10m', *[a for a, _ in ALWAYS + FOLLOW]))

# ---------------------------------------------------- failover readiness
s = healthy()
s[('hawatch_failover_ready', 'pair="p1"')] = seq((1, 2), (0, N - 1))
s[('hawatch_failover_check_ok', 'pair="p1",check="interface-address",peer="b",item="ethernet1/2"')] = seq((1, 2), (0, N - 1))
test('HAFailoverNotReady: the passive could not take over', s, [
    check('10m', 'HAFailoverNotReady'),
    check('12m', 'HAFailoverNotReady', exp('HAFailoverNotReady', L('warning'),
          description='If the active peer failed now, the pair would not come back. Failing checks: interface-address ethernet1/2.')),
])
s = healthy()
s[('hawatch_failover_ready', 'pair="p1"')] = const(0)
s[('hawatch_aws_in_failover_grace', 'pair="p1"')] = const(1)
test('HAFailoverNotReady: not while AWS converges after a failover', s, none('15m', 'HAFailoverNotReady'))

# ---------------------------------------------------- hawatch itself
s = healthy()
s[('hawatch_aws_up', 'pair="p1"')] = seq((1, 2), (0, N - 1))
test('HAWatchAWSBlind: the AWS side cannot be read', s, [
    check('5m', 'HAWatchAWSBlind'),
    check('7m', 'HAWatchAWSBlind', exp('HAWatchAWSBlind', L('warning'))),
])

s = healthy()
s[('hawatch_notifications_sent_total', 'alertmanager="am:9093"')] = ' '.join(str(10 * min(i, 10)) for i in range(N + 1))
s[('hawatch_notifications_failed_total', 'alertmanager="am:9093"')] = ' '.join(str(4 * max(0, i - 10)) for i in range(N + 1))
test('HAWatchNotificationsFailing: the Alertmanager stops taking alerts', s, [
    check('12m', 'HAWatchNotificationsFailing'),
    check('21m', 'HAWatchNotificationsFailing',
          exp('HAWatchNotificationsFailing', {'alertmanager': 'am:9093', 'severity': 'warning'})),
])

s = healthy()
s[('up', '')] = seq((1, 2), (0, N - 1))
down = {'job': 'hawatch', 'instance': 'hawatch-0:9799', 'severity': 'critical'}
test('HAWatchDown: scrapes fail', s, [
    check('5m', 'HAWatchDown'),
    check('7m', 'HAWatchDown', exp('HAWatchDown', down)),
])
s = healthy()
del s[('up', '')]
test('HAWatchDown: hawatch is not scraped at all', s, [
    check('5m', 'HAWatchDown', exp('HAWatchDown', {'job': 'hawatch', 'severity': 'critical'})),
])

doc = {
    'rule_files': ['hawatch-rules.yml'],
    'evaluation_interval': '1m',
    'tests': TESTS,
}
header = """# promtool unit tests for hawatch-rules.yml, written by gen_rules_test.py
# (edit the cases there and re-run it). Run them with
#   promtool test rules deploy/prometheus/hawatch-rules.test.yml
# Every rule has a firing and a not-firing case. Input series carry job and
# instance labels, which the rules must aggregate away: the expected labels
# are exactly the label sets hawatch's own alerts carry.
"""

class Dumper(yaml.SafeDumper):
    pass

def str_presenter(dumper, data):
    style = "'" if re.fullmatch(r'[-0-9.e+_x ]+', data) and any(c.isdigit() for c in data) else None
    return dumper.represent_scalar('tag:yaml.org,2002:str', data, style=style)

Dumper.add_representer(str, str_presenter)
with open(OUT, 'w') as f:
    f.write(header)
    yaml.dump(doc, f, Dumper=Dumper, sort_keys=False, width=200, default_flow_style=False)
print(f'{len(TESTS)} tests')
