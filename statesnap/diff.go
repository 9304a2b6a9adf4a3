package statesnap

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/gate"
)

// Names of the diff's checks, in the order they are reported.
const (
	CheckReachable = "peers-reachable"
	CheckHAState   = "ha-state"
	CheckVersions  = "versions"
	CheckInterface = "interfaces-up"
	CheckSessions  = "sessions"
	CheckRoutes    = "routes"
	CheckARP       = "arp"
	CheckLicenses  = "licenses"
	CheckTunnels   = "ipsec-tunnels"
	CheckAWSENIs   = "aws-enis"
	CheckAWSRoutes = "aws-routes"
)

// Checks lists every check name, in report order.
var Checks = []string{
	CheckReachable, CheckHAState, CheckVersions, CheckInterface, CheckSessions, CheckRoutes,
	CheckARP, CheckLicenses, CheckTunnels, CheckAWSENIs, CheckAWSRoutes,
}

// DefaultSessionsTolerance is how far, as a fraction of the first
// snapshot's count, the pair's sessions may move before the diff fails.
const DefaultSessionsTolerance = 0.10

// DiffOptions set the thresholds of a diff.
type DiffOptions struct {
	// SessionsTolerance is the fraction by which the active sessions may
	// differ from the first snapshot's (0.1 is 10 %).
	SessionsTolerance float64
	// Skip names checks not to run (an expected failover skips ha-state,
	// an upgrade versions).
	Skip map[string]bool
}

// Report is the outcome of comparing two snapshots of one pair.
type Report struct {
	Pair   string       `json:"pair"`
	Before string       `json:"before"`
	After  string       `json:"after"`
	Checks []gate.Check `json:"checks"`
	// ExitCode is gate.ExitReady when no check failed or is unknown,
	// gate.ExitCannotTell when any is unknown (a part could not be read
	// in one of the snapshots), else gate.ExitNotReady.
	ExitCode int `json:"exit_code"`
}

// Diff compares snapshot a (before) with b (after). Both must be of the
// same pair.
func Diff(a, b *Snapshot, o DiffOptions) (*Report, error) {
	if a.Pair != b.Pair {
		return nil, fmt.Errorf("snapshots %q and %q are of different pairs (%s, %s)", a.Name, b.Name, a.Pair, b.Pair)
	}
	if o.SessionsTolerance < 0 {
		return nil, fmt.Errorf("sessions tolerance %v is negative", o.SessionsTolerance)
	}
	d := &differ{a: a, b: b, o: o}
	r := &Report{Pair: a.Pair, Before: a.Name, After: b.Name, Checks: []gate.Check{}}
	for _, name := range Checks {
		if o.Skip[name] {
			continue
		}
		r.Checks = append(r.Checks, checkFuncs[name](d).check(name))
	}
	r.ExitCode = exitCode(r.Checks)
	return r, nil
}

// exitCode is as `hawatch check`'s: unknown wins, then failure.
func exitCode(cs []gate.Check) int {
	code := gate.ExitReady
	for _, c := range cs {
		switch c.Status {
		case gate.StatusUnknown:
			return gate.ExitCannotTell
		case gate.StatusFail:
			code = gate.ExitNotReady
		}
	}
	return code
}

// differ runs the checks of one Diff.
type differ struct {
	a, b *Snapshot
	o    DiffOptions
}

// checkFuncs are the checks by name.
var checkFuncs = map[string]func(*differ) *findings{
	CheckReachable: (*differ).reachable,
	CheckHAState:   (*differ).haState,
	CheckVersions:  (*differ).versions,
	CheckInterface: (*differ).interfaces,
	CheckSessions:  (*differ).sessions,
	CheckRoutes:    (*differ).routes,
	CheckARP:       (*differ).arp,
	CheckLicenses:  (*differ).licenses,
	CheckTunnels:   (*differ).tunnels,
	CheckAWSENIs:   (*differ).awsENIs,
	CheckAWSRoutes: (*differ).awsRoutes,
}

// findings collect what one check found: any failure fails it, else any
// unknown makes it unknown, else it passes.
type findings struct {
	fail, unknown, pass []string
}

func (f *findings) failf(format string, a ...any) { f.fail = append(f.fail, fmt.Sprintf(format, a...)) }
func (f *findings) unknownf(format string, a ...any) {
	f.unknown = append(f.unknown, fmt.Sprintf(format, a...))
}
func (f *findings) passf(format string, a ...any) { f.pass = append(f.pass, fmt.Sprintf(format, a...)) }

func (f *findings) check(name string) gate.Check {
	switch {
	case len(f.fail) > 0:
		return gate.Check{Name: name, Status: gate.StatusFail, Evidence: strings.Join(append(f.fail, f.unknown...), "; ")}
	case len(f.unknown) > 0:
		return gate.Check{Name: name, Status: gate.StatusUnknown, Evidence: strings.Join(f.unknown, "; ")}
	}
	return gate.Check{Name: name, Status: gate.StatusPass, Evidence: strings.Join(f.pass, "; ")}
}

// eachPeer calls fn for every peer of a that b has too, and books a peer
// missing from b (the pair's configuration changed) as a failure.
func (d *differ) eachPeer(f *findings, part string, fn func(pa, pb *Peer)) {
	for i := range d.a.Peers {
		pa := &d.a.Peers[i]
		pb := d.b.Peer(pa.Name)
		if pb == nil {
			f.failf("peer %s is missing from %s", pa.Name, d.b.Name)
			continue
		}
		if part != "" {
			if ok, why := pa.known(part); !ok {
				f.unknownf("%s unknown in %s (%s)", part, d.a.Name, why)
				continue
			}
			if ok, why := pb.known(part); !ok {
				f.unknownf("%s unknown in %s (%s)", part, d.b.Name, why)
				continue
			}
		}
		fn(pa, pb)
	}
}

// setDiff returns the keys of a missing from b, and of b missing from a.
func setDiff(a, b map[string]bool) (gone, added []string) {
	for k := range a {
		if !b[k] {
			gone = append(gone, k)
		}
	}
	for k := range b {
		if !a[k] {
			added = append(added, k)
		}
	}
	slices.Sort(gone)
	slices.Sort(added)
	return gone, added
}
