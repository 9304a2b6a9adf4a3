package sim

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// Options configure Start.
type Options struct {
	// Dir receives ca.pem and the server certificate; a temporary
	// directory, removed by Close, when empty.
	Dir string
	// World is the world to serve; a new one from WorldOptions when nil.
	World        *World
	WorldOptions WorldOptions
	// PeerAddrs are the listen addresses of peers A and B, and EC2Addr the
	// EC2 endpoint's; 127.0.0.1:0 when empty.
	PeerAddrs [2]string
	EC2Addr   string
	// Logger receives request logs; discarded when nil.
	Logger *slog.Logger
	// CA serves the peers; a new one written to Dir (valid from
	// CertNotBefore to CertNotAfter) when nil. Many
	// simulators can share one, so that one CA file verifies them all.
	CA *CA
	// NoEC2 leaves the EC2 endpoint out, for a caller that serves the AWS
	// side of many worlds from one endpoint.
	NoEC2 bool
	// CertNotBefore and CertNotAfter, when set, bound the validity of the
	// CA and of the peers' certificates instead of CertValidity from now:
	// a world whose clock is set in the past needs certificates valid
	// then as well as now.
	CertNotBefore, CertNotAfter time.Time
}

// Sim is a running simulator: one HTTPS PAN-OS API per peer and one
// plain-HTTP EC2 endpoint, all answering from one World.
type Sim struct {
	world   *World
	ca      *CA
	panos   [2]*PANOSHandler
	ec2     *ec2sim.Handler
	addrs   [2]string
	ec2Addr string
	servers []*http.Server
	tmpDir  string
	stop    func() bool
	wg      sync.WaitGroup
	once    sync.Once
}

// Start writes the CA and starts the listeners. The simulator stops when
// ctx is done or Close is called.
func Start(ctx context.Context, opts Options) (*Sim, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Sim{world: opts.World}
	if s.world == nil {
		wo := opts.WorldOptions
		if err := wo.Validate(); err != nil {
			return nil, err
		}
		if wo.Logger == nil {
			wo.Logger = logger
		}
		s.world = NewWorld(wo)
	}
	ca := opts.CA
	if ca == nil {
		var err error
		if ca, err = s.newCA(opts.Dir, opts.CertNotBefore, opts.CertNotAfter); err != nil {
			return nil, err
		}
	}
	s.ca = ca
	for i := range s.panos {
		s.panos[i] = NewPANOSHandler(s.world, i, logger)
		ln, err := listen(opts.PeerAddrs[i])
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("listen for peer %s: %w", PeerName(i), err)
		}
		s.addrs[i] = ln.Addr().String()
		s.serve(tls.NewListener(ln, ca.PeerConfig(func() bool { return s.world.CertExpiring(i) })), s.panos[i], logger)
	}
	if !opts.NoEC2 {
		s.ec2 = ec2sim.NewHandler(s.world, logger.With("api", "ec2"))
		ln, err := listen(opts.EC2Addr)
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("listen for ec2: %w", err)
		}
		s.ec2Addr = ln.Addr().String()
		s.serve(ln, s.ec2, logger)
	}
	s.stop = context.AfterFunc(ctx, func() { _ = s.Close() })
	logger.Info("simulator started", "peer_a", s.addrs[0], "peer_b", s.addrs[1], "ec2", s.EC2URL(), "ca_file", ca.File)
	return s, nil
}

// newCA creates the CA in dir, or in a temporary directory that Close
// removes when dir is empty.
func (s *Sim) newCA(dir string, notBefore, notAfter time.Time) (*CA, error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "hawatch-sim-")
		if err != nil {
			return nil, fmt.Errorf("create simulator directory: %w", err)
		}
		dir, s.tmpDir = tmp, tmp
	}
	ca, err := newCA(dir, notBefore, notAfter)
	if err != nil {
		s.cleanup()
		return nil, fmt.Errorf("create simulator ca: %w", err)
	}
	return ca, nil
}

func listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	return net.Listen("tcp", addr)
}

func (s *Sim) serve(ln net.Listener, h http.Handler, logger *slog.Logger) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// An empty map keeps the server on HTTP/1.1, like PAN-OS.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	s.servers = append(s.servers, srv)
	s.wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("simulator listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	})
}

// Close stops every listener, drops open connections and removes a
// temporary directory. It is safe to call more than once.
func (s *Sim) Close() error {
	var err error
	s.once.Do(func() {
		if s.stop != nil {
			s.stop()
		}
		for _, srv := range s.servers {
			err = errors.Join(err, srv.Close())
		}
		s.wg.Wait()
		s.cleanup()
	})
	return err
}

func (s *Sim) cleanup() {
	if s.tmpDir != "" {
		_ = os.RemoveAll(s.tmpDir)
	}
}

// PeerAddr returns the host:port of peer i's PAN-OS API.
func (s *Sim) PeerAddr(i int) string { checkPeer(i); return s.addrs[i] }

// PeerURL returns the URL of peer i's PAN-OS API endpoint.
func (s *Sim) PeerURL(i int) string { return "https://" + s.PeerAddr(i) + "/api" }

// EC2URL returns the base URL of the EC2 endpoint; empty with NoEC2.
func (s *Sim) EC2URL() string {
	if s.ec2Addr == "" {
		return ""
	}
	return "http://" + s.ec2Addr
}

// CAFile returns the path of the CA certificate that verifies the peers.
func (s *Sim) CAFile() string { return s.ca.File }

// CA returns the simulator's certificate authority.
func (s *Sim) CA() *CA { return s.ca }

// World returns the simulated world.
func (s *Sim) World() *World { return s.world }

// APIKey returns the API key the peers accept.
func (s *Sim) APIKey() string { return s.world.APIKey() }

// Credentials returns the admin username and password keygen accepts.
func (s *Sim) Credentials() (username, password string) { return s.world.Credentials() }

// PANOS returns peer i's API handler.
func (s *Sim) PANOS(i int) *PANOSHandler { checkPeer(i); return s.panos[i] }

// EC2 returns the EC2 handler; nil with NoEC2.
func (s *Sim) EC2() *ec2sim.Handler { return s.ec2 }
