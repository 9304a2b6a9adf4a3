package snapshot

import (
	"cmp"
	"fmt"

	"github.com/hawatch/hawatch/probe"
)

// iamChecks checks, for each peer, that its instance has an instance
// profile and that its role may call every EC2 action the failover needs.
// Both peers are checked: the passive fails over now, the active fails
// back later.
func (p *predictor) iamChecks() {
	for _, peer := range p.c.peers {
		p.instanceProfile(peer.Name)
	}
	for _, peer := range p.c.peers {
		for _, a := range actionsFor(p.mode) {
			p.iamAction(peer.Name, a)
		}
	}
}

// instanceProfile judges a peer's instance profile: from DescribeInstances
// when it answered, else from the IAM findings.
func (p *predictor) instanceProfile(peer string) {
	inst := p.c.instOf[peer]
	item := cmp.Or(inst, "instance")
	if p.awsOK && !p.c.failed(opInstances) && inst != "" {
		if i, ok := p.c.insts[inst]; ok {
			if i.IAMProfileARN != "" {
				p.add(FailoverCheckInstanceProfile, item, peer, probe.Yes, "")
				return
			}
			p.addf(FailoverCheckInstanceProfile, item, peer, probe.No,
				"instance %s of %s has no IAM instance profile: when %s must take over, the VM-Series plugin "+
					"cannot sign the EC2 calls that move the data plane, and traffic would stay on the failed peer",
				inst, peer, peer)
			return
		}
	}
	f, known := p.in.IAM[peer]
	switch {
	case known && f.Profile == probe.Yes:
		p.add(FailoverCheckInstanceProfile, item, peer, probe.Yes, "")
	case known && f.Profile == probe.No:
		p.addf(FailoverCheckInstanceProfile, item, peer, probe.No,
			"%s has no IAM instance profile: when %s must take over, the VM-Series plugin cannot sign the "+
				"EC2 calls that move the data plane, and traffic would stay on the failed peer", p.c.peerInst(peer), peer)
	default:
		p.addf(FailoverCheckInstanceProfile, item, peer, probe.Unknown,
			"whether %s has an IAM instance profile is unknown: %s", p.c.peerInst(peer), p.profileUnknownWhy(peer))
	}
}

// profileUnknownWhy says why a peer's instance profile is unknown.
func (p *predictor) profileUnknownWhy(peer string) string {
	switch {
	case !p.awsOK:
		return "the AWS side of the pair could not be read this poll"
	case p.c.failed(opInstances):
		return "DescribeInstances failed this poll"
	case p.c.instOf[peer] == "":
		return "its EC2 instance is unknown"
	}
	return "DescribeInstances did not return its instance"
}

// iamAction judges one action for one peer; Unknown never passes.
func (p *predictor) iamAction(peer string, a haAction) {
	r, why := p.allowed(peer, a.name)
	switch r {
	case probe.Yes:
		p.add(FailoverCheckIAMAction, a.name, peer, probe.Yes, "")
	case probe.No:
		p.addf(FailoverCheckIAMAction, a.name, peer, probe.No,
			"the IAM role of %s%s is denied %s: when %s must take over it could not %s, and the failover "+
				"would leave traffic on the failed peer", peer, p.profileOf(peer), a.name, peer, a.fails)
	default:
		p.addf(FailoverCheckIAMAction, a.name, peer, probe.Unknown,
			"whether the IAM role of %s may call %s is unknown%s", peer, a.name, why)
	}
}

// profileOf is " (profile ARN)" for texts, or "".
func (p *predictor) profileOf(peer string) string {
	arn := p.in.IAM[peer].ProfileARN
	if arn == "" && p.awsOK {
		arn = p.c.insts[p.c.instOf[peer]].IAMProfileARN
	}
	if arn == "" {
		return ""
	}
	return fmt.Sprintf(" (instance profile %s)", arn)
}
