// Package grafana holds hawatch's Grafana dashboard, hawatch.json, and the
// test that lints it offline: strict decoding, unique panel ids, a layout
// without overlaps, PromQL that parses and metric names that hawatch
// exports.
package grafana
