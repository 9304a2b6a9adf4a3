// Command hawatch-sim runs many simulated PAN-OS HA pairs on loopback,
// healthy and carrying traffic, writes the configuration that points
// hawatch at them and serves a control API that breaks and restores any
// pair. It runs apart from the daemon so that the daemon's cost at scale
// is measured alone (see docs/scale.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hawatch/hawatch/sim/fleet"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hawatch-sim:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hawatch-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pairs := fs.Int("pairs", 10, "number of simulated HA pairs")
	dir := fs.String("dir", "", "directory for the CA, the API key and the daemon's configuration (required)")
	aws := fs.Bool("aws", false, "serve one EC2 endpoint for all pairs and turn AWS monitoring on")
	host := fs.String("listen", "127.0.0.1", "loopback address the simulated peers listen on")
	control := fs.String("control", "127.0.0.1:0", "listen address of the control API")
	poll := fs.Duration("poll-interval", 0, "poll interval written into the configuration (the daemon's default when 0)")
	awsPoll := fs.Duration("aws-poll-interval", 0, "AWS poll interval written into the configuration (the daemon's default when 0)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("--dir is required")
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *dir, err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	start := time.Now()
	f, err := fleet.Start(ctx, fleet.Options{Pairs: *pairs, Dir: *dir, Host: *host, AWS: *aws,
		PollInterval: *poll, AWSPollInterval: *awsPoll, Logger: logger})
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	if err := f.WriteConfig(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *control)
	if err != nil {
		return fmt.Errorf("listen for the control api: %w", err)
	}
	srv := &http.Server{Handler: controlMux(f), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	printUsage(stdout, f, "http://"+ln.Addr().String(), *dir, time.Since(start))
	<-ctx.Done()
	return nil
}

// controlMux serves the fleet's control API and, to find where the
// simulator's own time goes, Go's profiles under /debug/pprof/.
func controlMux(f *fleet.Fleet) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", f.Handler())
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	return mux
}

// printUsage tells how to run the daemon against the fleet. Its first
// line is read by scripts: "control <url>".
func printUsage(w io.Writer, f *fleet.Fleet, control, dir string, took time.Duration) {
	fmt.Fprintf(w, "control %s\n", control)
	fmt.Fprintf(w, `
hawatch-sim: %d simulated HA pairs on loopback (started in %s).
  configuration  %s
  CA             %s
  EC2 endpoint   %s
Run the daemon against them:
  set -a; . %s/%s; set +a; go run ./cmd/hawatch
Break and restore a pair (faults: %s):
  curl -X POST '%s/pairs/%s/break?fault=links-down'
  curl -X POST %s/pairs/%s/restore
  curl %s/pairs    curl %s/counts
Stop with Ctrl-C.
`, len(f.Pairs()), took.Round(time.Millisecond), f.ConfigFile(), f.CAFile(), orNone(f.EC2URL()),
		dir, fleet.EnvFileName, strings.Join(fleet.FaultNames(), ", "),
		control, fleet.PairName(0), control, fleet.PairName(0), control, control)
}

func orNone(s string) string {
	if s == "" {
		return "none (run with --aws)"
	}
	return s
}
