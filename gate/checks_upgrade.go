package gate

import (
	"fmt"
	"strings"

	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/upgrade"
)

// ParseTargetVersion reads the --target-version flag: nil when it is
// empty (no upgrade-path check), else the version it names.
func ParseTargetVersion(s string) (*upgrade.Version, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := upgrade.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("--target-version: %w", err)
	}
	return &v, nil
}

// checkUpgradePath: the target is a supported next step from the version
// each peer runs, and installing it one peer at a time keeps the peers
// close enough for HA to sync. The evidence prints the path.
func checkUpgradePath(p *snapshot.Pair, target upgrade.Version) Check {
	var o outcome
	var running []upgrade.Version
	for _, peer := range p.Peers {
		if why := unreachable(peer); why != "" {
			o.unknownf("%s", why)
			continue
		}
		build := peerBuild(p, peer)
		if build == "" {
			o.unknownf("%s reports no PAN-OS version", peer.Name)
			continue
		}
		v, err := upgrade.Parse(build)
		if err != nil {
			o.unknownf("%s runs a version hawatch cannot read: %v", peer.Name, err)
			continue
		}
		running = append(running, v)
	}
	if len(o.unknown) > 0 || len(running) != len(p.Peers) {
		return o.check(CheckUpgradePath)
	}
	judgePeers(p, running, target, &o)
	if len(running) == 2 {
		judgeGap(running[0], running[1], target, &o)
	}
	return o.check(CheckUpgradePath)
}

// judgePeers adds each peer's plan to the findings; peers on the same
// version share one line.
func judgePeers(p *snapshot.Pair, running []upgrade.Version, target upgrade.Version, o *outcome) {
	for i, v := range running {
		who := p.Peers[i].Name
		if len(running) == 2 && running[0].Compare(running[1]) == 0 {
			if i == 1 {
				return
			}
			who = "both peers"
		}
		plan := upgrade.PlanUpgrade(v, target)
		switch plan.Verdict {
		case upgrade.Supported:
			o.passf("%s: %s (%s)", who, plan.Path(), plan.Reason)
		case upgrade.Unknown:
			o.unknownf("%s: %s", who, plan.Reason)
		default:
			if plan.Steps == nil {
				o.failf("%s on %s: %s", who, v, plan.Reason)
			} else {
				o.failf("%s on %s: %s; path: %s", who, v, plan.Reason, plan.Path())
			}
		}
	}
}

// judgeGap adds whether the peers stay close enough for HA sync while the
// target is installed on one of them.
func judgeGap(a, b, target upgrade.Version, o *outcome) {
	gap := upgrade.PairGap(a, b, target)
	switch {
	case !gap.Known:
		o.unknownf("%s", gap.Reason)
	case gap.Syncs:
		o.passf("%s", gap.Reason)
	default:
		older := a
		if b.Compare(a) < 0 {
			older = b
		}
		o.failf("%s; upgrade both peers to each feature release in turn: %s", gap.Reason, upgrade.PlanUpgrade(older, target).StepwisePath())
	}
}
