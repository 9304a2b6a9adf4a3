package gate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// outcome collects the findings of one check: any failure fails it, else
// any unknown makes it unknown, else it passes.
type outcome struct {
	fail, unknown, pass []string
}

func (o *outcome) failf(format string, a ...any) {
	o.fail = append(o.fail, fmt.Sprintf(format, a...))
}

func (o *outcome) unknownf(format string, a ...any) {
	o.unknown = append(o.unknown, fmt.Sprintf(format, a...))
}

func (o *outcome) passf(format string, a ...any) {
	o.pass = append(o.pass, fmt.Sprintf(format, a...))
}

// check turns the findings into a Check. The evidence of a failed check
// lists the failures, then what could not be told.
func (o *outcome) check(name string) Check {
	switch {
	case len(o.fail) > 0:
		return Check{Name: name, Status: StatusFail, Evidence: evidence(append(o.fail, o.unknown...))}
	case len(o.unknown) > 0:
		return Check{Name: name, Status: StatusUnknown, Evidence: evidence(o.unknown)}
	}
	return Check{Name: name, Status: StatusPass, Evidence: evidence(o.pass)}
}

// evidence joins findings into one line.
func evidence(parts []string) string {
	s := strings.Join(parts, "; ")
	return strings.Join(strings.Fields(s), " ")
}

// haOf returns the peer's HA reply, or nil and why there is none.
func haOf(peer *probe.PeerStatus) (*probe.HAInfo, string) {
	if why := unreachable(peer); why != "" {
		return nil, why
	}
	if peer.HA != nil {
		return peer.HA, ""
	}
	if r, ok := peer.Result(probe.CmdHA); ok && r.Err != nil {
		return nil, fmt.Sprintf("%s: `show high-availability all` failed: %v", peer.Name, r.Err)
	}
	return nil, peer.Name + " gave no HA state"
}

// unreachable says in short why a peer did not answer this poll, or ""
// when it did; the reachability check gives the error itself.
func unreachable(peer *probe.PeerStatus) string {
	switch {
	case peer == nil:
		return "peer missing from the snapshot"
	case peer.Up:
		return ""
	case authFailed(peer.Err):
		return peer.Name + " refused hawatch's credentials"
	}
	return peer.Name + " did not answer"
}

// authFailed reports whether err is PAN-OS refusing the key or the rights.
func authFailed(err error) bool {
	var apiErr *probe.APIError
	return errors.As(err, &apiErr) && apiErr.AuthFailed()
}

// peerBuild returns the PAN-OS version the peer runs, as the pair's HA
// view has it; "" when the peer did not answer or reports none.
func peerBuild(p *snapshot.Pair, peer *probe.PeerStatus) string {
	if peer == nil {
		return ""
	}
	if ph := p.HAView().Peer(peer.Name); ph != nil {
		return ph.Version
	}
	return ""
}

// peerNames lists the peer labels of a pair.
func peerNames(peers []*probe.PeerStatus) string {
	names := make([]string, 0, len(peers))
	for _, p := range peers {
		if p != nil {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}
