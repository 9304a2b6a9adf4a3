package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/coreos/go-systemd/v22/activation"
	"github.com/oklog/run"
	"github.com/prometheus/exporter-toolkit/web"
)

// listen opens the HTTP listeners: the one given in the options (tests,
// the demo), the sockets systemd passed, or one per configured address.
func (d *Daemon) listen() ([]net.Listener, error) {
	if d.opts.Listener != nil {
		return []net.Listener{d.opts.Listener}, nil
	}
	if d.cfg.WebSystemdSocket {
		lns, err := activation.Listeners()
		if err != nil {
			return nil, fmt.Errorf("systemd socket activation: %w", err)
		}
		if len(lns) == 0 {
			return nil, errors.New("systemd socket activation: no sockets passed (is the .socket unit running?)")
		}
		return lns, nil
	}
	lns := make([]net.Listener, 0, len(d.cfg.ListenAddresses))
	for _, addr := range d.cfg.ListenAddresses {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range lns {
				_ = l.Close()
			}
			return nil, fmt.Errorf("listen on %s: %w", addr, err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// addServers adds one HTTP server per listener to g. Each listener gets its
// own server because exporter-toolkit's Serve wraps the server's handler
// for TLS and basic auth, which two listeners must not race to do.
func (d *Daemon) addServers(g *run.Group, lns []net.Listener) {
	webFile := d.cfg.WebConfigFile
	flags := &web.FlagConfig{WebConfigFile: &webFile}
	for _, ln := range lns {
		srv := newServer(d.handler(), d.cfg.Web)
		// net/http's own complaints (TLS handshakes, accept errors) go
		// through slog like every other line.
		srv.ErrorLog = slog.NewLogLogger(d.log.With("component", "http").Handler(), slog.LevelWarn)
		g.Add(func() error {
			if err := web.Serve(ln, srv, flags, d.log); !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("http server on %s: %w", ln.Addr(), err)
			}
			return nil
		}, func(error) {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		})
	}
}
