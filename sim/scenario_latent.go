package sim

import "time"

// StepNameMisconfigure is the step of IncidentLatent that plants the
// latent fault.
const StepNameMisconfigure = "misconfigure-passive-untrust"

// LatentUntrustIP is the address IncidentLatent gives the passive's
// untrust port: a typo of the moving ENI's FloatingUntrustIP, outside the
// untrust subnet 10.0.2.0/24.
const LatentUntrustIP = "10.0.20.100/24"

// IncidentLatent is the Incident with a fault that nothing sees until the
// failover: in interface-move mode, the passive's untrust port is
// configured outside the subnet of the ENI it receives at failover. The
// active keeps forwarding and every check of the pair passes; once B takes
// over, the moved ENI does not match its interface and traffic stops,
// well before the outage of the Incident. It needs a world in
// AWSModeInterfaceMove: in secondary-IP mode no ENI moves.
func IncidentLatent() Scenario { return IncidentLatentScaled(1) }

// IncidentLatentScaled is IncidentLatent with every wait and reboot scaled
// by f, as IncidentScaled.
func IncidentLatentScaled(f float64) Scenario { return latentRound(f, 1) }

// latentRound is round r of the looped IncidentLatent: round r of the
// Incident with the latent fault planted on that round's passive peer.
func latentRound(f float64, round int) Scenario {
	d := func(s float64) time.Duration { return time.Duration(s * f * float64(time.Second)) }
	s := incidentRound(f, round)
	s.Name = "incident-latent"
	passive := PeerB
	if round%2 == 0 {
		passive = PeerA
	}
	// The misconfiguration comes 10 s into the healthy pair and then lies
	// latent for 90 s, long enough for HAFailoverNotReady to fire (at the
	// demo's tenth of the holds) before the upgrade begins.
	misconfigure := named(StepNameMisconfigure, StepInterfaceIP(d(10), passive, IfaceUntrust, LatentUntrustIP))
	upgrade := s.Steps[1]
	upgrade.After = d(90)
	s.Steps = append([]Step{s.Steps[0], misconfigure, upgrade}, s.Steps[2:]...)
	s.Next = func(r int) Scenario { return latentRound(f, r) }
	return s
}
