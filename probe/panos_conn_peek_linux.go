package probe

import (
	"errors"
	"net"
	"syscall"
)

// peekAlive looks at an idle connection's socket without reading from it
// or waiting: nothing to read (EAGAIN) means the peer has not closed it;
// an end of stream, bytes nobody asked for (such as a close_notify alert)
// or an error mean it is not to be reused. One system call, no timer and
// no park of the poll's goroutine, where waitAlive costs all three for
// every peer at every poll. known is false when conn has no socket to
// peek at.
func peekAlive(conn net.Conn) (ok, known bool) {
	sc, isSock := conn.(syscall.Conn)
	if !isSock {
		return false, false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false, false
	}
	var rerr error
	var b [1]byte
	if err := rc.Read(func(fd uintptr) bool {
		_, _, rerr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return true // never wait for the socket to become readable
	}); err != nil {
		return false, true
	}
	return errors.Is(rerr, syscall.EAGAIN) || errors.Is(rerr, syscall.EWOULDBLOCK), true
}
