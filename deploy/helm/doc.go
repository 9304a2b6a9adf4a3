// Package helm holds the Helm chart of hawatch (hawatch/) and the tests
// that lint and render it with the real helm binary and check the rendered
// objects: kinds, references, probes, ports, shards, that no Secret is
// created, and that the configuration file rendered from the values loads
// in hawatch.
//
// The chart carries a copy of deploy/prometheus/hawatch-rules.yml for its
// PrometheusRule (Helm reads files only from inside the chart); regenerate
// it after a change of the rules with:
//
//	go generate ./deploy/helm
package helm

//go:generate cp ../prometheus/hawatch-rules.yml hawatch/files/hawatch-rules.yml
