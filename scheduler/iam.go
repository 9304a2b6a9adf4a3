package scheduler

import (
	"context"
	"maps"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// IAMChecker asks IAM what the firewalls' instance profiles allow. An
// AWSProber that also implements it gets asked after each AWS poll; the
// checker caches answers (probe.IAMCache asks IAM hourly per profile).
type IAMChecker interface {
	CheckIAM(ctx context.Context, t probe.IAMTarget) *probe.IAMStatus
}

// awsWithIAM is an EC2 prober with an IAM checker beside it.
type awsWithIAM struct {
	*probe.AWSProber
	iamProber *probe.IAMProber
	iam       *probe.IAMCache
}

// Close drops the idle connections of both clients.
func (a awsWithIAM) Close() {
	a.AWSProber.Close()
	a.iamProber.Close()
}

// Calls counts the EC2 and IAM calls by operation.
func (a awsWithIAM) Calls() map[string]uint64 {
	return mergeCounts(a.AWSProber.Calls(), a.iamProber.Calls())
}

// Failures counts the failed EC2 and IAM calls by operation.
func (a awsWithIAM) Failures() map[string]uint64 {
	return mergeCounts(a.AWSProber.Failures(), a.iamProber.Failures())
}

func mergeCounts(a, b map[string]uint64) map[string]uint64 {
	out := maps.Clone(a)
	if out == nil {
		out = map[string]uint64{}
	}
	maps.Copy(out, b)
	return out
}

// CheckIAM implements IAMChecker.
func (a awsWithIAM) CheckIAM(ctx context.Context, t probe.IAMTarget) *probe.IAMStatus {
	return a.iam.Check(ctx, t)
}

// NewAWSWithIAM pairs an EC2 prober with an IAM prober behind a cache that
// asks IAM at most every interval per profile (probe.DefaultIAMInterval
// when zero), as the daemon and the demo build them.
func NewAWSWithIAM(ec2 *probe.AWSProber, iam *probe.IAMProber, interval time.Duration) AWSProber {
	return awsWithIAM{AWSProber: ec2, iamProber: iam, iam: probe.NewIAMCache(iam, interval)}
}

// checkIAM asks about the profiles of the instances of the latest AWS
// poll, for the EC2 actions the VM-Series HA feature needs in the pair's
// mode.
func (w *PairWatcher) checkIAM(ctx context.Context, st *probe.AWSStatus) {
	c, ok := w.aws.(IAMChecker)
	if !ok || st == nil || st.Errors[probe.OpDescribeInstances] != nil {
		return
	}
	t := probe.IAMTarget{Pair: w.cfg.Name, Profiles: map[string]string{}, Actions: probe.VMSeriesHAActions(w.awsMode())}
	for _, in := range st.Instances {
		if in.Peer != "" {
			t.Profiles[in.Peer] = in.IAMProfileARN
		}
	}
	if len(t.Profiles) == 0 {
		return
	}
	w.latestIAM.Store(c.CheckIAM(ctx, t))
}

// awsMode is the AWS HA mode in force: as the last correlation resolved it,
// else as configured.
func (w *PairWatcher) awsMode() string {
	if snap := w.current.Load(); snap != nil && snap.AWSView != nil && snap.AWSView.Mode != "" {
		return snap.AWSView.Mode
	}
	return w.cfg.AWS.Mode
}

// iamFindings turns the latest IAM check into the prediction's input.
func iamFindings(st *probe.IAMStatus) map[string]snapshot.IAMFindings {
	if st == nil {
		return nil
	}
	out := make(map[string]snapshot.IAMFindings, len(st.Peers))
	for peer, r := range st.Peers {
		f := snapshot.IAMFindings{Profile: r.Profile, ProfileARN: r.ProfileARN, Actions: r.Actions}
		if r.Err != nil {
			f.Reason = snapshot.ErrorText(r.Err)
		}
		out[peer] = f
	}
	return out
}
