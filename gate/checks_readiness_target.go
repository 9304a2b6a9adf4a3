package gate

import (
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// targetImage: the peer to be upgraded next has the target image
// downloaded, and the base image of its feature release when it comes from
// another one (PAN-OS installs a maintenance release only over its base
// image, which must be on the firewall). The next peer is the one not on
// the target that is not active: an HA pair upgrades its passive peer
// first. The other peer's image is reported, not judged: it is needed only
// after the failover.
func (r readiness) targetImage() Check {
	var o outcome
	target := r.o.target()
	if target == "" {
		o.unknownf("no target version given (--target-version)")
		return o.check(CheckTargetImage)
	}
	next := r.nextToUpgrade()
	for _, peer := range r.p.Peers {
		ops, why := r.answered(peer, []probe.Command{probe.CmdSoftware, probe.CmdSystem})
		if why != "" {
			o.unknownf("%s", why)
			continue
		}
		running := ops.System.SWVersion
		if running == target {
			o.passf("%s already runs %s", peer.Name, target)
			continue
		}
		missing := missingImages(ops.Software, running, target)
		switch {
		case len(missing) == 0:
			o.passf("%s has %s downloaded", peer.Name, target)
		case peer.Name == next:
			o.failf("%s (upgraded next) lacks %s", peer.Name, strings.Join(missing, " and "))
		default:
			o.passf("%s lacks %s, needed after the failover", peer.Name, strings.Join(missing, " and "))
		}
	}
	return o.check(CheckTargetImage)
}

// missingImages lists the images an upgrade from running to target needs
// that the software list does not show downloaded.
func missingImages(images []probe.SoftwareImage, running, target string) []string {
	need := []string{target}
	if base := baseOf(target); base != target && baseOf(running) != base {
		need = append([]string{base}, need...)
	}
	var missing []string
	for _, v := range need {
		ok := false
		for _, img := range images {
			if img.Version == v && img.Downloaded {
				ok = true
			}
		}
		if !ok {
			missing = append(missing, v)
		}
	}
	return missing
}

// nextToUpgrade names the peer to be upgraded next: the first peer not
// on the target version that is not active, else the first not on it.
func (r readiness) nextToUpgrade() string {
	active := r.p.HAView().Active
	first := ""
	for _, peer := range r.p.Peers {
		ops := r.opsOf(peer)
		if peer == nil || ops == nil || ops.System == nil || ops.System.SWVersion == r.o.target() {
			continue
		}
		if peer.Name != active {
			return peer.Name
		}
		if first == "" {
			first = peer.Name
		}
	}
	return first
}
