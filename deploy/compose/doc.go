// Package compose holds the compose quick stack (compose.yaml: hawatch's
// demo, Prometheus, Alertmanager and Grafana) and the tests that check it
// without a Docker daemon: the file is loaded by compose-go against the
// compose-spec schema (tools/composecheck), every file it mounts must exist,
// the services must agree on ports and names, and every third-party image,
// here and in the Dockerfile, must be pinned by digest.
package compose
