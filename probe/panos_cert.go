package probe

import "crypto/tls"

// noteCert keeps the leaf certificate of a reply's TLS connection: reading
// it costs the management plane nothing, as the connection is open anyway.
func (rt *boundedRT) noteCert(cs *tls.ConnectionState) {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		return
	}
	c := cs.PeerCertificates[0]
	if rt.leaf.Swap(c) == c {
		// The same connection's certificate: formatting its names again
		// at every reply was a good part of a poll's garbage.
		return
	}
	rt.cert.Store(&CertInfo{
		Subject:   c.Subject.String(),
		Issuer:    c.Issuer.String(),
		NotBefore: c.NotBefore,
		NotAfter:  c.NotAfter,
	})
}

// peerCert returns the certificate of the latest reply, or nil before any.
func (rt *boundedRT) peerCert() *CertInfo { return rt.cert.Load() }
