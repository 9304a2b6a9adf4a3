package gate

import (
	"errors"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestHAEnabled(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "active-passive on both", check: CheckHAEnabled, status: StatusPass,
		evidence: []string{"fw-a: enabled, active-passive", "fw-b: enabled, active-passive"},
	}, {
		name:   "disabled on one",
		mutate: func(p *snapshot.Pair) { p.Peers[1].HA.Enabled = false },
		check:  CheckHAEnabled, status: StatusFail,
		evidence: []string{"HA is not enabled on fw-b"}, exit: exitIs(1),
	}, {
		name:   "active-active",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.Mode = "active-active" },
		check:  CheckHAEnabled, status: StatusFail,
		evidence: []string{"fw-a runs HA in active-active mode"},
	}, {
		name:   "mode not reported",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.Mode = "" },
		check:  CheckHAEnabled, status: StatusUnknown,
		evidence: []string{"fw-a does not report its HA mode"}, exit: exitIs(2),
	}, {
		name: "HA command failed",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].HA = nil
			p.Peers[1].Results = []probe.CommandResult{{Command: probe.CmdHA, Err: errors.New("malformed reply")}}
		},
		check: CheckHAEnabled, status: StatusUnknown,
		evidence: []string{"fw-b: `show high-availability all` failed: malformed reply"}, exit: exitIs(2),
	}})
}

func TestHAStates(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "one active one passive", check: CheckHAStates, status: StatusPass,
		evidence: []string{"fw-a active, fw-b passive"},
	}, {
		name: "both active",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].HA.LocalState = probe.StateActive
		},
		check: CheckHAStates, status: StatusFail,
		evidence: []string{"want one active and one passive peer, have fw-a active, fw-b active"}, exit: exitIs(1),
	}, {
		name: "suspended by the operator",
		mutate: func(p *snapshot.Pair) {
			b := p.Peers[1].HA
			b.LocalState, b.LastErrorReason = probe.StateSuspended, "User requested"
		},
		check: CheckHAStates, status: StatusFail,
		evidence: []string{"fw-b suspended (User requested", "`request high-availability state functional` on fw-b"},
	}, {
		name: "non-functional with reason",
		mutate: func(p *snapshot.Pair) {
			b := p.Peers[1].HA
			b.LocalState, b.LastErrorReason = probe.StateNonFunctional, "Link monitor failed"
		},
		check: CheckHAStates, status: StatusFail,
		evidence: []string{"fw-b non-functional (Link monitor failed)"},
	}, {
		name:   "coming up after reboot",
		mutate: func(p *snapshot.Pair) { p.Peers[1].HA.LocalState = probe.StateInitial },
		check:  CheckHAStates, status: StatusFail,
		evidence: []string{"fw-b initial (still coming up)"},
	}, {
		name: "peer rebooting: seen by the other",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].Up, p.Peers[1].Err, p.Peers[1].HA = false, errors.New("connection refused"), nil
			p.Peers[0].HA.PeerStateRaw = "unknown"
		},
		check: CheckHAStates, status: StatusUnknown,
		evidence: []string{"fw-b did not answer; fw-a reports it as unknown", "fw-a active"},
		exit:     exitIs(2),
	}})
}

func TestHALinks(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "ha1 and ha2 up", check: CheckHALinks, status: StatusPass,
		evidence: []string{"fw-a: ha1 up (management), ha2 up (ethernet1/3)", "fw-b: ha1 up"},
	}, {
		name: "backup links up",
		mutate: func(p *snapshot.Pair) {
			for _, peer := range p.Peers {
				peer.HA.Links = append(peer.HA.Links, probe.HALink{Name: probe.LinkHA1Backup, Port: "ethernet1/4", Status: "up", Up: true})
			}
		},
		check: CheckHALinks, status: StatusPass,
		evidence: []string{"ha1-backup up (ethernet1/4)"},
	}, {
		name: "ha2 down on one peer",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].HA.Links[1].Up, p.Peers[1].HA.Links[1].Status = false, "down"
		},
		check: CheckHALinks, status: StatusFail,
		evidence: []string{"fw-b: ha2 (ethernet1/3) is down"}, exit: exitIs(1),
	}, {
		name: "configured backup down",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].HA.Links = append(p.Peers[0].HA.Links, probe.HALink{Name: probe.LinkHA1Backup, Port: "ethernet1/4"})
		},
		check: CheckHALinks, status: StatusFail,
		evidence: []string{"fw-a: ha1-backup (ethernet1/4) is not reported"},
	}, {
		name:   "ha2 not configured",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.Links = p.Peers[0].HA.Links[:1] },
		check:  CheckHALinks, status: StatusFail,
		evidence: []string{"fw-a: ha2 is not configured"},
	}})
}

func TestPeersConnected(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "both see the other", check: CheckPeersConnected, status: StatusPass,
		evidence: []string{"fw-a sees its peer connected", "fw-b sees its peer connected"},
	}, {
		name: "peer lost",
		mutate: func(p *snapshot.Pair) {
			p.Peers[0].HA.PeerConnected, p.Peers[0].HA.PeerStateRaw = false, "unknown"
		},
		check: CheckPeersConnected, status: StatusFail,
		evidence: []string{"fw-a does not see its peer connected (peer state unknown)"}, exit: exitIs(1),
	}})
}

func TestConfigSync(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "synchronized", check: CheckConfigSync, status: StatusPass,
		evidence: []string{"fw-a: synchronized", "fw-b: synchronized"},
	}, {
		name: "not synchronized",
		mutate: func(p *snapshot.Pair) {
			p.Peers[1].HA.RunningSync, p.Peers[1].HA.ConfigSynchronized = "not synchronized", false
		},
		check: CheckConfigSync, status: StatusFail,
		evidence: []string{"fw-b reports running config not synchronized"}, exit: exitIs(1),
	}, {
		name:   "sync disabled",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.RunningSyncEnabled = false },
		check:  CheckConfigSync, status: StatusFail,
		evidence: []string{"configuration synchronization is disabled on fw-a"},
	}, {
		name: "not reported",
		mutate: func(p *snapshot.Pair) {
			ha := p.Peers[0].HA
			ha.RunningSync, ha.RunningSyncEnabled, ha.ConfigSynchronized = "", false, false
		},
		check: CheckConfigSync, status: StatusUnknown,
		evidence: []string{"fw-a does not report configuration synchronization"}, exit: exitIs(2),
	}})
}

func TestSessionSync(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "complete on the passive", check: CheckSessionSync, status: StatusPass,
		evidence: []string{"passive fw-b reports state-sync Complete"},
	}, {
		name:   "incomplete after reboot",
		mutate: func(p *snapshot.Pair) { p.Peers[1].HA.StateSync = "Incomplete" },
		check:  CheckSessionSync, status: StatusFail,
		evidence: []string{"passive fw-b reports state-sync Incomplete: a failover now would drop sessions"},
		exit:     exitIs(1),
	}, {
		name:   "the active's own value does not count",
		mutate: func(p *snapshot.Pair) { p.Peers[0].HA.StateSync = "Incomplete" },
		check:  CheckSessionSync, status: StatusPass,
	}, {
		name:   "not reported",
		mutate: func(p *snapshot.Pair) { p.Peers[1].HA.StateSync = "" },
		check:  CheckSessionSync, status: StatusUnknown,
		evidence: []string{"passive fw-b does not report state-sync"},
	}, {
		name:   "no passive",
		mutate: func(p *snapshot.Pair) { p.Peers[1].HA.LocalState = probe.StateSuspended },
		check:  CheckSessionSync, status: StatusFail,
		evidence: []string{"no peer is passive"},
	}})
}
