// Package e2e holds hawatch's end-to-end tests: the built binary watches the
// simulator over real sockets (PAN-OS over HTTPS through pango, EC2 through
// aws-sdk-go-v2 with the SDK's default credential chain), and is scraped,
// checked with promtool and, in the alerting tests, wired to real
// Prometheus and Alertmanager binaries.
package e2e
