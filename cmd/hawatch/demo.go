package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/hawatch/hawatch/daemon"
	"github.com/hawatch/hawatch/demo"
)

// runDemo starts the simulator and the daemon on it, and plays a scenario
// (the incident by default) on a loop.
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("demo", "Run the daemon on a built-in simulated PAN-OS HA pair in AWS that plays a scenario on a loop.",
		"The simulated pair, its API key and its AWS credentials are the simulator's own; the demo prints how to run 'hawatch check' against it.")
	addWebFlags(fs)
	addLogFlags(fs, "info")
	scale := fs.Float64("scale", 1, "speed factor of the scenario's timeline (0.5 plays it twice as fast)")
	mode := fs.String("aws-mode", "secondary-ip", "AWS HA mode of the simulated pair: secondary-ip or interface-move (incident-latent forces interface-move)")
	scenario := fs.String("scenario", "incident", "scenario to play on a loop: "+strings.Join(demo.ScenarioNames(), ", ")+
		"; incident-latent is the incident with the passive's untrust port outside its ENI's subnet, so the failover itself stops traffic")
	if code, done := fs.parse(args, stdout, stderr); done {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// The log settings are checked before the simulator starts, so that a
	// bad value is a usage error.
	lookup := fs.lookuper()
	level, _ := lookup.Lookup("HAWATCH_LOG_LEVEL")
	format, _ := lookup.Lookup("HAWATCH_LOG_FORMAT")
	bootLog, err := newLogger(stderr, cmp.Or(level, "info"), format)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch demo: %v\n", err)
		return 2
	}
	env, err := demo.Start(ctx, demo.Options{Mode: *mode, Scenario: *scenario, Scale: *scale, Logger: bootLog, Env: lookup})
	if err != nil {
		fmt.Fprintf(stderr, "hawatch demo: %v\n", err)
		return 1
	}
	defer func() { _ = env.Sim.Close() }()
	logger, err := newLogger(stderr, env.Config.LogLevel, env.Config.LogFormat)
	if err != nil {
		fmt.Fprintf(stderr, "hawatch demo: %v\n", err)
		return 2
	}
	installLogger(logger)
	warnUnknownVariables(logger)
	ready := make(chan net.Addr, 1)
	d, err := daemon.New(daemon.Options{
		Config: env.Config,
		Logger: logger,
		NewAWS: env.NewAWS(logger),
		Ready:  ready,
	})
	if err != nil {
		fmt.Fprintf(stderr, "hawatch demo: %v\n", err)
		return 1
	}
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	select {
	case addr := <-ready:
		env.Play(ctx, *scale, logger.With("component", "simulator"))
		demo.PrintWelcome(stdout, addr, env)
	case err := <-errc:
		fmt.Fprintf(stderr, "hawatch demo: %v\n", err)
		return 1
	}
	if err := <-errc; err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "hawatch demo: %v\n", err)
		return 1
	}
	return 0
}
