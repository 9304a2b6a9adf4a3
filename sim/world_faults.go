package sim

import (
	"maps"
	"time"
)

// Command names the PAN-OS API requests the simulator tells apart; they
// match hawatch's probe command names.
const (
	CmdHA         = "ha"
	CmdInterfaces = "interfaces"
	CmdSessions   = "sessions"
	CmdCounters   = "counters"
	CmdSystem     = "system"
	CmdKeygen     = "keygen"
	CmdPlugins    = "plugins"
	// CmdUnknown counts op commands the simulator does not know and
	// requests of another type.
	CmdUnknown = "unknown"
)

// FaultKind is how a peer's API misbehaves.
type FaultKind string

// The API faults a peer can show.
const (
	// FaultNone answers normally.
	FaultNone FaultKind = ""
	// FaultForbidden answers HTTP 403 with PAN-OS's invalid-credential
	// body.
	FaultForbidden FaultKind = "forbidden"
	// FaultMalformed answers HTTP 200 with the reply cut off mid-document.
	FaultMalformed FaultKind = "malformed"
	// FaultSlow answers normally after Fault.Delay.
	FaultSlow FaultKind = "slow"
	// FaultReset closes the connection without a reply.
	FaultReset FaultKind = "reset"
	// FaultHTML answers HTTP 502 with an HTML page, as a proxy does.
	FaultHTML FaultKind = "html"
	// FaultError answers an API error reply with Fault.Code (17, invalid
	// command, when zero) and Fault.Message.
	FaultError FaultKind = "error"
)

// DefaultSlowDelay is the delay of FaultSlow when Fault.Delay is zero.
const DefaultSlowDelay = 30 * time.Second

// Fault is an API fault of one peer, for all commands or for one.
type Fault struct {
	Kind FaultKind
	// Command limits the fault to one command (CmdHA, CmdSessions, ...);
	// empty means every request.
	Command string
	// Delay is the delay of FaultSlow.
	Delay time.Duration
	// Code and Message shape the reply of FaultError.
	Code    int
	Message string
}

// SetFault sets an API fault on peer i. A fault for one command overrides
// the fault for all commands; Kind FaultNone removes the fault of its
// command, and a zero Fault removes every fault of the peer.
func (w *World) SetFault(i int, f Fault) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.peers[i]
	switch {
	case f == Fault{}:
		clear(p.faults)
	case f.Kind == FaultNone:
		delete(p.faults, f.Command)
	default:
		p.faults[f.Command] = f
	}
	w.logger.Info("api fault set", "peer", PeerName(i), "kind", string(f.Kind), "command", f.Command)
}

// ClearFaults removes every API fault of peer i.
func (w *World) ClearFaults(i int) { w.SetFault(i, Fault{}) }

// fault returns the fault that applies to command cmd on peer i.
func (w *World) fault(i int, cmd string) Fault {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.peers[i]
	if f, ok := p.faults[cmd]; ok {
		return f
	}
	return p.faults[""]
}

// countRequest records one API request of peer i.
func (w *World) countRequest(i int, cmd string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.peers[i].requests[cmd]++
}

// Requests returns how many API requests peer i received, by command
// (CmdHA, CmdKeygen, ...), including failed and faulted ones.
func (w *World) Requests(i int) map[string]int {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.peers[i].requests)
}

// ResetRequests sets peer i's request counts back to zero.
func (w *World) ResetRequests(i int) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.peers[i].requests)
}
