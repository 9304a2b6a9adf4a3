// Command composecheck loads a compose file the way `docker compose config`
// does, with compose-go (the library docker compose itself uses): the file
// is validated against the compose-spec JSON schema that compose-go
// embeds, interpolated, normalized and checked for consistency (services
// named in depends_on exist, volumes are declared, ...). It prints the
// services' images, build contexts, published ports, environment and bind
// mounts as JSON, for the tests in deploy/compose to check against the
// files on disk; it needs no Docker daemon.
//
//	go run ./composecheck ../deploy/compose/compose.yaml
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

// Mount is one bind mount of a service.
type Mount struct {
	Source   string `json:"source"` // absolute path on the host
	Target   string `json:"target"`
	ReadOnly bool   `json:"read_only"`
}

// Service is the part of a service the tests check.
type Service struct {
	Image        string            `json:"image"`
	BuildContext string            `json:"build_context,omitempty"`
	Dockerfile   string            `json:"dockerfile,omitempty"`
	Command      []string          `json:"command,omitempty"`
	Environment  map[string]string `json:"environment,omitempty"`
	Ports        []string          `json:"ports,omitempty"` // published:target
	Binds        []Mount           `json:"binds,omitempty"`
	Volumes      []string          `json:"volumes,omitempty"` // named volumes' targets
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: composecheck COMPOSE_FILE")
		os.Exit(2)
	}
	services, err := load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "composecheck:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(services); err != nil {
		fmt.Fprintln(os.Stderr, "composecheck:", err)
		os.Exit(1)
	}
}

func load(file string) (map[string]Service, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	// No environment from the OS or a .env file: the check must not depend
	// on the machine it runs on.
	opts, err := cli.NewProjectOptions([]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithEnv(nil),
		cli.WithResolvedPaths(true),
		cli.WithConsistency(true),
	)
	if err != nil {
		return nil, err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", file, err)
	}
	out := map[string]Service{}
	for name, s := range project.Services {
		svc := Service{Image: s.Image, Command: s.Command, Environment: map[string]string{}}
		if s.Build != nil {
			svc.BuildContext, svc.Dockerfile = s.Build.Context, s.Build.Dockerfile
		}
		for k, v := range s.Environment {
			if v != nil {
				svc.Environment[k] = *v
			}
		}
		for _, p := range s.Ports {
			svc.Ports = append(svc.Ports, fmt.Sprintf("%s:%d", p.Published, p.Target))
		}
		for _, v := range s.Volumes {
			switch v.Type {
			case "bind":
				svc.Binds = append(svc.Binds, Mount{Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly})
			case "volume":
				svc.Volumes = append(svc.Volumes, v.Target)
			}
		}
		sort.Strings(svc.Ports)
		out[name] = svc
	}
	return out, nil
}
