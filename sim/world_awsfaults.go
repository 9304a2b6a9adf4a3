package sim

import (
	"slices"
	"time"
)

// SetAWSFollowsFailover sets whether a peer that becomes active takes over
// the AWS data plane. With false, a failover leaves floating IPs, EIP,
// routes and ENIs on the old peer.
func (w *World) SetAWSFollowsFailover(follows bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.follows = follows
}

// DetachENI detaches an ENI from its instance; it stays detached until
// RestoreAWS, or until a takeover reattaches a moving ENI.
func (w *World) DetachENI(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.detached[id] = true
	w.logger.Info("eni detached", "eni", id)
}

// BlackholeRoute points the trust subnet's default route at an ENI that no
// longer exists, so that its state is blackhole. A takeover repoints it.
func (w *World) BlackholeRoute() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.blackhole = true
	w.logger.Info("route blackholed", "route_table", TrustRouteTable)
}

// SetSourceDestCheck turns source/destination checking of an ENI on or
// off. It is off on data-plane ENIs and on elsewhere by default.
func (w *World) SetSourceDestCheck(id string, on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.sdc[id] = on
}

// SetThrottle makes every EC2 call answer RequestLimitExceeded.
func (w *World) SetThrottle(on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.throttle = on
}

// SetUnauthorized makes the given EC2 actions (e.g.
// "DescribeRouteTables") answer UnauthorizedOperation; no actions clears
// the fault.
func (w *World) SetUnauthorized(actions ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.unauthorized = slices.Clone(actions)
}

// SetAWSDelay delays every EC2 reply by d.
func (w *World) SetAWSDelay(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.delay = d
}

// SetInstanceStatus sets the instance status check of peer i's EC2
// instance ("ok", "impaired", "initializing", ...).
func (w *World) SetInstanceStatus(i int, status string) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.aws.instanceStatus[i] = status
}

// RestoreAWS clears every AWS fault, makes AWS follow failovers again and
// points the data plane at the active peer (shared ENIs move visibly in
// interface-move mode).
func (w *World) RestoreAWS() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	w.aws.restore(w.activeLocked(), now, true)
	w.logger.Info("aws restored")
}
