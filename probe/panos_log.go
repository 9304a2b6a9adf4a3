package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// logChange logs the peer's failures without repeating them every poll: the
// first failure (even of a peer never up), then only when it becomes
// another failure (ErrorKey changes), and a line when the peer answers
// again.
func (p *PANOSPeer) logChange(st *PeerStatus) {
	if st.Up {
		if !p.wasUp {
			p.log.Info("peer answers the api")
		}
		p.lastErr = ""
		return
	}
	text, key := "no command answered", "no command answered"
	if st.Err != nil {
		text, key = st.Err.Error(), ErrorKey(st.Err)
	}
	if key == p.lastErr {
		return
	}
	p.lastErr = key
	if isCertError(st.Err) {
		p.log.Warn("peer's tls certificate is not trusted", "err", text)
		return
	}
	p.log.Warn("peer does not answer the api", "err", text)
}

// isCertError reports whether err is the refusal of the peer's certificate.
func isCertError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		ua   x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &ua) || errors.As(err, &host) || errors.As(err, &inv)
}
