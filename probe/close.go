package probe

import (
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Close drops the peer's idle connections, so that a prober replaced by a
// reload does not hold them open until they time out.
func (p *PANOSPeer) Close() {
	p.conn.rt.inner.CloseIdleConnections()
}

// idleCloser is an HTTP client that can drop its idle connections; the
// SDK's default client is one.
type idleCloser interface{ CloseIdleConnections() }

// Close drops the EC2 client's idle connections.
func (p *AWSProber) Close() {
	if c, ok := p.api.api.(interface{ Options() ec2.Options }); ok {
		if h, ok := c.Options().HTTPClient.(idleCloser); ok {
			h.CloseIdleConnections()
		}
	}
}

// Close drops the IAM client's idle connections.
func (p *IAMProber) Close() {
	if c, ok := p.api.api.(interface{ Options() iam.Options }); ok {
		if h, ok := c.Options().HTTPClient.(idleCloser); ok {
			h.CloseIdleConnections()
		}
	}
}
