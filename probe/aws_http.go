package probe

import (
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// AWSHTTPClient is an HTTP client for the EC2 and IAM clients of one pair:
// the SDK's default transport settings, no redirects followed (as the
// SDK's own client), and a transport the caller can close. The SDK's
// buildable client keeps its transport out of reach, so a pair replaced by
// a reload would hold its connections until they time out.
type AWSHTTPClient struct {
	*http.Client
	tr *http.Transport
}

// NewAWSHTTPClient returns a client with its own connection pool.
func NewAWSHTTPClient() *AWSHTTPClient {
	tr := awshttp.NewBuildableClient().GetTransport()
	return &AWSHTTPClient{
		Client: &http.Client{
			Transport: tr,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		tr: tr,
	}
}

// CloseIdleConnections closes the pool's idle connections.
func (c *AWSHTTPClient) CloseIdleConnections() { c.tr.CloseIdleConnections() }
