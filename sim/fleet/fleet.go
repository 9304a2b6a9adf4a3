// Package fleet runs many simulated HA pairs at once, each a sim.World
// with its own two HTTPS PAN-OS listeners on loopback, all signed by one
// CA and, optionally, sharing one EC2 endpoint as pairs in one account and
// region do. It writes the configuration that points hawatch at them and
// serves a control API to break and restore any pair, so that the
// daemon's cost at scale can be measured from another process.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/sim/ec2sim"
)

// Options configure Start.
type Options struct {
	// Pairs is how many pairs to simulate; at least 1.
	Pairs int
	// Dir receives the CA, the API key file and the daemon's
	// configuration; it must exist.
	Dir string
	// Host is the loopback address the listeners bind; 127.0.0.1 when
	// empty.
	Host string
	// AWS serves one EC2 endpoint for every pair and turns AWS monitoring
	// on in the configuration.
	AWS bool
	// PollInterval and AWSPollInterval go into the configuration; the
	// daemon's defaults when zero.
	PollInterval    time.Duration
	AWSPollInterval time.Duration
	// Logger receives the simulator's logs; discarded when nil.
	Logger *slog.Logger
}

// Pair is one simulated pair.
type Pair struct {
	Name string
	sim  *sim.Sim

	mu    sync.Mutex
	fault string // the fault applied by Break, until Restore
}

// World returns the pair's simulated world.
func (p *Pair) World() *sim.World { return p.sim.World() }

// PeerAddr returns the host:port of peer i's PAN-OS API.
func (p *Pair) PeerAddr(i int) string { return p.sim.PeerAddr(i) }

// Fleet is a running set of simulated pairs.
type Fleet struct {
	opts  Options
	ca    *sim.CA
	pairs []*Pair
	index map[string]*Pair

	ec2     *ec2sim.Handler // nil without AWS
	ec2Addr string
	ec2Srv  *http.Server
}

// PairName returns the name of the i-th pair (0-based): pair-0001, ....
func PairName(i int) string { return fmt.Sprintf("pair-%04d", i+1) }

// Start starts the pairs. They stop when ctx ends or Close is called.
func Start(ctx context.Context, opts Options) (*Fleet, error) {
	if opts.Pairs < 1 {
		return nil, fmt.Errorf("fleet: %d pairs, want at least 1", opts.Pairs)
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("fleet: directory: %w", err)
	}
	opts.Dir = dir
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ca, err := sim.NewCA(dir)
	if err != nil {
		return nil, fmt.Errorf("fleet: create ca: %w", err)
	}
	f := &Fleet{opts: opts, ca: ca, index: make(map[string]*Pair, opts.Pairs)}
	loopback := net.JoinHostPort(opts.Host, "0")
	// Per-pair logs would drown the fleet's own at thousands of pairs.
	quiet := slog.New(slog.DiscardHandler)
	for i := range opts.Pairs {
		s, err := sim.Start(ctx, sim.Options{
			CA: ca, NoEC2: true, PeerAddrs: [2]string{loopback, loopback},
			WorldOptions: sim.WorldOptions{Logger: quiet}, Logger: quiet,
		})
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("fleet: start %s: %w", PairName(i), err)
		}
		p := &Pair{Name: PairName(i), sim: s}
		f.pairs = append(f.pairs, p)
		f.index[p.Name] = p
	}
	if opts.AWS {
		if err := f.startEC2(ctx); err != nil {
			_ = f.Close()
			return nil, err
		}
	}
	opts.Logger.Info("fleet started", "pairs", opts.Pairs, "aws", opts.AWS, "ca_file", ca.File)
	return f, nil
}

// startEC2 serves the AWS side of every pair from one endpoint.
func (f *Fleet) startEC2(ctx context.Context) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(f.opts.Host, "0"))
	if err != nil {
		return fmt.Errorf("fleet: listen for ec2: %w", err)
	}
	f.ec2 = ec2sim.NewHandler(newAWSBackend(f.pairs), f.opts.Logger.With("api", "ec2"))
	f.ec2Addr = ln.Addr().String()
	f.ec2Srv = &http.Server{Handler: f.ec2, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := f.ec2Srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			f.opts.Logger.Error("ec2 listener stopped", "err", err)
		}
	}()
	context.AfterFunc(ctx, func() { _ = f.ec2Srv.Close() })
	return nil
}

// Pairs returns the pairs in name order.
func (f *Fleet) Pairs() []*Pair { return f.pairs }

// Pair returns the pair of that name.
func (f *Fleet) Pair(name string) (*Pair, bool) { p, ok := f.index[name]; return p, ok }

// CAFile returns the path of the CA certificate that verifies every peer.
func (f *Fleet) CAFile() string { return f.ca.File }

// EC2URL returns the base URL of the shared EC2 endpoint; empty without
// AWS.
func (f *Fleet) EC2URL() string {
	if f.ec2Addr == "" {
		return ""
	}
	return "http://" + f.ec2Addr
}

// Close stops every listener.
func (f *Fleet) Close() error {
	var err error
	for _, p := range f.pairs {
		err = errors.Join(err, p.sim.Close())
	}
	if f.ec2Srv != nil {
		err = errors.Join(err, f.ec2Srv.Close())
	}
	return err
}

// Counts are the requests the simulated APIs received, summed over all
// pairs.
type Counts struct {
	Pairs int `json:"pairs"`
	// PANOS counts PAN-OS API requests by command (sim.CmdHA, ...).
	PANOS map[string]int `json:"panos_requests"`
	// EC2 counts EC2 and IAM calls by action; empty without AWS.
	EC2 map[string]int `json:"ec2_calls"`
}

// Counts returns the request counts so far.
func (f *Fleet) Counts() Counts {
	c := Counts{Pairs: len(f.pairs), PANOS: map[string]int{}, EC2: map[string]int{}}
	for _, p := range f.pairs {
		for i := range 2 {
			for cmd, n := range p.World().Requests(i) {
				c.PANOS[cmd] += n
			}
		}
	}
	if f.ec2 != nil {
		c.EC2 = f.ec2.Calls()
	}
	return c
}
