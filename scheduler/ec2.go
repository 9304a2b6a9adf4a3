package scheduler

import (
	"context"
	"log/slog"
	"net/url"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
)

// awsPool builds, on the SDK's default credential chain (one account), one
// AWS group per region and endpoint: one connection pool, EC2 and IAM
// client, prober and IAM cache that all pairs of the region share, and
// one set of EC2 calls per round for all of them.
type awsPool struct {
	logger *slog.Logger

	mu     sync.Mutex
	groups map[string]*awsGroup
}

// newEC2Prober returns the builder of the pairs' AWS probers: handles on
// their region's shared group.
func newEC2Prober(logger *slog.Logger) func(ctx context.Context, _ string, cfg *config.AWSConfig) (AWSProber, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p := &awsPool{logger: logger, groups: map[string]*awsGroup{}}
	return p.prober
}

func (p *awsPool) prober(ctx context.Context, _ string, cfg *config.AWSConfig) (AWSProber, error) {
	key := awsGroupKey(cfg)
	p.mu.Lock()
	defer p.mu.Unlock()
	if g := p.groups[key]; g != nil {
		return awsMember{g: g}, nil
	}
	// The group's connections are dropped when its last pair stops; the
	// clients stay for pairs to come.
	hc := probe.NewAWSHTTPClient()
	client, err := probe.NewEC2Client(ctx, cfg.Region, cfg.Endpoint, p.logger, func(o *ec2.Options) {
		o.HTTPClient = hc
		o.Retryer = probe.NewAWSRetryer()
	})
	if err != nil {
		return nil, err
	}
	iamClient, err := probe.NewIAMClient(ctx, cfg.Region, cfg.Endpoint, p.logger, func(o *iam.Options) {
		o.HTTPClient = hc
		o.Retryer = probe.NewAWSRetryer()
	})
	if err != nil {
		return nil, err
	}
	iamProber := probe.NewIAMProber(iamClient, p.logger)
	g := newAWSGroup(key, probe.NewAWSProber(client, cfg.Region, p.logger), probe.NewIAMCache(iamProber, 0),
		hc.CloseIdleConnections, p.logger.With("aws", key))
	g.iamProber = iamProber
	p.groups[key] = g
	return awsMember{g: g}, nil
}

// awsGroupKey names a group: its region, and its endpoint when one is set,
// without user information or query.
func awsGroupKey(cfg *config.AWSConfig) string {
	if cfg.Endpoint == "" {
		return cfg.Region
	}
	ep := "endpoint"
	if u, err := url.Parse(cfg.Endpoint); err == nil {
		u.User, u.RawQuery, u.Fragment = nil, "", ""
		ep = u.String()
	}
	return cfg.Region + " " + ep
}

// awsMember is a pair's handle on its region's group: its AWS loop joins
// the group's rounds, and a poll of the pair alone (the upgrade gate's
// look) is a targeted call with the shared client.
type awsMember struct{ g *awsGroup }

func (m awsMember) group() *awsGroup { return m.g }

// Probe polls one pair alone.
func (m awsMember) Probe(ctx context.Context, t probe.AWSTarget) *probe.AWSStatus {
	return m.g.prober.Probe(ctx, t)
}

// CheckIAM implements IAMChecker with the region's shared cache, so that
// a profile is asked about once per interval, not once per pair.
func (m awsMember) CheckIAM(ctx context.Context, t probe.IAMTarget) *probe.IAMStatus {
	return m.g.iam.Check(ctx, t)
}

// Calls counts the group's EC2 and IAM calls by operation.
func (m awsMember) Calls() map[string]uint64 {
	return mergeCounts(m.g.prober.Calls(), m.g.iamProber.Calls())
}

// Failures counts the group's failed EC2 and IAM calls by operation.
func (m awsMember) Failures() map[string]uint64 {
	return mergeCounts(m.g.prober.Failures(), m.g.iamProber.Failures())
}
