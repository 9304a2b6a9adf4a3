package web

import (
	"cmp"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// PairsResponse is the body of GET /api/v1/pairs.
type PairsResponse struct {
	GeneratedAt time.Time  `json:"generated_at"`
	Pairs       []PairView `json:"pairs"`
}

// PairView is one pair as the status page and the API show it. It holds
// state only, never configuration values beyond the poll interval and the
// AWS mode.
type PairView struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Cause is hawatch's one sentence on what is wrong (snapshot.Cause),
	// shown first; empty when nothing is.
	Cause string `json:"cause,omitempty"`
	// Evidence is the short digest of facts behind the cause, most
	// important first (snapshot.Evidence); empty when there is no cause.
	Evidence []string `json:"evidence"`
	// Reasons say why the status is not healthy, worst first. Under a
	// cause the page folds them away as further findings.
	Reasons             []string  `json:"reasons"`
	LastPoll            time.Time `json:"last_poll"`
	LastPollAgeSeconds  float64   `json:"last_poll_age_seconds"`
	PollSuccess         bool      `json:"poll_success"`
	PollDurationSeconds float64   `json:"poll_duration_seconds"`
	PollSeq             uint64    `json:"poll_seq"`
	PollIntervalSeconds float64   `json:"poll_interval_seconds"`
	HAMode              string    `json:"ha_mode"`
	// ActivePeer is the active peer, "a+b" when several are, "" when none.
	ActivePeer string      `json:"active_peer"`
	Peers      []PeerView  `json:"peers"`
	Traffic    TrafficView `json:"traffic"`
	AWS        *AWSSummary `json:"aws,omitempty"`
	// Failover predicts whether a failover would work now; absent when
	// AWS is off.
	Failover *FailoverSummary `json:"failover,omitempty"`
	Alerts   []AlertView      `json:"alerts"`
	// Maintenance is the pair's announced maintenance; absent outside one.
	Maintenance *MaintenanceView `json:"maintenance,omitempty"`
}

// PeerView is one peer of a pair.
type PeerView struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	Hostname string `json:"hostname,omitempty"`
	Model    string `json:"model,omitempty"`
	Up       bool   `json:"up"`
	// Error says why the peer does not answer, credentials redacted.
	Error                  string     `json:"error,omitempty"`
	FailedCommands         []string   `json:"failed_commands,omitempty"`
	HAEnabled              bool       `json:"ha_enabled"`
	HAState                string     `json:"ha_state"`
	HAStateDurationSeconds float64    `json:"ha_state_duration_seconds,omitempty"`
	HAPriority             string     `json:"ha_priority,omitempty"`
	PeerView               *PeerSight `json:"peer_view,omitempty"`
	HALinks                []LinkView `json:"ha_links"`
	DataPlane              DataPlane  `json:"data_plane"`
	Sessions               *Sessions  `json:"sessions,omitempty"`
	// ThroughputBytesPerSecond is the peer's data-plane rate; null when
	// unknown.
	ThroughputBytesPerSecond *float64 `json:"throughput_bytes_per_second"`
	Versions                 Versions `json:"versions"`
	// ConfigSync is synchronized, not synchronized, disabled or unknown.
	ConfigSync string `json:"config_sync"`
}

// PeerSight is how a peer sees its HA peer.
type PeerSight struct {
	State     string `json:"state"`
	Connected bool   `json:"connected"`
}

// LinkView is one configured HA link.
type LinkView struct {
	Name   string `json:"name"`
	Port   string `json:"port,omitempty"`
	Up     bool   `json:"up"`
	Status string `json:"status,omitempty"`
}

// DataPlane counts a peer's data-plane ports and names the ones down.
type DataPlane struct {
	Up    int      `json:"up"`
	Total int      `json:"total"`
	Down  []string `json:"down"`
}

// Sessions is a peer's session table summary.
type Sessions struct {
	Active uint64 `json:"active"`
	Max    uint64 `json:"max"`
	CPS    uint64 `json:"cps"`
	Kbps   uint64 `json:"kbps"`
	PPS    uint64 `json:"pps"`
}

// Versions are the software and content versions a peer runs.
type Versions struct {
	SWVersion string `json:"sw_version,omitempty"`
	App       string `json:"app,omitempty"`
	Threat    string `json:"threat,omitempty"`
	AV        string `json:"av,omitempty"`
}

