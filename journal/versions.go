package journal

import "github.com/hawatch/hawatch/snapshot"

// Versions remembers, per peer, the PAN-OS version each source last
// reported and the version last told. A rebooting peer answers nothing for
// a few polls, so an upgrade done across a reboot is never seen between two
// consecutive polls; compared with what the peer said before it went away,
// it is one event when the peer is back.
//
// The two sources are compared like for like: the system info is fetched
// rarely and may still name the version from before the reboot while the
// HA reply names the new one, which is not a downgrade.
type Versions map[string]*PeerVersions

// PeerVersions is what one peer last reported.
type PeerVersions struct {
	// BySource is the last version per source (snapshot.VersionFromHA,
	// snapshot.VersionFromSystem).
	BySource map[string]string
	// Told is the version the journal last knew the peer to run.
	Told string
}

// VersionsOf returns what the snapshot's peers report, the memory Diff
// uses when nothing older is known.
func VersionsOf(p *snapshot.Pair) Versions {
	v := Versions{}
	v.Observe(p)
	return v
}

// change returns the version the peer ran before, when the version cur
// reports from its source differs from what that source said last and from
// what was last told.
func (v Versions) change(peer string, cur *snapshot.PeerHA) (string, bool) {
	pv := v[peer]
	if pv == nil || cur == nil || cur.Version == "" {
		return "", false
	}
	last := pv.BySource[cur.VersionFrom]
	if last == "" || last == cur.Version || pv.Told == cur.Version {
		return "", false
	}
	return pv.Told, true
}

// Observe records what the snapshot's peers report. The first version
// seen, and any change of what a source reported before, becomes the told
// one; a source heard for the first time only starts its own record.
func (v Versions) Observe(p *snapshot.Pair) {
	if p == nil {
		return
	}
	for _, ph := range p.HAView().Peers {
		if ph.Version == "" {
			continue
		}
		pv := v[ph.Name]
		if pv == nil {
			pv = &PeerVersions{BySource: map[string]string{}}
			v[ph.Name] = pv
		}
		if last := pv.BySource[ph.VersionFrom]; pv.Told == "" || last != "" && last != ph.Version {
			pv.Told = ph.Version
		}
		pv.BySource[ph.VersionFrom] = ph.Version
	}
}
