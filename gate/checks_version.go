package gate

import (
	"maps"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// contentItems are the compatibility items that do not change with the
// PAN-OS version: they must match even while the peers run different
// builds. Everything else in the matrix but "build" is a plugin.
var contentItems = map[string]bool{
	"app": true, "threat": true, "av": true, "url": true,
	"gpclient": true, "vpnclient": true, "iot": true,
}

// checkVersionsMatch: both peers run the same PAN-OS build and no item of
// the HA compatibility matrix is a mismatch. A build difference (and the
// plugin mismatches that come with it) is accepted while an upgrade is
// half done, which the operator states by expecting a version on one peer
// (--expect-version PEER=VERSION) that the peer runs.
func checkVersionsMatch(p *snapshot.Pair, opt Options) Check {
	var o outcome
	builds := map[string]string{}
	for _, peer := range p.Peers {
		if why := unreachable(peer); why != "" {
			o.unknownf("%s", why)
			continue
		}
		if b := peerBuild(p, peer); b != "" {
			builds[peer.Name] = b
		} else {
			o.unknownf("%s reports no PAN-OS version", peer.Name)
		}
	}
	midUpgrade, differ := false, false
	if len(p.Peers) == 2 && len(builds) == 2 && len(o.unknown) == 0 {
		a, b := p.Peers[0], p.Peers[1]
		switch ba, bb := builds[a.Name], builds[b.Name]; {
		case ba == bb:
			o.passf("both run %s", ba)
		case upgradeExpected(p, opt.ExpectVersion):
			midUpgrade, differ = true, true
			o.passf("%s runs %s and %s runs %s, as expected halfway through an upgrade", a.Name, ba, b.Name, bb)
		default:
			differ = true
			o.failf("%s runs %s, %s runs %s", a.Name, ba, b.Name, bb)
		}
	}
	compareContent(p, &o, differ, midUpgrade)
	return o.check(CheckVersionsMatch)
}

// upgradeExpected reports whether the expectations describe a half-done
// upgrade: at least one peer has a version of its own, and every peer
// with an expectation runs it.
func upgradeExpected(p *snapshot.Pair, expect map[string]string) bool {
	perPeer := false
	for _, peer := range p.Peers {
		if _, own := expect[peer.Name]; own {
			perPeer = true
		}
		want, ok := expectedFor(expect, peer.Name)
		if !ok {
			continue
		}
		if match, _ := versionMatches(peerBuild(p, peer), want); !match {
			return false
		}
	}
	return perPeer
}

// compareContent fails on content versions that differ between the peers
// and on mismatches in either peer's compatibility matrix. differ tells
// that the builds differ, midUpgrade that the difference is expected.
func compareContent(p *snapshot.Pair, o *outcome, differ, midUpgrade bool) {
	seen := map[string]bool{}
	var has []*probe.HAInfo
	for _, peer := range p.Peers {
		if peer != nil && peer.Up && peer.HA != nil {
			has = append(has, peer.HA)
		}
	}
	if len(has) == 2 && len(p.Peers) == 2 {
		a, b := has[0].LocalVersions, has[1].LocalVersions
		for _, it := range []struct{ key, va, vb string }{
			{"app", a.App, b.App}, {"threat", a.Threat, b.Threat}, {"av", a.AV, b.AV},
		} {
			if it.va != "" && it.vb != "" && it.va != it.vb {
				seen[it.key] = true
				o.failf("%s content differs: %s has %s, %s has %s", it.key, p.Peers[0].Name, it.va, p.Peers[1].Name, it.vb)
			}
		}
	}
	for _, peer := range p.Peers {
		if peer == nil || !peer.Up || peer.HA == nil {
			continue
		}
		for _, item := range slices.Sorted(maps.Keys(peer.HA.Compat)) {
			if probe.CompatVerdict(peer.HA.Compat[item]) != probe.No || seen[item] {
				continue
			}
			seen[item] = true
			switch {
			case contentItems[item]:
				o.failf("%s reports %s Mismatch in its HA compatibility matrix", peer.Name, item)
			case item == "build" && differ:
				// The builds themselves are compared above.
			case midUpgrade:
				o.passf("%s reports %s Mismatch, expected while the builds differ", peer.Name, item)
			default:
				o.failf("%s reports %s Mismatch in its HA compatibility matrix", peer.Name, item)
			}
		}
	}
}

// checkExpectedActive: the peer the operator names is the one active.
func checkExpectedActive(p *snapshot.Pair, want string) Check {
	var o outcome
	peer := p.Peer(want)
	if peer == nil {
		o.failf("no peer %q in pair %s (peers: %s)", want, p.Name, peerNames(p.Peers))
		return o.check(CheckExpectedActive)
	}
	for _, pr := range p.Peers {
		if why := unreachable(pr); why != "" {
			o.unknownf("%s", why)
		}
	}
	if len(o.unknown) > 0 {
		return o.check(CheckExpectedActive)
	}
	switch actives := p.HAView().Reporting; {
	case len(actives) == 1 && actives[0] == want:
		o.passf("%s is active, as expected", want)
	case len(actives) == 0:
		o.failf("no peer is active; expected %s", want)
	default:
		o.failf("%s active; expected %s", strings.Join(actives, " and "), want)
	}
	return o.check(CheckExpectedActive)
}

// checkExpectedVersion: every peer with an expected version runs it.
func checkExpectedVersion(p *snapshot.Pair, expect map[string]string) Check {
	var o outcome
	for _, key := range slices.Sorted(maps.Keys(expect)) {
		if key != AllPeers && p.Peer(key) == nil {
			o.failf("--expect-version names %q, which is no peer of pair %s (peers: %s)", key, p.Name, peerNames(p.Peers))
		}
	}
	for _, peer := range p.Peers {
		want, ok := expectedFor(expect, peer.Name)
		if !ok {
			continue
		}
		if why := unreachable(peer); why != "" {
			o.unknownf("%s", why)
			continue
		}
		running := peerBuild(p, peer)
		if running == "" {
			o.unknownf("%s reports no PAN-OS version, expected %s", peer.Name, want)
			continue
		}
		switch match, hotfix := versionMatches(running, want); {
		case hotfix:
			o.passf("%s runs %s, a hotfix of the expected %s", peer.Name, running, want)
		case match:
			o.passf("%s runs %s", peer.Name, running)
		default:
			o.failf("%s runs %s, expected %s", peer.Name, running, want)
		}
	}
	if len(o.fail)+len(o.unknown)+len(o.pass) == 0 {
		o.failf("no expectation applies to a peer of pair %s", p.Name)
	}
	return o.check(CheckExpectedVersion)
}
