// Package probe observes the two peers of a PAN-OS HA pair and the AWS data
// plane behind them. It returns plain data and errors; it never writes metrics.
// The types in this package are the vocabulary that the snapshot, exporter,
// alerts and status page share.
package probe
