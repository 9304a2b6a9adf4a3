package sim

import (
	"slices"
	"time"
)

// Defaults of the upgrade-readiness state of a healthy peer.
const (
	// DefaultPanRepoFree is the free space of /opt/panrepo, where images
	// are downloaded to.
	DefaultPanRepoFree = 20 << 30
	// PanoramaIP is the Panorama both peers are managed by, when
	// SetPanorama configured one.
	PanoramaIP = "10.0.0.50"
	// TunnelName is the IPsec tunnel of the pair to the data center.
	TunnelName = "to-dc"
	// TunnelPeerIP is the data center's IPsec gateway.
	TunnelPeerIP = "203.0.113.10"
)

// ARPGateways are the addresses each forwarding peer has ARP entries for:
// the VPC routers of the untrust and trust subnets and two servers.
var ARPGateways = []string{"10.0.2.1", "10.0.3.1", "10.0.3.20", "10.0.3.21"}

// readiness is what a peer's upgrade-readiness commands show.
type readiness struct {
	licenseExpired bool          // the Threat Prevention license has expired
	supportExpired bool          // the support entitlement has expired
	pending        bool          // uncommitted candidate configuration
	panRepoFree    uint64        // bytes free on /opt/panrepo
	ntpSynced      bool          // the clock follows an NTP server
	dpSkew         time.Duration // data plane clock minus management clock
	panoramaUp     bool          // connected to the configured Panorama
	jobRunning     bool          // a commit job is running
	downloaded     []string      // images downloaded besides the running one
	certExpiring   bool          // the management certificate ends soon
}

func healthyReadiness() readiness {
	return readiness{panRepoFree: DefaultPanRepoFree, ntpSynced: true, panoramaUp: true}
}

// pairReadiness is the pair-wide part of the readiness state.
type pairReadiness struct {
	panorama   bool            // managed by Panorama
	tunnelUp   bool            // the IPsec tunnel to the data center
	noSessions bool            // the session table is empty
	arpMissing map[string]bool // ARP entries gone from every peer
}

func healthyPairReadiness() pairReadiness {
	return pairReadiness{tunnelUp: true, arpMissing: map[string]bool{}}
}

// readinessLocked returns peer i's readiness state; the caller holds w.mu.
func (w *World) readinessLocked(i int) *readiness { return &w.peers[i].ready }

// set changes peer i's readiness state under the lock.
func (w *World) set(i int, f func(r *readiness)) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	f(w.readinessLocked(i))
}

// SetLicenseExpired makes peer i's Threat Prevention license expired
// (true) or valid.
func (w *World) SetLicenseExpired(i int, expired bool) {
	w.set(i, func(r *readiness) { r.licenseExpired = expired })
}

// SetSupportExpired makes peer i's support entitlement expired (true) or
// valid.
func (w *World) SetSupportExpired(i int, expired bool) {
	w.set(i, func(r *readiness) { r.supportExpired = expired })
}

// SetPendingChanges leaves uncommitted changes in peer i's candidate
// configuration (true) or commits them.
func (w *World) SetPendingChanges(i int, pending bool) {
	w.set(i, func(r *readiness) { r.pending = pending })
}

// SetPanRepoFree sets the free bytes of peer i's /opt/panrepo.
func (w *World) SetPanRepoFree(i int, free uint64) {
	w.set(i, func(r *readiness) { r.panRepoFree = free })
}

// SetNTPSynced makes peer i's clock follow its NTP server (true) or its
// own clock (LOCAL).
func (w *World) SetNTPSynced(i int, synced bool) {
	w.set(i, func(r *readiness) { r.ntpSynced = synced })
}

// SetDataplaneSkew sets how far peer i's data plane clock is ahead of its
// management clock.
func (w *World) SetDataplaneSkew(i int, d time.Duration) {
	w.set(i, func(r *readiness) { r.dpSkew = d })
}

// SetPanoramaConnected connects (true) or disconnects peer i from its
// Panorama; it shows only while SetPanorama configured one.
func (w *World) SetPanoramaConnected(i int, up bool) {
	w.set(i, func(r *readiness) { r.panoramaUp = up })
}

// SetJobRunning leaves a commit job running on peer i (true) or lets it
// finish.
func (w *World) SetJobRunning(i int, running bool) {
	w.set(i, func(r *readiness) { r.jobRunning = running })
}

// DownloadImage marks a PAN-OS image downloaded on peer i.
func (w *World) DownloadImage(i int, version string) {
	w.set(i, func(r *readiness) {
		if !slices.Contains(r.downloaded, version) {
			r.downloaded = append(r.downloaded, version)
		}
	})
}

// DeleteImage removes a downloaded PAN-OS image from peer i.
func (w *World) DeleteImage(i int, version string) {
	w.set(i, func(r *readiness) {
		r.downloaded = slices.DeleteFunc(r.downloaded, func(v string) bool { return v == version })
	})
}

// SetContentVersion sets peer i's applications and threats content
// version (e.g. "8799-8509"), which its HA compatibility matrix compares.
func (w *World) SetContentVersion(i int, version string) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.peers[i].appVersion, w.peers[i].threatVersion = version, version
}

// setPair changes the pair-wide readiness state under the lock.
func (w *World) setPair(f func(r *pairReadiness)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	f(&w.ready)
}

// SetPanorama configures (true) or removes the Panorama that manages both
// peers.
func (w *World) SetPanorama(configured bool) {
	w.setPair(func(r *pairReadiness) { r.panorama = configured })
}

// SetTunnelUp brings the IPsec tunnel to the data center up or down.
func (w *World) SetTunnelUp(up bool) { w.setPair(func(r *pairReadiness) { r.tunnelUp = up }) }

// SetSessionsCleared empties the session table of both peers (true), as
// after the sessions aged out, or lets traffic fill it again.
func (w *World) SetSessionsCleared(cleared bool) {
	w.setPair(func(r *pairReadiness) { r.noSessions = cleared })
}

// SetARPMissing removes ip from every peer's ARP table (true) or lets the
// peers resolve it again.
func (w *World) SetARPMissing(ip string, missing bool) {
	w.setPair(func(r *pairReadiness) {
		if missing {
			r.arpMissing[ip] = true
		} else {
			delete(r.arpMissing, ip)
		}
	})
}

// SetCertExpiring makes peer i present, on new connections, a management
// certificate that ends within ExpiringCertValidity (true), or its
// year-long one.
func (w *World) SetCertExpiring(i int, expiring bool) {
	w.set(i, func(r *readiness) { r.certExpiring = expiring })
}

// CertExpiring reports whether peer i presents its expiring certificate.
func (w *World) CertExpiring(i int) bool {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peers[i].ready.certExpiring
}
