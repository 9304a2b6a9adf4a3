//go:build !linux

package probe

import "net"

// peekAlive is not available here: waitAlive checks instead.
func peekAlive(net.Conn) (ok, known bool) { return false, false }
