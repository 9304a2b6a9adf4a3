package gate

import (
	"fmt"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// expired reports whether a license has lapsed by now: the firewall says
// so, or its end date is past.
func expired(l probe.License, now time.Time) bool {
	return l.Expired || (!l.ExpiresAt.IsZero() && !now.Before(l.ExpiresAt.AddDate(0, 0, 1)))
}

// activeSupport: each peer holds a support entitlement that has not
// lapsed. pan-os-upgrade-assurance asks the update server (`request support
// check`); hawatch reads the licenses the firewall holds, which needs no
// route from the firewall to the internet.
func (r readiness) activeSupport() Check {
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdLicenses}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		var support *probe.License
		for i, l := range ops.Licenses {
			if l.IsSupport() && (support == nil || !expired(l, r.now())) {
				support = &ops.Licenses[i]
			}
		}
		switch {
		case support == nil:
			o.failf("%s holds no support license", peer.Name)
		case expired(*support, r.now()):
			o.failf("%s: support (%s) expired %s", peer.Name, support.Feature, support.Expires)
		default:
			o.passf("%s: support (%s) until %s", peer.Name, support.Feature, support.Expires)
		}
	})
	return o.check(CheckActiveSupport)
}

// expiredLicenses: no license of either peer has lapsed.
func (r readiness) expiredLicenses() Check {
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdLicenses}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		var lapsed []string
		for _, l := range ops.Licenses {
			if expired(l, r.now()) {
				lapsed = append(lapsed, fmt.Sprintf("%s (%s)", l.Feature, l.Expires))
			}
		}
		switch {
		case len(ops.Licenses) == 0:
			o.failf("%s holds no license", peer.Name)
		case len(lapsed) > 0:
			o.failf("%s: expired %s", peer.Name, strings.Join(lapsed, ", "))
		default:
			o.passf("%s: %d licenses, none expired", peer.Name, len(ops.Licenses))
		}
	})
	return o.check(CheckExpiredLicenses)
}

// pendingChanges: neither peer has uncommitted configuration, which a
// reboot would lose and an HA sync would not carry.
func (r readiness) pendingChanges() Check {
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdPendingChanges}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		if ops.PendingChanges {
			o.failf("%s has uncommitted changes", peer.Name)
		} else {
			o.passf("%s: nothing uncommitted", peer.Name)
		}
	})
	return o.check(CheckPendingChanges)
}

// ntpSync: each peer's clock follows an NTP server.
func (r readiness) ntpSync() Check {
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdNTP}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		switch n := ops.NTP; {
		case n.Synchronized():
			o.passf("%s synchronized to %s", peer.Name, n.Synched)
		case len(n.Servers) == 0:
			o.failf("%s has no NTP server configured", peer.Name)
		default:
			var st []string
			for _, s := range n.Servers {
				st = append(st, s.Name+" "+s.Status)
			}
			o.failf("%s not synchronized (%s; servers: %s)", peer.Name, n.Synched, strings.Join(st, ", "))
		}
	})
	return o.check(CheckNTPSync)
}

// clockSync: each data plane's clock is within MaxClockSkew of its
// management plane's.
func (r readiness) clockSync() Check {
	limit := r.o.Readiness.MaxClockSkew
	if limit <= 0 {
		limit = DefaultMaxClockSkew
	}
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdClock, probe.CmdClockMore}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		worst := time.Duration(0)
		for _, dp := range ops.DataplaneClocks {
			d := dp.Time.Sub(ops.Clock.Time)
			if d < 0 {
				d = -d
			}
			if d > limit {
				o.failf("%s: data plane %s is %v off the management clock (%s vs %s)", peer.Name, dp.Plane, d,
					dp.Time.Format(time.DateTime), ops.Clock.Time.Format(time.DateTime))
			}
			worst = max(worst, d)
		}
		o.passf("%s: %d data plane clock(s) within %v of the management clock", peer.Name, len(ops.DataplaneClocks), worst)
	})
	return o.check(CheckClockSync)
}

// panorama: every Panorama a peer is configured with is connected; a pair
// without Panorama passes.
func (r readiness) panorama() Check {
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdPanorama}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		if !ops.Panorama.Configured() {
			o.passf("%s: no Panorama configured", peer.Name)
			return
		}
		for _, s := range ops.Panorama.Servers {
			if s.Connected {
				o.passf("%s: Panorama %s connected", peer.Name, s.Address)
			} else {
				o.failf("%s: Panorama %s not connected", peer.Name, s.Address)
			}
		}
	})
	return o.check(CheckPanorama)
}

// jobsIdle: no job runs or waits on either peer: a reboot would cut a
// commit, a download or an install short.
func (r readiness) jobsIdle() Check {
	var o outcome
	r.eachPeer(&o, []probe.Command{probe.CmdJobs}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		busy := 0
		for _, j := range ops.Jobs {
			if !j.Finished() {
				busy++
				o.failf("%s: job %d (%s) is %s", peer.Name, j.ID, j.Type, jobState(j))
			}
		}
		if busy == 0 {
			o.passf("%s: %d jobs, all finished", peer.Name, len(ops.Jobs))
		}
	})
	return o.check(CheckJobsIdle)
}

// jobState says how far an unfinished job is.
func jobState(j probe.Job) string {
	if j.Queued {
		return "queued"
	}
	s := map[string]string{"ACT": "running", "PEND": "pending"}[j.Status]
	if s == "" {
		s = "in state " + j.Status
	}
	if j.Progress != "" && j.Status == "ACT" {
		s += ", " + j.Progress + "%"
	}
	return s
}

// mgmtCertificate: the certificate each management interface presented
// stays valid for CertValidFor past the check.
func (r readiness) mgmtCertificate() Check {
	var o outcome
	until := r.now().Add(r.o.Readiness.CertValidFor)
	r.eachPeer(&o, []probe.Command{probe.CmdCert}, func(peer *probe.PeerStatus, ops *probe.Ops) {
		c := ops.Cert
		switch {
		case r.now().Before(c.NotBefore):
			o.failf("%s: certificate not valid before %s", peer.Name, c.NotBefore.UTC().Format(time.RFC3339))
		case c.NotAfter.Before(until):
			o.failf("%s: certificate expires %s, within %v", peer.Name, c.NotAfter.UTC().Format(time.RFC3339), r.o.Readiness.CertValidFor)
		default:
			o.passf("%s: certificate valid until %s", peer.Name, c.NotAfter.UTC().Format(time.RFC3339))
		}
	})
	return o.check(CheckMgmtCertificate)
}
