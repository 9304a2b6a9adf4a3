package upgrade

import "fmt"

// HAGap is how far apart two HA peers would be while one of them is
// upgraded to a target.
type HAGap struct {
	// Known is false when a version is outside the releases hawatch knows.
	Known bool
	// Apart is the largest distance, in feature releases, between two of
	// the versions the pair runs at once: the peers' running versions,
	// and each running version beside the target on the other peer.
	Apart int
	// Syncs is true when Apart is at most HAMaxApart.
	Syncs bool
	// Reason explains the verdict in one sentence; Source names the rule.
	Reason, Source string
}

// PairGap judges the versions two HA peers run at once while the pair is
// moved to target one peer at a time: first a, b; then target beside the
// peer not yet upgraded.
func PairGap(a, b, target Version) HAGap {
	g := HAGap{Known: true, Source: SourceHA}
	pairs := [][2]Version{{a, b}, {a, target}, {b, target}}
	var worst [2]Version
	for _, pr := range pairs {
		i, iok := release(pr[0].Feature())
		j, jok := release(pr[1].Feature())
		if !iok || !jok {
			g.Known = false
			g.Reason = fmt.Sprintf("cannot tell how far apart %s and %s are: not both in releases hawatch knows", pr[0], pr[1])
			return g
		}
		if d := abs(i - j); d > g.Apart {
			g.Apart, worst = d, pr
		}
	}
	g.Syncs = g.Apart <= HAMaxApart
	switch {
	case g.Apart == 0:
		g.Reason = "both peers stay in feature release " + a.Feature().String() + " throughout"
	case g.Syncs:
		g.Reason = fmt.Sprintf("the peers are at most %s apart during the upgrade (%s beside %s): HA keeps syncing",
			releases(g.Apart), worst[0], worst[1])
	default:
		g.Reason = fmt.Sprintf("one peer would run %s beside %s on the other, %s apart: HA sync between peers more than %s apart is not supported",
			worst[0], worst[1], releases(g.Apart), releases(HAMaxApart))
	}
	return g
}

// releases says "1 feature release" or "3 feature releases".
func releases(n int) string {
	if n == 1 {
		return "1 feature release"
	}
	return fmt.Sprintf("%d feature releases", n)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
