package scheduler

import (
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/probe"
)

// newEC2Prober builds AWS probers on the SDK's default credential chain.
func newEC2Prober(logger *slog.Logger) func(ctx context.Context, _ string, cfg *config.AWSConfig) (AWSProber, error) {
	return func(ctx context.Context, _ string, cfg *config.AWSConfig) (AWSProber, error) {
		// One connection pool for the pair's EC2 and IAM calls, closed
		// when the pair stops.
		hc := probe.NewAWSHTTPClient()
		client, err := probe.NewEC2Client(ctx, cfg.Region, cfg.Endpoint, logger, func(o *ec2.Options) {
			o.HTTPClient = hc
		})
		if err != nil {
			return nil, err
		}
		iamClient, err := probe.NewIAMClient(ctx, cfg.Region, cfg.Endpoint, logger, func(o *iam.Options) {
			o.HTTPClient = hc
		})
		if err != nil {
			return nil, err
		}
		return NewAWSWithIAM(probe.NewAWSProber(client, cfg.Region, logger), probe.NewIAMProber(iamClient, logger), 0), nil
	}
}
