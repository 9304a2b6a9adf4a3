package probe

import "time"

// Command names one operational command hawatch runs on a peer. The names are
// used as metric label values.
type Command string

// The commands a poll runs on each peer.
const (
	CmdHA         Command = "ha"
	CmdInterfaces Command = "interfaces"
	CmdSessions   Command = "sessions"
	CmdCounters   Command = "counters"
	CmdSystem     Command = "system"
	CmdKeygen     Command = "keygen"
)

// PollCommands are the commands of every poll, in the order they run.
var PollCommands = []Command{CmdHA, CmdInterfaces, CmdSessions, CmdCounters}

// CommandResult tells how one command of a poll went.
type CommandResult struct {
	Command  Command
	Err      error // nil on success
	Duration time.Duration
	// Unsupported is set when the peer does not know the command (PAN-OS
	// code 17): the poll goes on without it and the peer is not down.
	Unsupported bool
	// Requests is the number of API requests the command took (keygen
	// retries included).
	Requests int
}

// PeerStatus is everything one poll learnt about one peer. It is never
// modified after the poll that built it returns.
type PeerStatus struct {
	Name    string // the peer label
	Address string // management address host[:port]
	// Up is true when the peer answered the API this poll: at least one
	// command returned a well-formed reply.
	Up bool
	// Err summarizes why the peer is not up (nil when Up).
	Err error

	HA         *HAInfo
	Interfaces *Interfaces
	Sessions   *SessionInfo
	Counters   *Counters
	// System is the latest system info; it is fetched on start and then
	// rarely, so it may be older than this poll.
	System     *SystemInfo
	SystemTime time.Time

	// Panics is the number of panics recovered during this poll (in pango
	// or a parser); each one failed its command with ErrPanic.
	Panics int

	Results []CommandResult
	Start   time.Time
	End     time.Time
}

// Result returns the result of the given command in this poll.
func (p *PeerStatus) Result(c Command) (CommandResult, bool) {
	for _, r := range p.Results {
		if r.Command == c {
			return r, true
		}
	}
	return CommandResult{}, false
}