// TrafficView is the pair's traffic over both peers.
type TrafficView struct {
	// Flowing is yes, no or unknown.
	Flowing        string   `json:"flowing"`
	BytesPerSecond *float64 `json:"bytes_per_second"`
	SessionsActive uint64   `json:"sessions_active"`
	Kbps           uint64   `json:"kbps"`
	CPS            uint64   `json:"cps"`
}

// pairView builds the view of one pair.
func pairView(p *snapshot.Pair, in ClassifyInput) PairView {
	status, reasons := Classify(p, in)
	v := PairView{
		Name: p.Name, Status: status, Cause: snapshot.Cause(p), Evidence: nonNil(snapshot.Evidence(p)), Reasons: nonNil(reasons),
		LastPoll: p.End, PollSuccess: p.Success(), PollSeq: p.Seq,
		PollDurationSeconds: p.Duration().Seconds(),
		PollIntervalSeconds: p.Config.PollInterval.Seconds(),
		Peers:               []PeerView{},
		Traffic:             trafficView(p.Traffic),
		AWS:                 awsSummary(p.AWSView),
		Failover:            failoverSummary(p.Failover),
		Alerts:              alertViews(in.Alerts, in.Now),
		Maintenance:         in.Maintenance,
	}
	if !p.End.IsZero() {
		v.LastPollAgeSeconds = max(0, in.Now.Sub(p.End).Seconds())
	}
	ha := p.HAView()
	v.ActivePeer, _ = journal.ActiveOf(ha)
	v.HAMode = ha.Mode
	for _, peer := range p.Peers {
		v.Peers = append(v.Peers, peerView(peer, ha.Peer(peer.Name), p.Traffic))
	}
	return v
}

// peerView builds the view of one peer.
func peerView(peer *probe.PeerStatus, ph *snapshot.PeerHA, t snapshot.Traffic) PeerView {
	v := PeerView{
		Name: peer.Name, Address: peer.Address, Up: peer.Up,
		HAState: string(ph.State), HALinks: []LinkView{},
		ConfigSync: "unknown", DataPlane: DataPlane{Down: []string{}},
	}
	if peer.Err != nil && !peer.Up {
		v.Error = snapshot.ErrorText(peer.Err)
	}
	for _, r := range peer.Results {
		if r.Err != nil && !r.Unsupported {
			v.FailedCommands = append(v.FailedCommands, string(r.Command))
		}
	}
	if s := peer.System; s != nil {
		v.Hostname, v.Model, v.Versions.SWVersion = s.Hostname, s.Model, s.SWVersion
		v.Versions.App, v.Versions.Threat, v.Versions.AV = s.AppVersion, s.ThreatVersion, s.AVVersion
	}
	if ha := peer.HA; peer.Up && ha != nil {
		v.HAEnabled, v.HAPriority = ha.Enabled, ha.LocalPriority
		v.HAStateDurationSeconds = ha.LocalStateDuration.Seconds()
		v.PeerView = &PeerSight{State: string(ha.PeerState), Connected: ha.PeerConnected}
		if !ha.PeerConnected || ha.PeerState == "" {
			v.PeerView.State = string(probe.StateUnknown)
		}
		for _, l := range ha.Links {
			v.HALinks = append(v.HALinks, LinkView{Name: l.Name, Port: l.Port, Up: l.Up, Status: l.Status})
		}
		v.ConfigSync = journal.SyncState(ha)
		lv := ha.LocalVersions
		v.Versions.SWVersion = cmp.Or(ph.Version, v.Versions.SWVersion)
		v.Versions.App = cmp.Or(lv.App, v.Versions.App)
		v.Versions.Threat = cmp.Or(lv.Threat, v.Versions.Threat)
		v.Versions.AV = cmp.Or(lv.AV, v.Versions.AV)
	}
	if peer.Up {
		v.DataPlane.Up, v.DataPlane.Total = ph.DataPlane.Up, ph.DataPlane.Total
		v.DataPlane.Down = nonNil(ph.DownPorts())
		if s := peer.Sessions; s != nil {
			v.Sessions = &Sessions{Active: s.Active, Max: s.Max, CPS: s.CPS, Kbps: s.Kbps, PPS: s.PPS}
		}
	}
	if r, ok := t.PeerBytesPerSecond[peer.Name]; ok && t.Known {
		v.ThroughputBytesPerSecond = &r
	}
	return v
}

func trafficView(t snapshot.Traffic) TrafficView {
	v := TrafficView{Flowing: t.Flowing().String(), SessionsActive: t.SessionsActive, Kbps: t.Kbps, CPS: t.CPS}
	if t.Known {
		r := t.BytesPerSecond
		v.BytesPerSecond = &r
	}
	return v
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
