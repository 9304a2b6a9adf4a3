package sim

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Peer indices.
const (
	PeerA = 0
	PeerB = 1
)

// AWS HA modes of the simulated pair.
const (
	AWSModeSecondaryIP   = "secondary-ip"
	AWSModeInterfaceMove = "interface-move"
)

// HA states the simulated firewalls take.
const (
	StateInitial       = "initial"
	StateActive        = "active"
	StatePassive       = "passive"
	StateSuspended     = "suspended"
	StateNonFunctional = "non-functional"
	StateUnknown       = "unknown"
)

// Defaults of WorldOptions.
const (
	DefaultVersion  = "10.1.9"
	DefaultAPIKey   = "LUFRPT1oYXdhdGNoLXNpbXVsYXRvci1rZXk9PQ=="
	DefaultUsername = "admin"
	DefaultPassword = "admin"

	DefaultInitialHold = 5 * time.Second
	DefaultMoveTime    = 6 * time.Second

	// DefaultOffloadShare is the share of the wire bytes the data-plane
	// CPU processes: with session offload most bytes of an established
	// session never reach it.
	DefaultOffloadShare = 0.25
)

// WorldOptions configure a new World. The zero value is usable.
type WorldOptions struct {
	// Clock is the world's time source; time.Now when nil.
	Clock func() time.Time
	// Mode is the AWS HA mode: AWSModeSecondaryIP (default) or
	// AWSModeInterfaceMove.
	Mode string
	// Version is the PAN-OS version both peers run at start.
	Version string
	// APIKey, Username and Password are the credentials the API accepts.
	APIKey   string
	Username string
	Password string
	// InitialHold is how long a rebooted peer stays in state initial.
	InitialHold time.Duration
	// MoveTime is how long an ENI move takes in interface-move mode (half
	// detaching, half attaching).
	MoveTime time.Duration
	// Profile is the firewall model: ProfileVMAWS (default) or
	// ProfileHardware.
	Profile string
	// OffloadShare is the share of a data-plane port's wire bytes that
	// its ibytes/obytes counters (what the data-plane CPU processed) show;
	// the hw port counters show all of them. 1 means no offload;
	// DefaultOffloadShare when zero, at most 1.
	OffloadShare float64
	// Logger receives the world's transitions; discarded when nil.
	Logger *slog.Logger
}

// Validate reports options NewWorld would not honor.
func (o WorldOptions) Validate() error {
	switch o.Mode {
	case "", AWSModeSecondaryIP, AWSModeInterfaceMove:
	default:
		return fmt.Errorf("sim: unknown aws mode %q", o.Mode)
	}
	switch o.Profile {
	case "", ProfileVMAWS, ProfileHardware:
	default:
		return fmt.Errorf("sim: unknown profile %q (want %s or %s)", o.Profile, ProfileVMAWS, ProfileHardware)
	}
	if o.OffloadShare < 0 || o.OffloadShare > 1 {
		return fmt.Errorf("sim: offload share %v outside [0, 1]", o.OffloadShare)
	}
	return nil
}

// World is a simulated VM-Series HA pair and its AWS data plane. All methods
// are safe for concurrent use.
type World struct {
	mu     sync.Mutex
	clock  func() time.Time
	logger *slog.Logger
	epoch  time.Time // world creation, the origin of traffic jitter
	last   time.Time // time up to which the world has been advanced

	mode        string
	baseVersion string
	apiKey      string
	username    string
	password    string
	initialHold time.Duration
	profile     string
	offload     float64 // share of wire bytes the data-plane CPU sees

	peers      [2]*peer
	haLink     map[string]bool
	hbBackup   [2]bool // each peer's management heartbeat backup link
	configSync bool
	traffic    bool

	// Traffic history, for session counts after traffic stops.
	lastCarrier int
	lastFlowEnd time.Time

	aws awsState

	ready pairReadiness // the pair-wide upgrade-readiness state
}

