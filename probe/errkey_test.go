package probe

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestErrorKey(t *testing.T) {
	refused := func(port int) error {
		return fmt.Errorf("ha: %w", &net.OpError{Op: "dial", Net: "tcp",
			Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)})
	}
	reset := func(port int) error {
		return fmt.Errorf("interfaces: read tcp 127.0.0.1:%d->127.0.0.1:443: %w", port, syscall.ECONNRESET)
	}
	aws := func(id string) error {
		return &AWSCallError{Pair: "edge", Operation: OpDescribeRouteTables, Code: "UnauthorizedOperation",
			Err: fmt.Errorf("https response error StatusCode: 403, RequestID: %s", id)}
	}
	expired := func(now string) error {
		return fmt.Errorf("system: tls: %w", x509.CertificateInvalidError{Reason: x509.Expired, Detail: "current time " + now + " is after 2026-01-01"})
	}
	same := [][2]error{
		{refused(1), refused(2)},
		{reset(50123), reset(50999)},
		{aws("0e733537-9611"), aws("b79bf595-0259")},
		{expired("2026-12-02T06:00:01Z"), expired("2026-12-02T06:00:06Z")},
		// A later poll adds the system command with the same failure.
		{errors.Join(refused(1), refused(1)), errors.Join(fmt.Errorf("system: %w", refused(3)), refused(1), refused(2))},
		// One bad reply: each command's parser words it its own way.
		{fmt.Errorf("ha: ha reply: %w: XML syntax error on line 1", ErrMalformed),
			errors.Join(fmt.Errorf("system: system info reply: %w: no result element", ErrMalformed))},
		{errors.New("ha: something odd on port 50123"), errors.New("system: something odd on port 50999")},
	}
	for i, p := range same {
		if a, b := ErrorKey(p[0]), ErrorKey(p[1]); a != b {
			t.Errorf("case %d: %q and %q must be one failure", i, a, b)
		}
	}
	differ := [][2]error{
		{refused(1), reset(1)},
		{aws("x"), &AWSCallError{Operation: OpDescribeRouteTables, Code: "RequestLimitExceeded"}},
		{expired("x"), x509.UnknownAuthorityError{}},
		{&HTTPError{StatusCode: 502}, &HTTPError{StatusCode: 307}},
	}
	for i, p := range differ {
		if a, b := ErrorKey(p[0]), ErrorKey(p[1]); a == b {
			t.Errorf("case %d: %q: two failures read as one", i, a)
		}
	}
}
