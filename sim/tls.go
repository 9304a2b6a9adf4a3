package sim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Files NewCA writes.
const (
	CAFileName        = "ca.pem"
	ServerCertName    = "server.pem"
	ServerKeyFileName = "server-key.pem"
)

// CA is a throwaway certificate authority and the server certificate it
// issued for 127.0.0.1, ::1 and localhost.
type CA struct {
	// File is the PEM file of the CA certificate, for clients to verify
	// the simulator with.
	File string
	// CertFile and KeyFile hold the server certificate and its key.
	CertFile string
	KeyFile  string

	pool *x509.CertPool
	cert tls.Certificate
	// expiring is a second server certificate that ends within
	// ExpiringCertValidity, for a peer whose certificate is about to lapse.
	expiring tls.Certificate
}

// Validity of the simulator's certificates: a year, as a firewall's own
// management certificate would be, and the short one a peer presents
// after SetCertExpiring.
const (
	CertValidity         = 365 * 24 * time.Hour
	ExpiringCertValidity = 24 * time.Hour
)

// NewCA creates a self-signed ECDSA P-256 CA valid for CertValidity,
// issues a server certificate from it and writes ca.pem, server.pem and
// server-key.pem to dir.
func NewCA(dir string) (*CA, error) { return newCA(dir, time.Time{}, time.Time{}) }

// newCA is NewCA with the validity of the CA and the year-long server
// certificate bounded by notBefore and notAfter when they are set.
func newCA(dir string, notBefore, notAfter time.Time) (*CA, error) {
	now := time.Now()
	if notBefore.IsZero() {
		notBefore = now.Add(-time.Minute)
	}
	if notAfter.IsZero() {
		notAfter = now.Add(CertValidity)
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate ca key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "hawatch simulator CA"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("create ca certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("parse ca certificate: %w", err)
	}
	leaf, key, err := issue(caCert, caKey, notBefore, notAfter, 2)
	if err != nil {
		return nil, err
	}
	expiring, _, err := issue(caCert, caKey, notBefore, now.Add(ExpiringCertValidity), 3)
	if err != nil {
		return nil, err
	}
	der := leaf.Certificate[0]
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal server key: %w", err)
	}
	ca := &CA{
		File:     filepath.Join(dir, CAFileName),
		CertFile: filepath.Join(dir, ServerCertName),
		KeyFile:  filepath.Join(dir, ServerKeyFileName),
		pool:     x509.NewCertPool(),
		cert:     leaf,
		expiring: expiring,
	}
	ca.pool.AddCert(caCert)
	files := []struct {
		path, typ string
		der       []byte
		mode      os.FileMode
	}{
		{ca.File, "CERTIFICATE", caDER, 0o644},
		{ca.CertFile, "CERTIFICATE", der, 0o644},
		{ca.KeyFile, "EC PRIVATE KEY", keyDER, 0o600},
	}
	for _, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der})
		if err := os.WriteFile(f.path, data, f.mode); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	return ca, nil
}

// issue creates a server certificate for 127.0.0.1, ::1 and localhost,
// valid from notBefore to notAfter.
func issue(caCert *x509.Certificate, caKey *ecdsa.PrivateKey, notBefore, notAfter time.Time, serial int64) (
	tls.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("generate server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("create server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, key, nil
}

// PeerConfig is ServerConfig for one peer: while expiring reports true,
// new connections get the certificate that ends within
// ExpiringCertValidity.
func (c *CA) PeerConfig(expiring func() bool) *tls.Config {
	cfg := c.ServerConfig()
	cfg.Certificates = nil
	cfg.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		if expiring() {
			return &c.expiring, nil
		}
		return &c.cert, nil
	}
	return cfg
}

// Pool returns a pool holding the CA certificate.
func (c *CA) Pool() *x509.CertPool { return c.pool }

// ServerConfig returns a TLS configuration serving the issued certificate.
// It offers HTTP/1.1 only, as the PAN-OS management server does.
func (c *CA) ServerConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{c.cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
}

// ClientConfig returns a TLS configuration that verifies the simulator
// with the CA.
func (c *CA) ClientConfig() *tls.Config {
	return &tls.Config{RootCAs: c.pool, MinVersion: tls.VersionTLS12}
}