// NewWorld returns a healthy pair: A active, B passive, both on the same
// version, traffic flowing and the AWS side consistent.
func NewWorld(opts WorldOptions) *World {
	w := &World{
		clock:       opts.Clock,
		logger:      opts.Logger,
		mode:        opts.Mode,
		baseVersion: opts.Version,
		apiKey:      opts.APIKey,
		username:    opts.Username,
		password:    opts.Password,
		initialHold: opts.InitialHold,
		profile:     opts.Profile,
		offload:     opts.OffloadShare,
		lastCarrier: -1,
	}
	if w.clock == nil {
		w.clock = time.Now
	}
	if w.logger == nil {
		w.logger = slog.New(slog.DiscardHandler)
	}
	if w.mode == "" {
		w.mode = AWSModeSecondaryIP
	}
	if w.profile != ProfileHardware {
		if w.profile != "" && w.profile != ProfileVMAWS {
			w.logger.Warn("unknown profile, simulating vm-aws", "profile", w.profile)
		}
		w.profile = ProfileVMAWS
	}
	switch {
	case w.offload <= 0:
		w.offload = DefaultOffloadShare
	case w.offload > 1:
		w.offload = 1
	}
	if w.baseVersion == "" {
		w.baseVersion = DefaultVersion
	}
	if w.apiKey == "" {
		w.apiKey = DefaultAPIKey
	}
	if w.username == "" {
		w.username = DefaultUsername
	}
	if w.password == "" {
		w.password = DefaultPassword
	}
	if w.initialHold <= 0 {
		w.initialHold = DefaultInitialHold
	}
	moveTime := opts.MoveTime
	if moveTime <= 0 {
		moveTime = DefaultMoveTime
	}
	w.epoch = w.clock()
	w.last = w.epoch
	for i := range w.peers {
		w.peers[i] = newPeer(i, w.baseVersion, w.epoch, w.ports())
	}
	w.aws = newAWSState(w.mode, moveTime)
	w.resetLocked(w.epoch)
	return w
}

// resetLocked puts the pair back into the healthy configuration. Counters
// and boot times are kept so that counters stay monotonic.
func (w *World) resetLocked(now time.Time) {
	for i, p := range w.peers {
		if p.booting || p.initialPending {
			p.booting, p.initialPending = false, false
			p.boot(now)
		}
		p.version, p.pendingVersion = w.baseVersion, ""
		p.unreachable = false
		p.lastErrReason, p.lastErrState = "", ""
		p.ifaceIP = map[string]string{}
		p.faults = map[string]Fault{}
		// Downloaded images stay on disk: they are no fault to reset.
		downloaded := p.ready.downloaded
		p.ready = healthyReadiness()
		p.ready.downloaded = downloaded
		for _, ps := range w.ports() {
			p.links[ps.name] = ps.role != roleUnused
		}
		st := StatePassive
		if i == PeerA {
			st = StateActive
		}
		if p.state != st {
			p.setState(st, now)
		}
	}
	w.haLink = map[string]bool{LinkHA1: true, LinkHA2: true}
	w.hbBackup = [2]bool{true, true}
	w.configSync = true
	w.traffic = true
	w.ready = healthyPairReadiness()
	w.aws.restore(PeerA, now, false)
}

// Reset puts the pair back into the healthy state of NewWorld: A active, B
// passive, both on the initial version, all links up, no faults, traffic
// flowing and AWS consistent. Counters and uptimes are kept.
func (w *World) Reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	w.resetLocked(now)
	w.logger.Info("world reset to healthy")
}

// Now returns the world's current time.
func (w *World) Now() time.Time { return w.clock() }

// Profile returns the firewall profile, ProfileVMAWS or ProfileHardware.
func (w *World) Profile() string { return w.profile }

// Mode returns the AWS HA mode.
func (w *World) Mode() string { return w.mode }

// APIKey returns the API key the PAN-OS API accepts.
func (w *World) APIKey() string { w.mu.Lock(); defer w.mu.Unlock(); return w.apiKey }

// Credentials returns the admin username and password keygen accepts.
func (w *World) Credentials() (username, password string) { return w.username, w.password }

// PeerName returns "A" or "B".
func PeerName(i int) string { return string(rune('A' + i)) }

// Hostname returns the peer's hostname, fw-a or fw-b.
func Hostname(i int) string { return fmt.Sprintf("fw-%c", 'a'+i) }

// advance brings the world up to the clock: it applies due transitions in
// time order and accumulates traffic between them. The caller holds w.mu.
func (w *World) advance() time.Time {
	now := w.clock()
	if now.Before(w.last) {
		now = w.last
	}
	for {
		t, ok := w.nextBreak(now)
		if !ok {
			break
		}
		w.accumulate(w.last, t)
		w.last = t
		w.applyDue(t)
	}
	w.accumulate(w.last, now)
	w.last = now
	return now
}

// nextBreak returns the earliest time after w.last and not after now at
// which the world changes by itself.
func (w *World) nextBreak(now time.Time) (time.Time, bool) {
	var best time.Time
	consider := func(t time.Time) {
		if t.After(w.last) && !t.After(now) && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	for _, p := range w.peers {
		if p.booting {
			consider(p.upAt)
		}
		if p.initialPending {
			consider(p.readyAt)
		}
	}
	for _, t := range w.aws.breaks() {
		consider(t)
	}
	return best, !best.IsZero()
}

// other returns the index of the other peer.
func other(i int) int { return 1 - i }

func checkPeer(i int) {
	if i != PeerA && i != PeerB {
		panic(fmt.Sprintf("sim: peer index %d out of range", i))
	}
}
